import { SocketState } from 'customapp-rxjs-websocket';
import { nextSocketStatus } from './socket-status';

describe('nextSocketStatus', () => {
  const walk = (steps: [SocketState, boolean?][]) => {
    let status = nextSocketStatus('closed', SocketState.closed, false);
    return steps.map(([state, reconnecting]) => (status = nextSocketStatus(status, state, reconnecting ?? false)));
  };

  it('is connecting, then authorizing, then live on the first connection', () => {
    expect(walk([[SocketState.pending], [SocketState.opened], [SocketState.authorized], [SocketState.subscribed]])).toEqual([
      'connecting',
      'authorizing',
      'authorizing',
      'live',
    ]);
  });

  it('stays reconnecting from an unexpected close until subscribed again', () => {
    expect(
      walk([[SocketState.subscribed], [SocketState.closed, true], [SocketState.pending], [SocketState.opened], [SocketState.authorized], [SocketState.subscribed]]),
    ).toEqual(['live', 'reconnecting', 'reconnecting', 'reconnecting', 'reconnecting', 'live']);
  });

  it('is closed when closing, and when closed with no reconnect scheduled', () => {
    expect(walk([[SocketState.subscribed], [SocketState.closing], [SocketState.closed]])).toEqual(['live', 'closed', 'closed']);
    expect(walk([[SocketState.pending], [SocketState.closed, false]])).toEqual(['connecting', 'closed']);
  });

  it('starts over as connecting after a close that was not followed by a reconnect', () => {
    expect(walk([[SocketState.closed, true], [SocketState.closed, false], [SocketState.pending]])).toEqual([
      'reconnecting',
      'closed',
      'connecting',
    ]);
  });
});

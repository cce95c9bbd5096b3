import { SocketState } from 'customapp-rxjs-websocket';

/**
 * A socket's condition as a UI shows it, derived from the controller's state:
 * - `connecting`: the first connection of an initialization is being made;
 * - `authorizing`: it is open and authorizing or subscribing;
 * - `live`: subscribed, fully usable;
 * - `reconnecting`: it closed unexpectedly and is on its way back (until subscribed again);
 * - `closed`: closed, and no reconnect is under way.
 *
 * @example
 * readonly status = injectSocketStatus('main'); // Signal<SocketStatus>
 * // template: @if (status() === 'reconnecting') { <p>Reconnecting…</p> }
 */
export type SocketStatus = 'connecting' | 'authorizing' | 'live' | 'reconnecting' | 'closed';

/**
 * The status after the controller moved to `state`, knowing the status before and whether a
 * reconnect is scheduled.
 */
export function nextSocketStatus(previous: SocketStatus, state: SocketState, reconnectScheduled: boolean): SocketStatus {
  switch (state) {
    case SocketState.subscribed:
      return 'live';
    case SocketState.closed:
      return reconnectScheduled ? 'reconnecting' : 'closed';
    case SocketState.closing:
      return 'closed';
    default:
      // pending, opened, authorized: a reconnect stays "reconnecting" until it is subscribed again.
      if (previous === 'reconnecting') return 'reconnecting';
      return state === SocketState.pending ? 'connecting' : 'authorizing';
  }
}

import { ErrorResponseError, RequestTimeoutError, SocketState, WebSocketController } from 'customapp-rxjs-websocket';
import { channelsPreset, subscribeChannel, walker } from 'customapp-rxjs-websocket/presets';
import type { ChannelsFrame } from 'customapp-rxjs-websocket/presets';
import { FakeSockets, FakeWebSocket } from 'customapp-rxjs-websocket/testing';
import { NEVER, of } from 'rxjs';
import { ManualScheduler } from '../spec-helpers/manual-scheduler';

/** A channels socket over a fake socket and virtual time, past its handshake. */
function subscribedSocket() {
  const sockets = new FakeSockets();
  const scheduler = new ManualScheduler();
  const controller = new WebSocketController({
    ...channelsPreset({ url: 'ws://test.local/dialects/channels', token: () => of('token-1') }),
    WebSocketCtor: sockets.Ctor,
    scheduler,
    online$: NEVER,
    requestTimeout: 5000,
  });
  controller.open().subscribe();
  const ws: FakeWebSocket = sockets.last;
  ws.accept();
  ws.receiveJson({ type: 'connection', data: { client_id: 'c-1', authenticated: false } });
  ws.receiveJson({ type: 'connection', data: { client_id: 'c-1', authenticated: true } });
  return { controller, ws, scheduler };
}

describe('WebSocketController with the channels preset', () => {
  // Regression: every walker whose context named a channel was keyed by it, but only the channel
  // walkers' answers name it: send_chat_to_group waited on a key its answer never had, until requestTimeout.
  it('answers a walker whose context names a channel but whose answer does not (send_chat_to_group)', () => {
    const { controller, ws, scheduler } = subscribedSocket();
    expect(controller.state).toBe(SocketState.subscribed);
    const answers: ChannelsFrame[] = [];
    const errors: unknown[] = [];
    controller.request(walker('send_chat_to_group', { channel_id: 'news', message: 'hi' })).subscribe({
      next: (answer) => answers.push(answer),
      error: (error) => errors.push(error),
    });

    ws.receiveJson({ type: 'walker', walker: 'send_chat_to_group', data: { delivered: 1 } });
    scheduler.advance(5000);

    expect(answers).toEqual([{ type: 'walker', walker: 'send_chat_to_group', data: { delivered: 1 } }]);
    expect(errors.some((error) => error instanceof RequestTimeoutError)).toBeFalse();
  });

  it('fails such a walker with the error that names it', () => {
    const { controller, ws } = subscribedSocket();
    const errors: unknown[] = [];
    controller.request(walker('send_chat_to_group', { channel_id: 'news', message: 42 })).subscribe({ error: (error) => errors.push(error) });

    ws.receiveJson({ type: 'error', data: { type: 'walker', walker: 'send_chat_to_group', code: 'BAD_REQUEST', error: '"message" must be a string.' } });

    expect(errors.length).toBe(1);
    expect(errors[0]).toBeInstanceOf(ErrorResponseError);
  });

  it('still tells two channel walkers waiting at once apart by their channel', () => {
    const { controller, ws } = subscribedSocket();
    const answered: string[] = [];
    for (const channel of ['news', 'sports']) {
      controller.request(subscribeChannel(channel)).subscribe((answer) => answered.push(`${channel}: ${answer.data?.channel_id}`));
    }

    ws.receiveJson({ type: 'walker', walker: 'subscribe_channel', data: { channel_id: 'sports' } });
    ws.receiveJson({ type: 'walker', walker: 'subscribe_channel', data: { channel_id: 'news' } });

    expect(answered).toEqual(['sports: sports', 'news: news']);
  });
});

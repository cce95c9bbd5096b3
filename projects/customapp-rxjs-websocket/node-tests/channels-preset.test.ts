// The channelsPreset in Node against the real /dialects/channels endpoint: the welcome `connection`
// event, change_user with a login's token (or the Authorization header of the upgrade), walkers
// answered by name, chat and notification pushes, refusals and reconnects.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { filter, Observable, of, Subject, toArray } from 'rxjs';
import {
  AuthRejectedError,
  ErrorResponseError,
  ReauthorizeRejectedError,
  SocketState,
  SubscribeRejectedError,
  WebSocketController,
  WebSocketControllerError,
} from 'customapp-rxjs-websocket';
import type { AuthContext, LiveSubscriptionOptions } from 'customapp-rxjs-websocket';
import { channelsPreset, subscribeChannel, unsubscribeChannel, walker } from 'customapp-rxjs-websocket/presets';
import type { ChannelsFrame, ChannelsPresetOptions } from 'customapp-rxjs-websocket/presets';
import type { RunningServer } from '../../../e2e-server/src/index.js';
import { closedAfter, control, failure, next, sentJson, serverFor, signingIn, socketLog, statsUntil } from './support.js';
import type { SigningIn, SocketLog } from './support.js';

/** Long enough that a refusal arriving "at once" cannot be mistaken for a timeout. */
const REQUEST_TIMEOUT = 20_000;
/** What "at once" means for a refusal. */
const AT_ONCE = 2_000;
/** The root of a connection that is not authenticated (PROTOCOL.md). */
const PUBLIC_ROOT = 'n::000000000000000000000001';

type ChannelsSocket = WebSocketController<ChannelsFrame, ChannelsFrame, string>;
type Who = 'admin' | 'manager' | 'viewer';

interface Rig {
  readonly server: RunningServer;
  readonly socket: ChannelsSocket;
  readonly tokens: SigningIn;
  /** The context of every call of the token source, in order. */
  readonly contexts: AuthContext<ChannelsFrame>[];
  readonly log: SocketLog;
  /** Everything messages$ emitted since the socket was made. */
  readonly messages: ChannelsFrame[];
  /** Everything error$ emitted since the socket was made. */
  readonly errors: WebSocketControllerError[];
  /** Another user's socket on the same server, opened, closed after the test. */
  another(who: Who): Promise<ChannelsSocket>;
}

interface RigOptions extends Partial<Pick<ChannelsPresetOptions, 'channel' | 'channels' | 'authHeader'>> {
  /** Replaces the token source (the default signs in as the viewer on every call). */
  readonly token?: (context: AuthContext<ChannelsFrame>) => Observable<string>;
}

/** A fresh server and a viewer's channels socket on it (not opened); every call of the token source signs in anew. */
async function rig(t: TestContext, options: RigOptions = {}): Promise<Rig> {
  const closeAfter = closedAfter(t);
  const server = await serverFor(t);
  const tokens = signingIn(server, 'viewer');
  const contexts: AuthContext<ChannelsFrame>[] = [];
  const source = options.token ?? tokens.source;
  const log = socketLog();
  const socket: ChannelsSocket = closeAfter(
    new WebSocketController({
      ...channelsPreset({
        url: server.dialectUrl('channels'),
        token: (context) => {
          contexts.push(context);
          return source(context);
        },
        channel: options.channel,
        channels: options.channels,
        authHeader: options.authHeader,
      }),
      WebSocketCtor: log.Ctor,
      requestTimeout: REQUEST_TIMEOUT,
    }),
  );
  const messages: ChannelsFrame[] = [];
  socket.messages$.subscribe((message) => messages.push(message));
  const errors: WebSocketControllerError[] = [];
  socket.error$.subscribe((error) => errors.push(error));
  const another = async (who: Who) => {
    const other: ChannelsSocket = closeAfter(
      new WebSocketController({
        ...channelsPreset({ url: server.dialectUrl('channels'), token: signingIn(server, who).source }),
        WebSocketCtor: socketLog().Ctor,
        requestTimeout: REQUEST_TIMEOUT,
      }),
    );
    await opened(other);
    return other;
  };
  return { server, socket, tokens, contexts, log, messages, errors, another };
}

/** Opens the socket (reconnecting at once after a drop) and waits for `open()` to emit and complete. */
async function opened(socket: ChannelsSocket) {
  const [result] = await next(socket.open({ autoReconnect: { interval: () => 10 } }).pipe(toArray()), 'open() to complete');
  return result;
}

async function whoami(socket: ChannelsSocket): Promise<{ root_id: string; client_id: string; channels: string[] }> {
  const answer = await next(socket.request(walker('whoami')), 'the whoami answer');
  return answer.data as { root_id: string; client_id: string; channels: string[] };
}

async function channelsOf(socket: ChannelsSocket): Promise<string[]> {
  return [...(await whoami(socket)).channels].sort();
}

/** A channel subscribed while the socket lives; its answers are `answers`. */
function liveChannel(rig: Rig, channel: string, options: LiveSubscriptionOptions<ChannelsFrame> = {}) {
  const answers = new Subject<ChannelsFrame | undefined>();
  const subscribe = () => rig.socket.subscription(subscribeChannel(channel), options).subscribe(answers);
  return { answers, subscribe };
}

/** The frames written since the `changeUser`-th change_user (that one included), as short strings. */
function sentSince(log: SocketLog, changeUser: number): string[] {
  const frames = sentJson<ChannelsFrame>(log);
  const starts = frames.flatMap((frame, index) => (frame.type === 'change_user' ? [index] : []));
  return frames
    .slice(starts[changeUser - 1])
    .map((frame) => (frame.type === 'walker' ? `${frame.walker} ${frame.context?.['channel_id'] ?? ''}`.trim() : frame.type));
}

describe('channelsPreset against /dialects/channels', () => {
  it('authenticates with a change_user carrying the token of the HTTP login; open() completes with the socket subscribed', async (t) => {
    const r = await rig(t, { channel: 'lobby' });

    const result = await opened(r.socket);

    assert.equal(r.socket.state, SocketState.subscribed);
    assert.equal(result.authResponse?.type, 'connection');
    assert.equal(result.authResponse?.data?.authenticated, true);
    assert.equal(result.authResponse?.data?.root_id, 'u::u-viewer');
    assert.equal(result.authResponse?.data?.channel_id, 'lobby');
    assert.deepEqual(r.tokens.calls.map(({ connection, tokenExpired }) => ({ connection, tokenExpired })), [{ connection: 1, tokenExpired: false }]);
    assert.deepEqual(sentJson<ChannelsFrame>(r.log)[0], { type: 'change_user', token: `Bearer ${r.tokens.calls[0].token}` });
    assert.equal((await statsUntil(r.server, (s) => s.authorized === 1, 'the connection is authenticated')).sockets, 1);
  });

  it('waits for the welcome connection event and hands it to the auth; change_user and the subscribe_channel walkers are answered', async (t) => {
    const r = await rig(t, { channel: 'lobby', channels: ['news', 'sports'] });

    const result = await opened(r.socket);

    const welcome = r.contexts[0].welcome;
    assert.equal(welcome?.type, 'connection');
    assert.equal(welcome?.data?.authenticated, false);
    assert.equal(welcome?.data?.root_id, PUBLIC_ROOT);
    assert.equal(welcome?.data?.channel_id, 'lobby');
    assert.equal(result.authResponse?.data?.client_id, welcome?.data?.client_id, 'the change_user answer is of the same connection');
    assert.deepEqual(result.subscribeResponses, [
      { type: 'walker', walker: 'subscribe_channel', data: { channel_id: 'news' } },
      { type: 'walker', walker: 'subscribe_channel', data: { channel_id: 'sports' } },
    ]);
    assert.deepEqual(await channelsOf(r.socket), ['lobby', 'news', 'sports']);
    assert.deepEqual(r.messages, [], 'neither the welcome nor the answers are pushes');
  });

  it('delivers chat and notifications on messages$, apart from the answers of walkers', async (t) => {
    const r = await rig(t, { channel: 'lobby', channels: ['news'] });
    await opened(r.socket);
    const manager = await r.another('manager');
    const chat = next(r.socket.messages$.pipe(filter((m) => m.type === 'chat')), 'the chat');
    const notification = next(r.socket.messages$.pipe(filter((m) => m.type === 'notification')), 'the notification');

    const sent = await next(manager.request(walker('send_chat_to_group', { channel_id: 'news', message: 'hello, news' })), 'the send_chat_to_group answer');
    await next(manager.send({ type: 'user', root_ids: ['u::u-viewer'], data: { type: 'notification', data: { text: 'menu changed' } } }), 'the notification written');

    assert.deepEqual(sent, { type: 'walker', walker: 'send_chat_to_group', data: { delivered: 1 } });
    assert.deepEqual(await chat, { type: 'chat', data: { message: 'hello, news', from: 'u::u-manager' } });
    assert.deepEqual(await notification, { type: 'notification', data: { text: 'menu changed' } });
    const own = next(r.socket.messages$.pipe(filter((m) => m.type === 'chat' && m.data?.['message'] === 'to myself')), 'the own chat');
    const answer = await next(r.socket.request(walker('send_chat_to_client', { client_id: r.socket.authResponse?.data?.client_id, message: 'to myself' })), 'the send_chat_to_client answer');
    assert.deepEqual(answer.data, { delivered: 1 });
    await own;
    assert.deepEqual(r.messages.map((m) => m.type), ['chat', 'notification', 'chat'], 'the walker answers went to their requests only');
  });

  it('answers socket.request(walker("whoami")) by the walker name', async (t) => {
    const r = await rig(t, { channel: 'lobby' });
    const result = await opened(r.socket);

    const answer = await next(r.socket.request(walker('whoami')), 'the whoami answer');

    assert.equal(answer.type, 'walker');
    assert.equal(answer.walker, 'whoami');
    assert.deepEqual(answer.data, { root_id: 'u::u-viewer', client_id: result.authResponse?.data?.client_id, channels: ['lobby'] });
    assert.deepEqual(r.messages, []);
  });

  it('fails subscribe_channel of a private channel as a non-admin at once, the walker error routed to it by routeErrorResponse', async (t) => {
    const r = await rig(t, { channel: 'lobby' });
    await opened(r.socket);

    const started = Date.now();
    const error = await failure(r.socket.subscription(subscribeChannel('private:x')), 'the subscription to private:x');
    const elapsed = Date.now() - started;
    const requestError = await failure(r.socket.request(subscribeChannel('private:y')), 'the request of private:y');

    assert.ok(error instanceof SubscribeRejectedError, String(error));
    assert.deepEqual((error.response as ChannelsFrame).data, {
      type: 'walker',
      walker: 'subscribe_channel',
      code: 'FORBIDDEN',
      error: 'Only an ADMIN may subscribe to private: channels.',
    });
    assert.ok(elapsed < AT_ONCE, `refused after ${elapsed} ms, requestTimeout is ${REQUEST_TIMEOUT} ms`);
    assert.ok(requestError instanceof ErrorResponseError, String(requestError));
    assert.equal((requestError.response as ChannelsFrame).data?.code, 'FORBIDDEN');
    assert.equal(r.socket.state, SocketState.subscribed);
    assert.equal(r.socket.requestsInFlight, 0);
    assert.deepEqual(await channelsOf(r.socket), ['lobby']);
    assert.deepEqual(r.messages, [], 'the refusals answered their requests');
    assert.deepEqual(r.errors, [], 'a refused live subscription fails alone');
  });

  it('after a server drop: authenticates with a new token and subscribes its channels again, but not a channel that was left', async (t) => {
    const r = await rig(t, { channel: 'lobby', channels: ['news'] });
    const first = await opened(r.socket);
    const kept = liveChannel(r, 'kept');
    const left = liveChannel(r, 'gone', { unsubscribe: unsubscribeChannel('gone'), unsubscribeExpectsResponse: true });
    const bothSubscribed = Promise.all([next(kept.answers, 'the subscription to kept'), next(left.answers, 'the subscription to gone')]);
    kept.subscribe();
    const leaving = left.subscribe();
    await bothSubscribed;
    assert.deepEqual(await channelsOf(r.socket), ['gone', 'kept', 'lobby', 'news']);

    leaving.unsubscribe();

    assert.deepEqual(sentJson<ChannelsFrame>(r.log).at(-1), unsubscribeChannel('gone'));
    assert.deepEqual(await channelsOf(r.socket), ['kept', 'lobby', 'news'], 'the server took the unsubscribe_channel');
    assert.equal(r.socket.requestsInFlight, 0, 'the unsubscribe_channel was answered');
    assert.deepEqual(r.messages, [], 'its answer went to its request');

    const resubscribed = next(r.socket.subscribed$, 'the socket subscribed again');
    const keptAgain = next(kept.answers, 'the subscription to kept again');
    await control(r.server, 'drop?dialect=channels');
    const [again] = await Promise.all([resubscribed, keptAgain]);

    assert.equal(r.log.sockets.length, 2);
    assert.deepEqual(r.tokens.calls.map(({ connection, tokenExpired }) => ({ connection, tokenExpired })), [
      { connection: 1, tokenExpired: false },
      { connection: 2, tokenExpired: false },
    ]);
    assert.notEqual(r.tokens.calls[1].token, r.tokens.calls[0].token, 'the second connection signs in with a new token');
    assert.notEqual(r.contexts[1].welcome?.data?.client_id, first.authResponse?.data?.client_id, 'a new connection, with its own welcome');
    assert.deepEqual(again, [{ type: 'walker', walker: 'subscribe_channel', data: { channel_id: 'news' } }]);
    assert.deepEqual(sentSince(r.log, 2).sort(), ['change_user', 'subscribe_channel kept', 'subscribe_channel news']);
    assert.deepEqual(await channelsOf(r.socket), ['kept', 'lobby', 'news'], 'gone was not subscribed again');
    assert.equal((await statsUntil(r.server, (s) => s.sockets === 1, 'only the new connection is open')).authorized, 1);
  });

  it('renews the token in place with reauthorize(): a change_user on the same connection, its channels kept', async (t) => {
    const r = await rig(t, { channel: 'lobby', channels: ['news'] });
    await opened(r.socket);

    const answer = await next(r.socket.reauthorize(), 'the answer to the re-auth');

    assert.equal(answer?.type, 'connection');
    assert.equal(answer?.data?.authenticated, true);
    assert.equal(r.log.sockets.length, 1, 'no reconnect');
    assert.deepEqual(r.tokens.calls.map(({ connection, tokenExpired }) => ({ connection, tokenExpired })), [
      { connection: 1, tokenExpired: false },
      { connection: 1, tokenExpired: false },
    ]);
    assert.notEqual(r.tokens.calls[1].token, r.tokens.calls[0].token, 'the re-auth carries a new token');
    assert.deepEqual(sentJson<ChannelsFrame>(r.log).at(-1), { type: 'change_user', token: `Bearer ${r.tokens.calls[1].token}` });
    assert.equal(r.socket.state, SocketState.subscribed);
    const me = await whoami(r.socket);
    assert.equal(me.root_id, 'u::u-viewer');
    assert.deepEqual([...me.channels].sort(), ['lobby', 'news'], 'the same user keeps its channels');
    assert.deepEqual(r.messages, [], 'the answer went to the re-auth, not to messages$');
  });

  it('fails reauthorize() with ReauthorizeRejectedError when the server refuses the token, then reconnects once with a fresh auth', async (t) => {
    let calls = 0;
    let real: Rig['tokens']['source'] = () => of('');
    const r = await rig(t, { channel: 'lobby', channels: ['news'], token: (context) => (++calls === 2 ? of('not-a-token') : real(context)) });
    real = r.tokens.source;
    await opened(r.socket);
    const resubscribed = next(r.socket.subscribed$, 'the socket subscribed again');

    const error = await failure(r.socket.reauthorize(), 'reauthorize()');
    await resubscribed;

    assert.ok(error instanceof ReauthorizeRejectedError, String(error));
    assert.equal(error.tokenExpired, false, 'an invalid token, not an expired one');
    assert.equal(r.log.sockets.length, 2, 'exactly one reconnect');
    assert.equal(calls, 3);
    assert.deepEqual(sentSince(r.log, 3).sort(), ['change_user', 'subscribe_channel news']);
    assert.deepEqual(await channelsOf(r.socket), ['lobby', 'news']);
  });

  it('stops after one attempt with AuthRejectedError on error$ when the token is invalid', async (t) => {
    const r = await rig(t, { channel: 'lobby', channels: ['news'], token: () => of('not-a-token') });
    const rejected = next(r.socket.error$, 'an error on error$');
    const stopped = next(r.socket.closedForever$, 'closedForever$');

    const openError = await failure(r.socket.open({ autoReconnect: { interval: () => 10 } }), 'open()');
    const error = await rejected;
    const { error: reason } = await stopped;

    assert.ok(error instanceof AuthRejectedError, String(error));
    assert.equal((error.response as ChannelsFrame).data?.type, 'change_user');
    assert.equal((error.response as ChannelsFrame).data?.code, 'TOKEN_INVALID');
    assert.equal(reason, error);
    assert.equal(openError, error);
    assert.equal(r.log.sockets.length, 1, 'exactly one connection attempt');
    assert.equal(r.contexts.length, 1);
    assert.deepEqual(sentSince(r.log, 1), ['change_user'], 'no channel is subscribed without auth');
    assert.equal(r.socket.active, false);
    await statsUntil(r.server, (s) => s.sockets === 0, 'the refused connection is closed');
  });

  it('authenticates with the Authorization header of the upgrade (authHeader: true), without a change_user', async (t) => {
    const r = await rig(t, { channel: 'lobby', channels: ['news'], authHeader: true });

    const result = await opened(r.socket);

    assert.equal(r.socket.state, SocketState.subscribed);
    assert.equal(r.contexts.length, 1, 'one token, for the header');
    assert.equal(r.contexts[0].welcome, undefined, 'asked before the socket was made');
    assert.equal(result.authResponse, undefined, 'the welcome already said it: no auth request was sent');
    assert.deepEqual(sentJson<ChannelsFrame>(r.log).map((frame) => frame.type), ['walker']);
    assert.deepEqual(result.subscribeResponses, [{ type: 'walker', walker: 'subscribe_channel', data: { channel_id: 'news' } }]);
    const me = await whoami(r.socket);
    assert.equal(me.root_id, 'u::u-viewer');
    assert.deepEqual([...me.channels].sort(), ['lobby', 'news']);
  });

  it('with authHeader, a header token the server refuses still ends in AuthRejectedError after one attempt', async (t) => {
    const r = await rig(t, { channel: 'lobby', authHeader: true, token: () => of('not-a-token') });
    const stopped = next(r.socket.closedForever$, 'closedForever$');

    const error = await failure(r.socket.open({ autoReconnect: { interval: () => 10 } }), 'open()');

    assert.ok(error instanceof AuthRejectedError, String(error));
    assert.equal((error.response as ChannelsFrame).data?.code, 'TOKEN_INVALID');
    assert.equal((await stopped).error, error);
    assert.deepEqual(r.errors, [error]);
    assert.equal(r.log.sockets.length, 1, 'exactly one connection attempt');
  });
});

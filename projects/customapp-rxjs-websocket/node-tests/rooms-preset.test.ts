// The roomsPreset in Node against the real /dialects/rooms endpoint: authenticate with a login's
// token, joins answered by room name with per-room tokens from the HTTP API, realtime:resource pushes,
// refusals, reconnects and token renewal.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { defer, filter, map, Observable, Subject, toArray } from 'rxjs';
import {
  AuthRejectedError,
  ErrorResponseError,
  SocketState,
  SubscribeRejectedError,
  WebSocketController,
  WebSocketControllerError,
} from 'customapp-rxjs-websocket';
import type { LiveSubscriptionOptions } from 'customapp-rxjs-websocket';
import { joinRoom, leaveRoom, roomsPreset } from 'customapp-rxjs-websocket/presets';
import type { RoomsFrame } from 'customapp-rxjs-websocket/presets';
import type { RunningServer } from '../../../e2e-server/src/index.js';
import {
  closedAfter,
  control,
  failure,
  login,
  next,
  post,
  sentJson,
  serverFor,
  signingIn,
  socketLog,
  statsUntil,
} from './support.js';
import type { SigningIn, SocketLog } from './support.js';

/** Long enough that a refusal arriving "at once" cannot be mistaken for a timeout. */
const REQUEST_TIMEOUT = 20_000;
/** What "at once" means for a refusal. */
const AT_ONCE = 2_000;

type RoomsSocket = WebSocketController<RoomsFrame, RoomsFrame, string>;

interface Rig {
  readonly server: RunningServer;
  readonly socket: RoomsSocket;
  readonly tokens: SigningIn;
  readonly log: SocketLog;
  /** Every room token fetched, by room name, in order. */
  readonly roomTokens: string[];
  /** Everything messages$ emitted since the socket was made. */
  readonly messages: RoomsFrame[];
  /** Everything error$ emitted since the socket was made. */
  readonly errors: WebSocketControllerError[];
  /** The latest access token the socket signed in with. */
  accessToken(): string;
  /** A room token for `name`, fetched with the latest access token. */
  roomToken(name: string): Observable<string>;
}

interface RigOptions {
  readonly rooms?: readonly string[];
  /** Makes the token of the first connection (an invalid or expired one) instead of a login. */
  readonly firstToken?: (server: RunningServer) => Promise<string>;
}

/**
 * A fresh server and a viewer's rooms socket on it (not opened). Every connection signs in anew over
 * HTTP, but the first one when `firstToken` is given.
 */
async function rig(t: TestContext, options: RigOptions = {}): Promise<Rig> {
  const closeAfter = closedAfter(t);
  const server = await serverFor(t);
  const tokens = signingIn(server, 'viewer', await options.firstToken?.(server));
  const log = socketLog();
  const roomTokens: string[] = [];
  const accessToken = () => {
    const last = tokens.calls.at(-1);
    if (!last) throw new Error('no access token yet');
    return last.token;
  };
  const roomToken = (name: string) =>
    defer(async () => {
      roomTokens.push(name);
      return fetchRoomToken(server, accessToken(), name);
    });
  const socket = closeAfter(
    new WebSocketController({
      ...roomsPreset({
        url: server.dialectUrl('rooms'),
        token: tokens.source,
        rooms: (options.rooms ?? []).map((name) => ({ name, token: () => roomToken(name) })),
      }),
      WebSocketCtor: log.Ctor,
      requestTimeout: REQUEST_TIMEOUT,
    }),
  );
  const messages: RoomsFrame[] = [];
  socket.messages$.subscribe((message) => messages.push(message));
  const errors: WebSocketControllerError[] = [];
  socket.error$.subscribe((error) => errors.push(error));
  return { server, socket, tokens, log, roomTokens, messages, errors, accessToken, roomToken };
}

/** `POST /api/dialects/rooms/token`: a room token of the access token's user. */
async function fetchRoomToken(server: RunningServer, accessToken: string, name: string): Promise<string> {
  const { status, body } = await post(server, '/api/dialects/rooms/token', accessToken, { name });
  if (status !== 200) throw new Error(`no room token for ${name}: ${status} ${JSON.stringify(body)}`);
  return (body as { token: string }).token;
}

/** `POST /api/dialects/rooms/resources`: how many sockets got the change. */
async function pushResource(server: RunningServer, accessToken: string, room: string, id: string): Promise<number> {
  const { status, body } = await post(server, '/api/dialects/rooms/resources', accessToken, { room, action: 'updated', resource: { id, name: `item ${id}` } });
  assert.equal(status, 200, JSON.stringify(body));
  return (body as { delivered: number }).delivered;
}

/** Opens the socket (reconnecting at once after a drop) and waits for `open()` to emit and complete. */
async function opened(socket: RoomsSocket) {
  const [result] = await next(socket.open({ autoReconnect: { interval: () => 10 } }).pipe(toArray()), 'open() to complete');
  return result;
}

/** A room joined while the socket lives, with a fresh room token for every connection; its answers are `answers`. */
function liveRoom(rig: Rig, name: string, options: LiveSubscriptionOptions<RoomsFrame> = {}) {
  const answers = new Subject<RoomsFrame | undefined>();
  const subscribe = () => rig.socket.subscription(() => rig.roomToken(name).pipe(map((token) => joinRoom(name, token))), options).subscribe(answers);
  return { answers, subscribe };
}

function resourcePush(rig: Rig, room: string): Promise<RoomsFrame> {
  return next(rig.socket.messages$.pipe(filter((m) => m.event === 'realtime:resource' && m.data?.['room'] === room)), `a realtime:resource of ${room}`);
}

/** The frames written since the `authenticate`-th authenticate frame (that one included), as `event room` strings. */
function sentSince(log: SocketLog, authenticate: number): string[] {
  const frames = sentJson<RoomsFrame>(log);
  const starts = frames.flatMap((frame, index) => (frame.event === 'authenticate' ? [index] : []));
  return frames.slice(starts[authenticate - 1]).map((frame) => (frame.data?.name === undefined ? frame.event : `${frame.event} ${frame.data.name}`));
}

describe('roomsPreset against /dialects/rooms', () => {
  it('authenticates with the token of the HTTP login; open() completes with the socket subscribed', async (t) => {
    const r = await rig(t);

    const result = await opened(r.socket);

    assert.equal(r.socket.state, SocketState.subscribed);
    assert.equal(result.authResponse?.event, 'authenticated');
    assert.equal((result.authResponse?.data?.['user'] as { login: string }).login, 'viewer');
    assert.deepEqual(r.tokens.calls.map(({ connection, tokenExpired }) => ({ connection, tokenExpired })), [{ connection: 1, tokenExpired: false }]);
    assert.deepEqual(sentJson<RoomsFrame>(r.log)[0], { event: 'authenticate', data: { token: r.tokens.calls[0].token } });
    assert.equal((await statsUntil(r.server, (s) => s.authorized === 1, 'the socket is authenticated')).sockets, 1);
  });

  it('joins every configured room with a room token fetched for it, each answered realtime:join:success by its name', async (t) => {
    const r = await rig(t, { rooms: ['/menu', '/announcements'] });

    const result = await opened(r.socket);

    assert.deepEqual(result.subscribeResponses, [
      { event: 'realtime:join:success', data: { name: '/menu' } },
      { event: 'realtime:join:success', data: { name: '/announcements' } },
    ]);
    assert.deepEqual(r.roomTokens, ['/menu', '/announcements']);
    const joins = sentJson<RoomsFrame>(r.log).filter((frame) => frame.event === 'realtime:join');
    assert.deepEqual(joins.map((join) => join.data?.name), ['/menu', '/announcements']);
    for (const join of joins) assert.notEqual(join.data?.token, r.accessToken(), 'a join carries a room token, not the access token');
    assert.equal((await statsUntil(r.server, (s) => s.subscriptions === 2, 'both rooms are joined')).subscriptions, 2);
  });

  it('delivers realtime:resource pushes on messages$, while join answers stay off it', async (t) => {
    const r = await rig(t, { rooms: ['/menu'] });
    await opened(r.socket);
    const b = liveRoom(r, '/b');
    const bJoined = next(b.answers, 'the join of /b');
    b.subscribe();
    await bJoined;

    const pushed = resourcePush(r, '/menu');
    assert.equal(await pushResource(r.server, r.accessToken(), '/menu', 'c-1'), 1);

    assert.deepEqual((await pushed).data, {
      room: '/menu',
      action: 'updated',
      path: '/menu/c-1',
      resource: { id: 'c-1', name: 'item c-1' },
      type: 'menu',
    });
    assert.deepEqual(r.messages.map((m) => m.event), ['realtime:resource'], 'the join answers went to their requests only');
  });

  it('answers a join made with socket.subscription by its room name', async (t) => {
    const r = await rig(t);
    await opened(r.socket);

    const answer = await next(r.socket.subscription(() => r.roomToken('/b').pipe(map((token) => joinRoom('/b', token)))), 'the join of /b');

    assert.deepEqual(answer, { event: 'realtime:join:success', data: { name: '/b' } });
    assert.deepEqual(r.roomTokens, ['/b']);
    const pushed = resourcePush(r, '/b');
    assert.equal(await pushResource(r.server, r.accessToken(), '/b', 'b-1'), 1);
    assert.equal((await pushed).data?.['path'], '/b/b-1');
  });

  it('fails a join with the room token of another room at once with SubscribeRejectedError; the socket goes on', async (t) => {
    const r = await rig(t);
    await opened(r.socket);
    const otherRoomsToken = await fetchRoomToken(r.server, r.accessToken(), '/d');

    const started = Date.now();
    const error = await failure(r.socket.subscription(joinRoom('/c', otherRoomsToken)), 'the join of /c');
    const elapsed = Date.now() - started;

    assert.ok(error instanceof SubscribeRejectedError, String(error));
    assert.equal((error.response as RoomsFrame).event, 'realtime:join:error');
    assert.equal((error.response as RoomsFrame).data?.name, '/c');
    assert.ok(elapsed < AT_ONCE, `refused after ${elapsed} ms, requestTimeout is ${REQUEST_TIMEOUT} ms`);
    assert.equal(r.socket.state, SocketState.subscribed);
    assert.equal(r.socket.requestsInFlight, 0);
    assert.deepEqual(r.errors, [], 'a refused live subscription fails alone');
  });

  it('fails a request to join /admin as a non-admin at once with ErrorResponseError', async (t) => {
    const r = await rig(t);
    await opened(r.socket);
    const menuToken = await fetchRoomToken(r.server, r.accessToken(), '/menu');

    const started = Date.now();
    const error = await failure(r.socket.request(joinRoom('/admin', menuToken)), 'the join of /admin');
    const elapsed = Date.now() - started;

    assert.ok(error instanceof ErrorResponseError, String(error));
    assert.equal((error.response as RoomsFrame).event, 'realtime:join:error');
    assert.equal((error.response as RoomsFrame).data?.name, '/admin');
    assert.ok(elapsed < AT_ONCE, `refused after ${elapsed} ms, requestTimeout is ${REQUEST_TIMEOUT} ms`);
    assert.equal(r.socket.state, SocketState.subscribed);
    assert.deepEqual(r.messages, [], 'the refusal answered its request');
  });

  it('after a server drop: authenticates with a new token and joins its rooms again, but not a room that was left', async (t) => {
    const r = await rig(t, { rooms: ['/menu'] });
    await opened(r.socket);
    const kept = liveRoom(r, '/b');
    const left = liveRoom(r, '/c', { unsubscribe: leaveRoom('/c'), unsubscribeExpectsResponse: true });
    const bothJoined = Promise.all([next(kept.answers, 'the join of /b'), next(left.answers, 'the join of /c')]);
    kept.subscribe();
    const leaving = left.subscribe();
    await bothJoined;
    await statsUntil(r.server, (s) => s.subscriptions === 3, 'three rooms are joined');

    leaving.unsubscribe();

    await statsUntil(r.server, (s) => s.subscriptions === 2, 'the server took the leave of /c');
    assert.deepEqual(sentJson<RoomsFrame>(r.log).at(-1), { event: 'realtime:leave', data: { name: '/c' } });
    assert.equal(await pushResource(r.server, r.accessToken(), '/c', 'c-1'), 0, 'no socket is in /c any more');
    const bPushed = resourcePush(r, '/b');
    assert.equal(await pushResource(r.server, r.accessToken(), '/b', 'b-1'), 1);
    await bPushed; // behind the leave's answer on the socket: that answer was received by now
    assert.deepEqual(r.messages.map((m) => m.event), ['realtime:resource'], 'the leave answer went to its request');
    assert.equal(r.socket.requestsInFlight, 0);

    const resubscribed = next(r.socket.subscribed$, 'the socket subscribed again');
    const bJoinedAgain = next(kept.answers, 'the join of /b again');
    await control(r.server, 'drop?dialect=rooms');
    const [rejoined] = await Promise.all([resubscribed, bJoinedAgain]);

    assert.equal(r.log.sockets.length, 2);
    assert.deepEqual(r.tokens.calls.map(({ connection, tokenExpired }) => ({ connection, tokenExpired })), [
      { connection: 1, tokenExpired: false },
      { connection: 2, tokenExpired: false },
    ]);
    assert.notEqual(r.tokens.calls[1].token, r.tokens.calls[0].token, 'the second connection signs in with a new token');
    assert.deepEqual(rejoined, [{ event: 'realtime:join:success', data: { name: '/menu' } }]);
    assert.deepEqual(sentSince(r.log, 2).sort(), ['authenticate', 'realtime:join /b', 'realtime:join /menu']);
    assert.deepEqual(r.roomTokens.sort(), ['/b', '/b', '/c', '/menu', '/menu'], 'a fresh room token for every join');
    assert.equal((await statsUntil(r.server, (s) => s.sockets === 1 && s.subscriptions === 2, 'the new socket is in /menu and /b')).subscriptions, 2);
    assert.equal(await pushResource(r.server, r.accessToken(), '/c', 'c-2'), 0, '/c was not joined again');
    const bPushedAgain = resourcePush(r, '/b');
    assert.equal(await pushResource(r.server, r.accessToken(), '/b', 'b-2'), 1);
    assert.equal((await bPushedAgain).data?.['path'], '/b/b-2');
  });

  it('stops after one attempt with AuthRejectedError on error$ when the token is invalid', async (t) => {
    const r = await rig(t, { rooms: ['/menu'], firstToken: async () => 'not-a-token' });
    const rejected = next(r.socket.error$, 'an error on error$');
    const stopped = next(r.socket.closedForever$, 'closedForever$');

    const openError = await failure(r.socket.open({ autoReconnect: { interval: () => 10 } }), 'open()');
    const error = await rejected;
    const { error: reason } = await stopped;

    assert.ok(error instanceof AuthRejectedError, String(error));
    assert.equal((error.response as RoomsFrame).event, 'unauthorized');
    assert.equal((error.response as RoomsFrame).data?.code, 'TOKEN_INVALID');
    assert.equal(reason, error);
    assert.equal(openError, error);
    assert.equal(r.log.sockets.length, 1, 'exactly one connection attempt');
    assert.equal(r.tokens.calls.length, 1);
    assert.deepEqual(r.roomTokens, [], 'no room is joined without auth');
    assert.equal(r.socket.active, false);
    assert.equal(r.socket.state, SocketState.closed);
    await statsUntil(r.server, (s) => s.sockets === 0, 'the refused socket is closed');
  });

  it('renews a token refused as expired at authenticate: the source is asked again with tokenExpired, and the socket ends subscribed', async (t) => {
    let stale = '';
    const expiredFirst = async (server: RunningServer) => {
      stale = await login(server, 'viewer');
      await control(server, 'expire-tokens');
      return stale;
    };
    const r = await rig(t, { rooms: ['/menu'], firstToken: expiredFirst });

    const result = await opened(r.socket);

    assert.deepEqual(r.tokens.calls.map(({ connection, tokenExpired }) => ({ connection, tokenExpired })), [
      { connection: 1, tokenExpired: false },
      { connection: 2, tokenExpired: true },
    ]);
    assert.equal(r.tokens.calls[0].token, stale);
    assert.equal(r.socket.state, SocketState.subscribed);
    assert.deepEqual(result.subscribeResponses, [{ event: 'realtime:join:success', data: { name: '/menu' } }]);
    assert.equal(r.log.sockets.length, 2);
    assert.deepEqual(r.errors, [], 'an expired token is renewed, not reported');
  });

  it('renews the token when the server closes the socket with 4419 (expire-tokens), and ends subscribed again', async (t) => {
    const r = await rig(t, { rooms: ['/menu'] });
    await opened(r.socket);
    const closed = next(r.socket.closed$, 'the close');
    const resubscribed = next(r.socket.subscribed$, 'the socket subscribed again');

    await control(r.server, 'expire-tokens');

    assert.deepEqual(await closed, { code: 4419, reason: 'token expired', wasClean: true, willReconnect: true, reconnectIn: 0 });
    assert.deepEqual(await resubscribed, [{ event: 'realtime:join:success', data: { name: '/menu' } }]);
    assert.deepEqual(r.tokens.calls.map(({ connection, tokenExpired }) => ({ connection, tokenExpired })), [
      { connection: 1, tokenExpired: false },
      { connection: 2, tokenExpired: true },
    ]);
    assert.equal(r.socket.state, SocketState.subscribed);
    assert.deepEqual(r.errors, []);
  });
});

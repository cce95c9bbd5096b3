// registerPreset and registerChatPreset against the e2e-server's /dialects/register and
// /dialects/register/chat: a first frame with the JWT that the server never answers (accepted once
// written, refused by the error frame after it), events filtered per user and workspace, chat rooms
// joined with their history, refused joins routed to the waiting join, reconnects without the rooms
// that were left, and the token's refusal and renewal.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { describe, test } from 'node:test';
import { filter, firstValueFrom, map, merge, Observable, of, Subject } from 'rxjs';
import type { WebSocketControllerConfig, WebSocketCtor } from 'customapp-rxjs-websocket';
import {
  AuthRejectedError,
  ErrorResponseError,
  MissingRequestIdError,
  SocketState,
  SubscribeRejectedError,
  TokenExpiredError,
  WebSocketController,
} from 'customapp-rxjs-websocket';
import type { RegisterChatPresetOptions, RegisterFrame } from 'customapp-rxjs-websocket/presets';
import { joinChat, leaveChat, postChat, registerChatPreset, registerPreset } from 'customapp-rxjs-websocket/presets';
import type { RunningServer } from '../../../e2e-server/src/index.js';
import { closedAfter, control, login, next, NodeWebSocket, post, sentJson, serverFor, signingIn, socketLog, statsUntil, assertRenewedOnce } from './support.js';

type RegisterSocket = WebSocketController<RegisterFrame, RegisterFrame, string>;
type Who = 'admin' | 'manager' | 'viewer';

/** Long enough that a refusal which waited for it could never pass for one that came at once. */
const REQUEST_TIMEOUT = 20_000;
/** A refusal routed by routeErrorResponse comes well under this. */
const AT_ONCE = 2_000;

interface Env {
  readonly server: RunningServer;
  /** A controller of the events preset, closed after the test (before the server). */
  events(token: RegisterChatPresetOptions['token'], WebSocketCtor?: WebSocketCtor): RegisterSocket;
  /** A controller of the chat preset, closed after the test (before the server). */
  chat(options: Omit<RegisterChatPresetOptions, 'url'>, WebSocketCtor?: WebSocketCtor): RegisterSocket;
}

async function registerEnv(t: TestContext): Promise<Env> {
  const closeAfter = closedAfter(t);
  const server = await serverFor(t);
  const make = (config: WebSocketControllerConfig<RegisterFrame, RegisterFrame, string>, WebSocketCtor: WebSocketCtor) =>
    closeAfter(new WebSocketController({ ...config, WebSocketCtor, requestTimeout: REQUEST_TIMEOUT }));
  return {
    server,
    events: (token, WebSocketCtor = NodeWebSocket) => make(registerPreset({ url: server.dialectUrl('register'), token }), WebSocketCtor),
    chat: (options, WebSocketCtor = NodeWebSocket) => make(registerChatPreset({ url: server.dialectUrl('register/chat'), ...options }), WebSocketCtor),
  };
}

/** Every message that reaches `messages$` from now on. */
function recordMessages(t: TestContext, socket: RegisterSocket): RegisterFrame[] {
  const messages: RegisterFrame[] = [];
  const subscription = socket.messages$.subscribe((message) => messages.push(message));
  t.after(() => subscription.unsubscribe());
  return messages;
}

/** The next message on `messages$` that passes `check`. */
function arrives(socket: RegisterSocket, check: (message: RegisterFrame) => boolean, what: string): Promise<RegisterFrame> {
  return next(socket.messages$.pipe(filter(check)), what);
}

const eventWith = (marker: string) => (message: RegisterFrame) => message['@type'] === 'event' && message['payload'] === marker;
const chatSaying = (text: string) => (message: RegisterFrame) => message['@type'] === 'msg' && message.Payload === text;

/** Posts an event over HTTP as `who` (an ADMIN or MANAGER); resolves with how many sockets got it. */
async function postEvent(server: RunningServer, event: { kind: string; workspace: string; user?: string; payload: unknown }, who: Who = 'manager'): Promise<number> {
  const result = await post(server, '/api/dialects/register/events', await login(server, who), event);
  assert.equal(result.status, 200, JSON.stringify(result.body));
  return (result.body as { delivered: number }).delivered;
}

/** The first frame is never answered: waits until the server counts that many authorized sockets. */
function accepted(server: RunningServer, authorized: number): Promise<unknown> {
  return statsUntil(server, (stats) => stats.authorized === authorized, `${authorized} socket(s) are signed in on the server`);
}

/** How long a request took to fail, and with what. */
async function failure(request: Observable<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await firstValueFrom(request).then(
    (value) => assert.fail(`expected a refusal, got ${JSON.stringify(value)}`),
    (e: unknown) => e,
  );
  return { error, ms: performance.now() - started };
}

/** How a controller stopped: closedForever$'s error, everything error$ said, and how open() ended. */
async function stopping(socket: RegisterSocket): Promise<{ error: unknown; errors: Error[]; opened: unknown }> {
  const errors: Error[] = [];
  socket.error$.subscribe((error) => errors.push(error));
  const stopped = next(socket.closedForever$, 'closedForever$');
  const opened = firstValueFrom(socket.open()).then(
    (result) => ({ completed: result }),
    (error: unknown) => ({ failed: error }),
  );
  const { error } = await stopped;
  return { error, errors, opened: await opened };
}

describe('registerPreset against /dialects/register', () => {
  test('counts the unanswered subscribe with a token from the HTTP login as accepted once written: open() completes subscribed', async (t) => {
    const env = await registerEnv(t);
    const tokens = signingIn(env.server, 'viewer');
    const log = socketLog();
    const socket = env.events(tokens.source, log.Ctor);
    const messages = recordMessages(t, socket);

    const opened = await next(socket.open(), 'open() to complete');

    assert.deepEqual(opened, { authResponse: undefined, subscribeResponses: [] });
    assert.equal(socket.state, SocketState.subscribed);
    assert.deepEqual(sentJson(log), [{ '@type': 'subscribe', jwt: tokens.calls[0].token }]);
    assert.deepEqual(messages, [], 'the server said nothing');
    // It was accepted all the same: the server counts the socket signed in and getting events.
    await statsUntil(env.server, (stats) => stats.authorized === 1 && stats.subscriptions === 1, 'the server accepted the subscribe');
  });

  test('needs no subscription beyond the first frame: an event arrives', async (t) => {
    const env = await registerEnv(t);
    const socket = env.events(signingIn(env.server, 'viewer').source);
    await next(socket.open(), 'open() to complete');
    await accepted(env.server, 1);

    const event = arrives(socket, eventWith('first'), 'the event');
    assert.equal(await postEvent(env.server, { kind: 'tree', workspace: 'ws-common', payload: 'first' }), 1);
    assert.deepEqual(await event, { '@type': 'event', kind: 'tree', workspace: 'ws-common', payload: 'first' });
  });

  test('delivers events on messages$ as the server filters them: a viewer gets no ws-admin event nor another user’s idm', async (t) => {
    const env = await registerEnv(t);
    const viewer = env.events(signingIn(env.server, 'viewer').source);
    const admin = env.events(signingIn(env.server, 'admin').source);
    const viewerGot = recordMessages(t, viewer);
    const adminGot = recordMessages(t, admin);
    await next(viewer.open(), 'the viewer open() to complete');
    await next(admin.open(), 'the admin open() to complete');
    await accepted(env.server, 2);

    assert.equal(await postEvent(env.server, { kind: 'tree', workspace: 'ws-admin', payload: 'admins only' }), 1);
    assert.equal(await postEvent(env.server, { kind: 'idm', workspace: 'ws-common', user: 'u-admin', payload: 'for u-admin' }), 1);
    // Posted last, to everyone: once it arrived, whatever was sent before it has arrived too.
    const viewerMarker = arrives(viewer, eventWith('everyone'), 'the viewer’s ws-common event');
    const adminMarker = arrives(admin, eventWith('everyone'), 'the admin’s ws-common event');
    assert.equal(await postEvent(env.server, { kind: 'activity', workspace: 'ws-common', payload: 'everyone' }), 2);
    await Promise.all([viewerMarker, adminMarker]);

    assert.deepEqual(
      viewerGot.map((m) => m['payload']),
      ['everyone'],
    );
    assert.deepEqual(
      adminGot.map((m) => m['payload']),
      ['admins only', 'for u-admin', 'everyone'],
    );
  });

  test('fails a request at once with MissingRequestIdError: the endpoint answers nothing, so nothing can be correlated', async (t) => {
    const env = await registerEnv(t);
    const socket = env.events(signingIn(env.server, 'viewer').source);
    await next(socket.open(), 'open() to complete');

    const { error, ms } = await failure(socket.request({ '@type': 'unsubscribe' }));
    assert.ok(error instanceof MissingRequestIdError, `expected MissingRequestIdError, got ${String(error)}`);
    assert.ok(ms < AT_ONCE);
    assert.equal(socket.state, SocketState.subscribed);
  });

  test('after a drop, subscribes again with a new token and events arrive again', async (t) => {
    const env = await registerEnv(t);
    const tokens = signingIn(env.server, 'viewer');
    const log = socketLog();
    const socket = env.events(tokens.source, log.Ctor);
    await next(socket.open(), 'open() to complete');
    await accepted(env.server, 1);

    const resubscribed = next(socket.subscribed$, 'the socket to be subscribed again');
    await control(env.server, 'drop?dialect=register');
    await resubscribed;
    await accepted(env.server, 1);

    assert.equal(log.sockets.length, 2);
    assert.deepEqual(
      tokens.calls.map((call) => [call.connection, call.tokenExpired]),
      [
        [1, false],
        [2, false],
      ],
    );
    assert.notEqual(tokens.calls[1].token, tokens.calls[0].token);
    assert.deepEqual(sentJson(log), [
      { '@type': 'subscribe', jwt: tokens.calls[0].token },
      { '@type': 'subscribe', jwt: tokens.calls[1].token },
    ]);
    const event = arrives(socket, eventWith('after the drop'), 'the event after the drop');
    assert.equal(await postEvent(env.server, { kind: 'meta', workspace: 'ws-common', payload: 'after the drop' }), 1);
    await event;
  });

  test('stops for good on an invalid token: the error frame refuses the unanswered subscribe (AuthRejectedError), one connection attempt', async (t) => {
    const env = await registerEnv(t);
    const log = socketLog();
    const socket = env.events(() => of('not-a-token'), log.Ctor);

    const { error, errors, opened } = await stopping(socket);

    // The subscribe counted as accepted once written, so open() had completed; the error frame the
    // server sends before its 4401 close is the first message after it: its refusal.
    assert.deepEqual(opened, { completed: { authResponse: undefined, subscribeResponses: [] } });
    assert.ok(error instanceof AuthRejectedError, `expected AuthRejectedError, got ${String(error)}`);
    assert.deepEqual((error as AuthRejectedError<RegisterFrame>).response, {
      '@type': 'error',
      error: 'The access token is not valid here: sign in again.',
    });
    assert.deepEqual(errors, [error]);
    assert.equal(socket.active, false);
    assert.equal(socket.state, SocketState.closed);
    assert.equal(log.sockets.length, 1);
    await statsUntil(env.server, (stats) => stats.sockets === 0, 'the server closed the refused socket');
  });

  test('renews a token that expires while subscribed: the source is asked with tokenExpired, and events arrive again', async (t) => {
    const env = await registerEnv(t);
    const tokens = signingIn(env.server, 'viewer');
    const socket = env.events(tokens.source);
    await next(socket.open(), 'open() to complete');
    await accepted(env.server, 1);

    const closed = next(socket.closed$, 'the close');
    const resubscribed = next(socket.subscribed$, 'the socket to be subscribed again');
    await control(env.server, 'expire-tokens');

    assert.deepEqual(await closed, { code: 4419, reason: 'token expired', wasClean: true, willReconnect: true, reconnectIn: 0 });
    await resubscribed;
    assert.deepEqual(
      tokens.calls.map((call) => [call.connection, call.tokenExpired]),
      [
        [1, false],
        [2, true],
      ],
    );
    assert.equal(socket.state, SocketState.subscribed);
    await accepted(env.server, 1);
    const event = arrives(socket, eventWith('renewed'), 'an event after the renewal');
    assert.equal(await postEvent(env.server, { kind: 'tree', workspace: 'ws-common', payload: 'renewed' }), 1);
    await event;
  });

  test('renews a token refused as expired by the error frame after the subscribe, instead of stopping', async (t) => {
    const env = await registerEnv(t);
    const stale = await login(env.server, 'viewer');
    await control(env.server, 'expire-tokens');
    const tokens = signingIn(env.server, 'viewer', stale);
    const log = socketLog();
    const socket = env.events(tokens.source, log.Ctor);
    const errors: Error[] = [];
    socket.error$.subscribe((error) => errors.push(error));
    const outcome = next(
      merge(
        socket.subscribed$.pipe(
          filter(() => tokens.calls.length === 2),
          map(() => 'renewed'),
        ),
        socket.closedForever$.pipe(map(({ error }) => `stopped: ${String(error)}`)),
      ),
      'the socket renewed its token or stopped',
    );

    // The stale subscribe counts as accepted once written; the error frame after it says it expired.
    await next(socket.open(), 'open() to complete');
    assert.equal(await outcome, 'renewed');
    await accepted(env.server, 1);

    assertRenewedOnce(tokens, stale);
    assert.equal(log.sockets.length, 2);
    assert.equal(socket.state, SocketState.subscribed);
    assert.deepEqual(errors, []);
  });

  test('stops with TokenExpiredError when the renewed token is refused as expired too: two connections, no loop', async (t) => {
    const env = await registerEnv(t);
    const stale = await login(env.server, 'viewer');
    await control(env.server, 'expire-tokens');
    const log = socketLog();
    const socket = env.events(() => of(stale), log.Ctor);

    const { error, errors } = await stopping(socket);

    assert.ok(error instanceof TokenExpiredError, `expected TokenExpiredError, got ${String(error)}`);
    assert.deepEqual(errors, [error]);
    assert.equal(log.sockets.length, 2);
    assert.equal(socket.active, false);
  });
});

describe('registerChatPreset against /dialects/register/chat', () => {
  test('counts the unanswered subscribe with a token from the HTTP login as accepted once written: open() completes subscribed', async (t) => {
    const env = await registerEnv(t);
    const tokens = signingIn(env.server, 'viewer');
    const log = socketLog();
    const socket = env.chat({ token: tokens.source }, log.Ctor);

    const opened = await next(socket.open(), 'open() to complete');

    assert.deepEqual(opened, { authResponse: undefined, subscribeResponses: [] });
    assert.equal(socket.state, SocketState.subscribed);
    assert.deepEqual(sentJson(log), [{ '@type': 'subscribe', jwt: tokens.calls[0].token }]);
    await accepted(env.server, 1);
  });

  test('joins the configured rooms once the subscribe is written; each join is accepted by its room with the history', async (t) => {
    const env = await registerEnv(t);
    const poster = env.chat({ token: signingIn(env.server, 'admin').source, workspaces: ['ws-common'] });
    await next(poster.open(), 'the poster open() to complete');
    const echoed = arrives(poster, chatSaying('second'), 'the poster’s own second message');
    await firstValueFrom(poster.send(postChat('ws-common', 'first')), { defaultValue: undefined });
    await firstValueFrom(poster.send(postChat('ws-common', 'second')), { defaultValue: undefined });
    await echoed;

    const log = socketLog();
    const socket = env.chat({ token: signingIn(env.server, 'viewer').source, workspaces: ['ws-common', 'ws-personal-u-viewer'] }, log.Ctor);
    const opened = await next(socket.open(), 'open() to complete');

    assert.deepEqual(
      sentJson<RegisterFrame>(log).map((frame) => [frame['@type'], frame.RoomUuid]),
      [
        ['subscribe', undefined],
        ['join', 'ws-common'],
        ['join', 'ws-personal-u-viewer'],
      ],
    );
    const [common, personal] = opened.subscribeResponses;
    assert.equal(opened.subscribeResponses.length, 2);
    assert.deepEqual(
      { type: common['@type'], room: common.RoomUuid, history: common.Messages?.map((m) => [m.Payload, m['Author']]) },
      {
        type: 'room',
        room: 'ws-common',
        history: [
          ['first', 'admin'],
          ['second', 'admin'],
        ],
      },
    );
    assert.deepEqual(personal, { '@type': 'room', RoomType: 'WORKSPACE', RoomUuid: 'ws-personal-u-viewer', Messages: [] });
    await statsUntil(env.server, (stats) => stats.subscriptions === 3, 'the server counts the rooms joined');
  });

  test('delivers msg pushes after a post on messages$, while the room answers never appear there', async (t) => {
    const env = await registerEnv(t);
    const viewer = env.chat({ token: signingIn(env.server, 'viewer').source, workspaces: ['ws-common'] });
    const manager = env.chat({ token: signingIn(env.server, 'manager').source, workspaces: ['ws-common'] });
    const viewerGot = recordMessages(t, viewer);
    const managerGot = recordMessages(t, manager);
    await next(viewer.open(), 'the viewer open() to complete');
    await next(manager.open(), 'the manager open() to complete');

    const atViewer = arrives(viewer, chatSaying('hello'), 'the message at the viewer');
    const atManager = arrives(manager, chatSaying('hello'), 'the message back at its poster');
    await firstValueFrom(manager.send(postChat('ws-common', 'hello')), { defaultValue: undefined });

    const message = await atViewer;
    assert.deepEqual({ ...message, Timestamp: typeof message['Timestamp'] }, {
      '@type': 'msg',
      RoomType: 'WORKSPACE',
      RoomUuid: 'ws-common',
      Payload: 'hello',
      Author: 'manager',
      Timestamp: 'number',
    });
    assert.deepEqual(await atManager, message);
    assert.deepEqual(
      viewerGot.map((m) => m['@type']),
      ['msg'],
    );
    assert.deepEqual(
      managerGot.map((m) => m['@type']),
      ['msg'],
    );
  });

  test('answers a join request by its room, and fails a join of a workspace the user lacks at once (ErrorResponseError, SubscribeRejectedError)', async (t) => {
    const env = await registerEnv(t);
    const socket = env.chat({ token: signingIn(env.server, 'viewer').source, workspaces: ['ws-common'] });
    const messages = recordMessages(t, socket);
    await next(socket.open(), 'open() to complete');

    const room = await next(socket.request(joinChat('ws-personal-u-viewer')), 'the room answering the join');
    assert.deepEqual(room, { '@type': 'room', RoomType: 'WORKSPACE', RoomUuid: 'ws-personal-u-viewer', Messages: [] });

    // The error names no room: routeErrorResponse gives it to the waiting join.
    const asRequest = await failure(socket.request(joinChat('ws-admin')));
    assert.ok(asRequest.error instanceof ErrorResponseError, `expected ErrorResponseError, got ${String(asRequest.error)}`);
    assert.deepEqual((asRequest.error as ErrorResponseError<RegisterFrame>).response, { '@type': 'error', error: 'You may not join this room.' });
    assert.ok(asRequest.ms < AT_ONCE, `the refusal took ${Math.round(asRequest.ms)} ms (requestTimeout ${REQUEST_TIMEOUT} ms)`);

    const asSubscription = await failure(socket.subscription(joinChat('ws-managers'), { unsubscribe: leaveChat('ws-managers') }));
    assert.ok(asSubscription.error instanceof SubscribeRejectedError, `expected SubscribeRejectedError, got ${String(asSubscription.error)}`);
    assert.match((asSubscription.error as Error).message, /You may not join this room\./);
    assert.ok(asSubscription.ms < AT_ONCE, `the refusal took ${Math.round(asSubscription.ms)} ms (requestTimeout ${REQUEST_TIMEOUT} ms)`);

    // The socket goes on, in the rooms it joined; neither refusal reached messages$.
    assert.equal(socket.state, SocketState.subscribed);
    assert.equal(socket.requestsInFlight, 0);
    assert.deepEqual(messages, []);
    await statsUntil(env.server, (stats) => stats.subscriptions === 2, 'the socket is in ws-common and its personal room');
  });

  test('after a drop, subscribes with a new token and re-joins its rooms, but not the room it joined live and left', async (t) => {
    const env = await registerEnv(t);
    const tokens = signingIn(env.server, 'manager');
    const log = socketLog();
    const socket = env.chat({ token: tokens.source, workspaces: ['ws-common'] }, log.Ctor);
    const poster = env.chat({ token: signingIn(env.server, 'admin').source, workspaces: ['ws-common', 'ws-managers'] });
    const messages = recordMessages(t, socket);
    await next(socket.open(), 'open() to complete');
    await next(poster.open(), 'the poster open() to complete');
    const say = (room: string, text: string) => firstValueFrom(poster.send(postChat(room, text)), { defaultValue: undefined });

    // A room joined live: accepted by its room, then its messages arrive.
    const acceptances: (RegisterFrame | undefined)[] = [];
    const joinedLive = new Subject<RegisterFrame | undefined>();
    const first = next(joinedLive, 'the live join to be answered');
    const membership = socket.subscription(joinChat('ws-managers'), { unsubscribe: leaveChat('ws-managers') }).subscribe((answer) => {
      acceptances.push(answer);
      joinedLive.next(answer);
    });
    assert.equal((await first)?.['@type'], 'room');
    const managersMessage = arrives(socket, chatSaying('managers, hello'), 'the ws-managers message');
    await say('ws-managers', 'managers, hello');
    await managersMessage;

    // Left: the leave goes out, and once the server has read it (a later join is answered after it)
    // messages of ws-managers no longer arrive, while those of ws-common still do.
    membership.unsubscribe();
    await next(socket.request(joinChat('ws-common')), 'a join answered after the leave');
    const commonMessage = arrives(socket, chatSaying('everyone, hello'), 'the ws-common message');
    await say('ws-managers', 'managers, again');
    await say('ws-common', 'everyone, hello');
    await commonMessage;
    assert.deepEqual(
      messages.map((m) => m.Payload),
      ['managers, hello', 'everyone, hello'],
    );

    // The drop: a new socket, a new token, and only the configured room.
    const sentBefore = log.sent.length;
    const resubscribed = next(socket.subscribed$, 'the socket to be subscribed again');
    const posterBack = next(poster.subscribed$, 'the poster to be subscribed again');
    await control(env.server, 'drop?dialect=register');
    const [room] = await resubscribed;
    await posterBack;

    assert.equal(log.sockets.length, 2);
    assert.deepEqual(
      tokens.calls.map((call) => [call.connection, call.tokenExpired]),
      [
        [1, false],
        [2, false],
      ],
    );
    assert.notEqual(tokens.calls[1].token, tokens.calls[0].token);
    assert.deepEqual(
      log.sent.slice(sentBefore).map((frame) => JSON.parse(frame) as RegisterFrame),
      [
        { '@type': 'subscribe', jwt: tokens.calls[1].token },
        { '@type': 'join', RoomType: 'WORKSPACE', RoomUuid: 'ws-common' },
      ],
    );
    assert.equal(room.RoomUuid, 'ws-common');
    assert.equal(acceptances.length, 1);
    await statsUntil(env.server, (stats) => stats.subscriptions === 3, 'one room for the socket, two for the poster');

    const later = messages.length;
    const commonAgain = arrives(socket, chatSaying('everyone, again'), 'the ws-common message after the drop');
    await say('ws-managers', 'managers, after the drop');
    await say('ws-common', 'everyone, again');
    await commonAgain;
    assert.deepEqual(
      messages.slice(later).map((m) => m.Payload),
      ['everyone, again'],
    );
  });

  test('stops for good on an invalid token: the error frame refuses the unanswered subscribe (AuthRejectedError), one connection attempt', async (t) => {
    const env = await registerEnv(t);
    const log = socketLog();
    const socket = env.chat({ token: () => of('not-a-token'), workspaces: ['ws-common'] }, log.Ctor);

    const { error, errors, opened } = await stopping(socket);

    // The join waited for its room, so open() had not completed: it fails with the refusal. The error
    // frame is screened as the subscribe's refusal before routeErrorResponse could give it to the join.
    assert.ok(error instanceof AuthRejectedError, `expected AuthRejectedError, got ${String(error)}`);
    assert.deepEqual(opened, { failed: error });
    assert.deepEqual(errors, [error]);
    assert.equal(socket.active, false);
    assert.equal(log.sockets.length, 1);
    await statsUntil(env.server, (stats) => stats.sockets === 0, 'the server closed the refused socket');
  });

  test('renews a token that expires while subscribed, and joins its rooms again', async (t) => {
    const env = await registerEnv(t);
    const tokens = signingIn(env.server, 'viewer');
    const socket = env.chat({ token: tokens.source, workspaces: ['ws-common'] });
    await next(socket.open(), 'open() to complete');

    const closed = next(socket.closed$, 'the close');
    const resubscribed = next(socket.subscribed$, 'the socket to be subscribed again');
    await control(env.server, 'expire-tokens');

    assert.equal((await closed).code, 4419);
    const [room] = await resubscribed;
    assert.equal(room.RoomUuid, 'ws-common');
    assert.deepEqual(
      tokens.calls.map((call) => [call.connection, call.tokenExpired]),
      [
        [1, false],
        [2, true],
      ],
    );
    assert.equal(socket.state, SocketState.subscribed);
  });

  test('renews a token refused as expired by the error frame after the subscribe, with a join waiting, then completes open()', async (t) => {
    const env = await registerEnv(t);
    const stale = await login(env.server, 'viewer');
    await control(env.server, 'expire-tokens');
    const tokens = signingIn(env.server, 'viewer', stale);
    const log = socketLog();
    const socket = env.chat({ token: tokens.source, workspaces: ['ws-common'] }, log.Ctor);
    const errors: Error[] = [];
    socket.error$.subscribe((error) => errors.push(error));

    // The error frame is screened as the subscribe's refusal, not routed to the waiting join.
    const opened = await next(socket.open(), 'open() to complete');

    assertRenewedOnce(tokens, stale);
    assert.equal(log.sockets.length, 2);
    assert.deepEqual(
      opened.subscribeResponses.map((room) => [room['@type'], room.RoomUuid]),
      [['room', 'ws-common']],
    );
    assert.deepEqual(errors, []);
  });
});

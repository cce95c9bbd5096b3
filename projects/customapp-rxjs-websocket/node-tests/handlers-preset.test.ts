// handlersPreset against the e2e-server's /dialects/handlers: init with a token from the HTTP login,
// watches answered by their list, item/remove pushes told apart from answers, correlated queries and
// refusals routed by resource type, reconnects that resume the session without stopped watches, and
// the token's refusal and renewal.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { describe, test } from 'node:test';
import { filter, firstValueFrom, Observable, of, ReplaySubject } from 'rxjs';
import type { WebSocketCtor } from 'customapp-rxjs-websocket';
import { AuthRejectedError, ErrorResponseError, SocketState, TokenExpiredError, WebSocketController } from 'customapp-rxjs-websocket';
import type { HandlersFrame, HandlersPresetOptions } from 'customapp-rxjs-websocket/presets';
import { handlersPreset, query, stop, watch } from 'customapp-rxjs-websocket/presets';
import type { RunningServer } from '../../../e2e-server/src/index.js';
import { closedAfter, control, login, next, NodeWebSocket, post, sentJson, serverFor, signingIn, socketLog, statsUntil, assertRenewedOnce } from './support.js';

type HandlersSocket = WebSocketController<HandlersFrame, HandlersFrame, string>;

/** Long enough that a refusal which waited for it could never pass for one that came at once. */
const REQUEST_TIMEOUT = 20_000;
/** A refusal routed by routeErrorResponse comes well under this. */
const AT_ONCE = 2_000;

interface Env {
  readonly server: RunningServer;
  /** A controller of the handlers preset, closed after the test (before the server). */
  socket(options: Omit<HandlersPresetOptions, 'url'>, WebSocketCtor?: WebSocketCtor): HandlersSocket;
}

async function handlersEnv(t: TestContext): Promise<Env> {
  const closeAfter = closedAfter(t);
  const server = await serverFor(t);
  return {
    server,
    socket: (options, WebSocketCtor = NodeWebSocket) =>
      closeAfter(
        new WebSocketController({ ...handlersPreset({ url: server.dialectUrl('handlers'), ...options }), WebSocketCtor, requestTimeout: REQUEST_TIMEOUT }),
      ),
  };
}

/** Every message that reaches `messages$` from now on. */
function recordMessages(t: TestContext, socket: HandlersSocket): HandlersFrame[] {
  const messages: HandlersFrame[] = [];
  const subscription = socket.messages$.subscribe((message) => messages.push(message));
  t.after(() => subscription.unsubscribe());
  return messages;
}

/** The next push of this handler about this item. */
function pushed(socket: HandlersSocket, handler: 'item' | 'remove', type: string, id: string): Promise<HandlersFrame> {
  const about = (message: HandlersFrame) => (handler === 'item' ? message.data?.id : message.params?.id) === id;
  return next(socket.messages$.pipe(filter((m) => m.handler === handler && m.type === type && about(m))), `an ${handler} push of ${type} ${id}`);
}

/** Changes an item over HTTP (the viewer's own items). */
async function putItem(server: RunningServer, token: string, type: string, item: Record<string, unknown>): Promise<Record<string, unknown>> {
  const result = await post(server, `/api/dialects/handlers/${type}`, token, { op: 'put', item });
  assert.equal(result.status, 200, JSON.stringify(result.body));
  return (result.body as { item: Record<string, unknown> }).item;
}

async function deleteItem(server: RunningServer, token: string, type: string, id: string): Promise<void> {
  const result = await post(server, `/api/dialects/handlers/${type}`, token, { op: 'delete', id });
  assert.equal(result.status, 200, JSON.stringify(result.body));
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

const VIEWER = { id: 'u-viewer', login: 'viewer', name: 'Vera Viewer', role: 'VIEWER' };

describe('handlersPreset against /dialects/handlers', () => {
  test('authorizes with a token from the HTTP login: init is answered by the session, open() completes subscribed', async (t) => {
    const env = await handlersEnv(t);
    const tokens = signingIn(env.server, 'viewer');
    const log = socketLog();
    const socket = env.socket({ token: tokens.source }, log.Ctor);

    const opened = await next(socket.open(), 'open() to complete');

    assert.equal(socket.state, SocketState.subscribed);
    assert.equal(tokens.calls.length, 1);
    assert.deepEqual(sentJson(log), [{ handler: 'init', token: tokens.calls[0].token }]);
    const session = opened.authResponse as HandlersFrame;
    assert.equal(session.handler, 'session');
    assert.match(String(session.id), /^hs-/);
    assert.equal(session.resumed, false);
    assert.deepEqual(session['user'], VIEWER);
    assert.deepEqual(opened.subscribeResponses, []);
    assert.equal(socket.authResponse, session);
  });

  test('sends the configured watches once authorized; each is accepted by its list answer', async (t) => {
    const env = await handlersEnv(t);
    const socket = env.socket({
      token: signingIn(env.server, 'viewer').source,
      watch: [{ type: 'nodes' }, { type: 'workflows', params: { owner: 'u-viewer' } }],
    });

    const opened = await next(socket.open(), 'open() to complete');

    // The viewer sees their own items and the shared ones.
    const [nodes, workflows] = opened.subscribeResponses;
    assert.equal(opened.subscribeResponses.length, 2);
    assert.deepEqual(
      { handler: nodes.handler, type: nodes.type, ids: nodes.items?.map((item) => (item as { id: string }).id) },
      { handler: 'list', type: 'nodes', ids: ['node-3', 'node-4'] },
    );
    assert.deepEqual(
      { handler: workflows.handler, type: workflows.type, ids: workflows.items?.map((item) => (item as { id: string }).id) },
      { handler: 'list', type: 'workflows', ids: ['workflow-4'] },
    );
    await statsUntil(env.server, (stats) => stats.authorized === 1 && stats.subscriptions === 2, 'the server holds both watches');
  });

  test('delivers item and remove pushes of a watch on messages$, while its list answer never appears there', async (t) => {
    const env = await handlersEnv(t);
    const socket = env.socket({ token: signingIn(env.server, 'viewer').source, watch: [{ type: 'nodes' }] });
    const messages = recordMessages(t, socket);
    await next(socket.open(), 'open() to complete');
    const token = await login(env.server, 'viewer');

    const created = pushed(socket, 'item', 'nodes', 'node-5');
    const item = await putItem(env.server, token, 'nodes', { name: 'storage-02', status: 'new' });
    assert.equal(item['id'], 'node-5');
    assert.deepEqual(await created, {
      handler: 'item',
      type: 'nodes',
      data: { id: 'node-5', name: 'storage-02', owner: 'u-viewer', status: 'new' },
    });

    const removed = pushed(socket, 'remove', 'nodes', 'node-5');
    await deleteItem(env.server, token, 'nodes', 'node-5');
    assert.deepEqual(await removed, { handler: 'remove', type: 'nodes', params: { id: 'node-5' } });

    // The watch's list went to the handshake only: messages$ saw the two pushes and nothing else.
    assert.deepEqual(
      messages.map((m) => m.handler),
      ['item', 'remove'],
    );
  });

  test('answers a query by its list, and fails a query of an unknown type at once with ErrorResponseError (routed by type)', async (t) => {
    const env = await handlersEnv(t);
    const socket = env.socket({ token: signingIn(env.server, 'viewer').source, watch: [{ type: 'nodes' }] });
    const messages = recordMessages(t, socket);
    await next(socket.open(), 'open() to complete');

    const list = await next(socket.request(query('nodes', { name: 'switch-01' })), 'the list answering the query');
    assert.deepEqual(list, {
      handler: 'list',
      type: 'nodes',
      items: [{ id: 'node-4', name: 'switch-01', owner: 'shared', status: 'provisioned' }],
    });

    // The error names the type but not the request: routeErrorResponse gives it to the query of that type.
    const { error, ms } = await failure(socket.request(query('sku')));
    assert.ok(error instanceof ErrorResponseError, `expected ErrorResponseError, got ${String(error)}`);
    assert.deepEqual((error as ErrorResponseError<HandlersFrame>).response.params, {
      code: 'UNKNOWN_TYPE',
      message: 'There is no resource type "sku": use nodes or workflows.',
    });
    assert.match(error.message, /^UNKNOWN_TYPE: /);
    assert.ok(ms < AT_ONCE, `the refusal took ${Math.round(ms)} ms (requestTimeout ${REQUEST_TIMEOUT} ms)`);

    // The socket goes on: the refusal was the query's alone and no message of either reached messages$.
    assert.equal(socket.state, SocketState.subscribed);
    assert.equal(socket.requestsInFlight, 0);
    assert.deepEqual(messages, []);
  });

  test('after a drop, signs in with a new token, resumes its session and re-watches all but the watch that was stopped', async (t) => {
    const env = await handlersEnv(t);
    const tokens = signingIn(env.server, 'viewer');
    const log = socketLog();
    const socket = env.socket({ token: tokens.source, watch: [{ type: 'nodes' }] }, log.Ctor);
    const messages = recordMessages(t, socket);
    const first = await next(socket.open(), 'open() to complete');
    const firstSession = first.authResponse as HandlersFrame;
    const token = await login(env.server, 'viewer');

    // A watch added live: accepted by its list, then its pushes arrive.
    const acceptances: (HandlersFrame | undefined)[] = [];
    const accepted = new ReplaySubject<HandlersFrame | undefined>();
    const watching = socket.subscription(watch('workflows'), { unsubscribe: stop('workflows') }).subscribe((answer) => {
      acceptances.push(answer);
      accepted.next(answer);
    });
    const list = await next(accepted, 'the live watch to be answered');
    assert.equal(list?.handler, 'list');
    assert.equal(list?.type, 'workflows');
    const workflowPush = pushed(socket, 'item', 'workflows', 'workflow-4');
    await putItem(env.server, token, 'workflows', { id: 'workflow-4', name: 'Graph.Reboot', status: 'running' });
    await workflowPush;

    // Removed: the stop goes out, and once the server has read it (a later query is answered after it)
    // changes of workflows no longer arrive, while those of nodes still do.
    watching.unsubscribe();
    await next(socket.request(query('nodes')), 'a query answered after the stop');
    await statsUntil(env.server, (stats) => stats.subscriptions === 1, 'the server dropped the workflows watch');
    const nodePush = pushed(socket, 'item', 'nodes', 'node-3');
    await putItem(env.server, token, 'workflows', { id: 'workflow-4', name: 'Graph.Reboot', status: 'done' });
    await putItem(env.server, token, 'nodes', { id: 'node-3', name: 'storage-01', status: 'degraded' });
    await nodePush;
    assert.deepEqual(
      messages.map((m) => `${m.handler} ${m.type}`),
      ['item workflows', 'item nodes'],
    );

    // The drop: a new socket, a new token, the old session id sent back, and only the nodes watch.
    const sentBefore = log.sent.length;
    const resubscribed = next(socket.subscribed$, 'the socket to be subscribed again');
    await control(env.server, 'drop?dialect=handlers');
    const [nodes] = await resubscribed;

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
      log.sent.slice(sentBefore).map((frame) => JSON.parse(frame) as HandlersFrame),
      [
        { handler: 'init', token: tokens.calls[1].token, id: firstSession.id },
        { handler: 'watch', type: 'nodes', params: {} },
      ],
    );
    const resumed = socket.authResponse as HandlersFrame;
    assert.equal(resumed.id, firstSession.id);
    assert.equal(resumed.resumed, true);
    assert.equal(nodes.type, 'nodes');
    assert.equal(socket.state, SocketState.subscribed);
    assert.equal(acceptances.length, 1);
    await statsUntil(env.server, (stats) => stats.authorized === 1 && stats.subscriptions === 1, 'the new socket holds one watch');

    // And on the new socket, too, workflows changes stay away.
    const later = messages.length;
    const nodePushAgain = pushed(socket, 'item', 'nodes', 'node-3');
    await putItem(env.server, token, 'workflows', { id: 'workflow-4', name: 'Graph.Reboot', status: 'failed' });
    await putItem(env.server, token, 'nodes', { id: 'node-3', name: 'storage-01', status: 'online' });
    await nodePushAgain;
    assert.deepEqual(
      messages.slice(later).map((m) => `${m.handler} ${m.type}`),
      ['item nodes'],
    );
  });

  test('stops for good on an invalid token: AuthRejectedError on error$, closedForever$, one connection attempt', async (t) => {
    const env = await handlersEnv(t);
    const log = socketLog();
    const socket = env.socket({ token: () => of('not-a-token') }, log.Ctor);
    const errors: Error[] = [];
    socket.error$.subscribe((error) => errors.push(error));
    const stopped = next(socket.closedForever$, 'closedForever$');

    const opened = firstValueFrom(socket.open()).then(
      () => assert.fail('open() completed'),
      (error: unknown) => error,
    );
    const { error } = await stopped;

    // The refusal names no request: routeErrorResponse gives it to the waiting init at once.
    assert.ok(error instanceof AuthRejectedError, `expected AuthRejectedError, got ${String(error)}`);
    assert.equal((error as AuthRejectedError<HandlersFrame>).response?.params?.code, 'TOKEN_INVALID');
    assert.equal(await opened, error);
    assert.deepEqual(errors, [error]);
    assert.equal(socket.active, false);
    assert.equal(socket.state, SocketState.closed);
    assert.equal(log.sockets.length, 1);
    await statsUntil(env.server, (stats) => stats.sockets === 0, 'the server closed the refused socket');
  });

  test('renews a token that expires while subscribed: the source is asked with tokenExpired, and the socket is subscribed again', async (t) => {
    const env = await handlersEnv(t);
    const tokens = signingIn(env.server, 'viewer');
    const socket = env.socket({ token: tokens.source, watch: [{ type: 'nodes' }] });
    const first = await next(socket.open(), 'open() to complete');

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
    assert.notEqual(tokens.calls[1].token, tokens.calls[0].token);
    assert.equal(socket.state, SocketState.subscribed);
    assert.equal((socket.authResponse as HandlersFrame).id, (first.authResponse as HandlersFrame).id);
    await statsUntil(env.server, (stats) => stats.authorized === 1 && stats.subscriptions === 1, 'the new socket holds its watch');
  });

  test('renews a token refused as expired at init (TOKEN_EXPIRED), then completes open()', async (t) => {
    const env = await handlersEnv(t);
    const stale = await login(env.server, 'viewer');
    await control(env.server, 'expire-tokens');
    const tokens = signingIn(env.server, 'viewer', stale);
    const log = socketLog();
    const socket = env.socket({ token: tokens.source }, log.Ctor);
    const errors: Error[] = [];
    socket.error$.subscribe((error) => errors.push(error));

    const opened = await next(socket.open(), 'open() to complete');

    assertRenewedOnce(tokens, stale);
    assert.equal(log.sockets.length, 2);
    assert.equal((opened.authResponse as HandlersFrame).handler, 'session');
    assert.equal(socket.state, SocketState.subscribed);
    assert.deepEqual(errors, []);
  });

  test('stops with TokenExpiredError when the renewed token is refused as expired too: two connections, no loop', async (t) => {
    const env = await handlersEnv(t);
    const stale = await login(env.server, 'viewer');
    await control(env.server, 'expire-tokens');
    const log = socketLog();
    const socket = env.socket({ token: () => of(stale) }, log.Ctor);
    const errors: Error[] = [];
    socket.error$.subscribe((error) => errors.push(error));
    const stopped = next(socket.closedForever$, 'closedForever$');

    socket.open().subscribe({ error: () => undefined });
    const { error } = await stopped;

    assert.ok(error instanceof TokenExpiredError, `expected TokenExpiredError, got ${String(error)}`);
    assert.deepEqual(errors, [error]);
    assert.equal(log.sockets.length, 2);
    assert.equal(socket.active, false);
  });
});

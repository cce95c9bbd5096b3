// The `handlers` dialect: `init` with the JWT first, session ids resumable by the same user only,
// query/get/all/watch/stop over nodes and workflows filtered per user, changes made over HTTP and
// pushed to watches, errors that do not say which request failed.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { describe, test } from 'node:test';
import { ResumableSessions } from '../src/dialects/handlers-sessions.js';
import { CloseCode } from '../src/protocol.js';
import type { JsonDialectClient, JsonFrame } from './dialect-helpers.js';
import { connectDialect } from './dialect-helpers.js';
import type { TestEnv, Who } from './helpers.js';
import { errorCodeOf, forgeToken, nowSeconds, useServer, waitUntil } from './helpers.js';

const is =
  (handler: string, type?: string) =>
  (frame: JsonFrame): boolean =>
    frame['handler'] === handler && (type === undefined || frame['type'] === type);

const codeOf = (frame: JsonFrame): unknown => (frame['params'] as { code?: unknown } | undefined)?.code;
const idsOf = (frame: JsonFrame): string[] => (frame['items'] as { id: string }[]).map((item) => item.id).sort();

function connect(t: TestContext, env: TestEnv): Promise<JsonDialectClient> {
  return connectDialect(t, env.server, 'handlers');
}

/** Sends `init` and resolves with its answer (`session` or `error`). */
function init(client: JsonDialectClient, token: unknown, id?: string): Promise<JsonFrame> {
  return client.request({ handler: 'init', token, ...(id === undefined ? {} : { id }) }, (frame) => is('session')(frame) || is('error')(frame));
}

/** Logs in, connects and sends `init`. */
async function signIn(t: TestContext, env: TestEnv, who: Who): Promise<{ client: JsonDialectClient; accessToken: string; session: JsonFrame }> {
  const { accessToken } = await env.login(who);
  const client = await connect(t, env);
  const session = await init(client, accessToken);
  assert.equal(session['handler'], 'session', JSON.stringify(session));
  return { client, accessToken, session };
}

function query(client: JsonDialectClient, type: string, params: object = {}): Promise<JsonFrame> {
  return client.request({ handler: 'query', type, params }, is('list', type));
}

/** Queries and waits for the list: every push the server sent before it has arrived. */
async function settle(client: JsonDialectClient): Promise<void> {
  await query(client, 'workflows', { id: 'none' });
}

function change(env: TestEnv, accessToken: string, type: string, body: unknown) {
  return env.http('POST', `/api/dialects/handlers/${type}`, { token: accessToken, body });
}

async function stats(env: TestEnv): Promise<{ sockets: number; authorized: number; subscriptions: number }> {
  return (await env.control('stats', 'GET')).body as { sockets: number; authorized: number; subscriptions: number };
}

describe('handlers dialect: init', () => {
  test('init with an access token answers a fresh session with the user', async (t) => {
    const env = await useServer(t);
    const { session } = await signIn(t, env, 'manager');
    assert.equal(typeof session['id'], 'string');
    assert.equal(session['resumed'], false);
    assert.deepEqual(session['user'], { id: 'u-manager', login: 'manager', name: 'Max Manager', role: 'MANAGER' });
  });

  test('refuses an invalid or missing token with TOKEN_INVALID, then close 4401', async (t) => {
    const env = await useServer(t);
    for (const token of ['not-a-jwt', undefined]) {
      const client = await connect(t, env);
      assert.equal(codeOf(await init(client, token)), 'TOKEN_INVALID');
      assert.equal((await client.waitForClose()).code, CloseCode.AuthRefused);
    }
  });

  test('refuses an expired token with TOKEN_EXPIRED, then close 4419', async (t) => {
    const env = await useServer(t);
    const expired = await forgeToken((await env.login('viewer')).accessToken, { exp: nowSeconds() - 1 });
    const client = await connect(t, env);
    assert.equal(codeOf(await init(client, expired)), 'TOKEN_EXPIRED');
    assert.equal((await client.waitForClose()).code, CloseCode.TokenExpired);
  });

  test('refuses a token of a logged-out session with TOKEN_REVOKED, then close 4401', async (t) => {
    const env = await useServer(t);
    const { accessToken } = await env.login('viewer');
    assert.equal((await env.http('POST', '/api/auth/logout', { token: accessToken, body: {} })).status, 204);
    const client = await connect(t, env);
    assert.equal(codeOf(await init(client, accessToken)), 'TOKEN_REVOKED');
    assert.equal((await client.waitForClose()).code, CloseCode.AuthRefused);
  });

  test('serves nothing before init: UNAUTHENTICATED with the type, and the socket stays open for init', async (t) => {
    const env = await useServer(t);
    const client = await connect(t, env);
    const refused = await client.request({ handler: 'query', type: 'nodes', params: {} }, is('error'));
    assert.deepEqual([refused['type'], codeOf(refused)], ['nodes', 'UNAUTHENTICATED']);
    assert.equal(codeOf(await client.request({ handler: 'all' }, is('error'))), 'UNAUTHENTICATED');
    assert.equal((await init(client, (await env.login('viewer')).accessToken))['handler'], 'session');
    assert.equal(idsOf(await query(client, 'nodes')).length, 2);
  });

  test('a socket without init is closed with 4408 after authTimeoutMs', async (t) => {
    const env = await useServer(t, { authTimeoutMs: 200 });
    const client = await connect(t, env);
    assert.equal((await client.waitForClose()).code, CloseCode.AuthTimeout);
  });

  test('a second init is a BAD_REQUEST and keeps the session', async (t) => {
    const env = await useServer(t);
    const { client, accessToken } = await signIn(t, env, 'viewer');
    assert.equal(codeOf(await init(client, accessToken)), 'BAD_REQUEST');
    await settle(client);
  });

  test('another path below /dialects/handlers is closed with 4400', async (t) => {
    const env = await useServer(t);
    const client = await connectDialect(t, env.server, 'handlers', { suffix: '/elsewhere' });
    assert.equal((await client.waitForClose()).code, CloseCode.ProtocolViolation);
  });
});

describe('handlers dialect: session resume', () => {
  test('the same user resumes a closed session by its id, and its watches are not restored', async (t) => {
    const env = await useServer(t);
    const first = await signIn(t, env, 'viewer');
    await first.client.request({ handler: 'watch', type: 'nodes', params: {} }, is('list', 'nodes'));
    first.client.ws.close();
    await waitUntil(async () => (await stats(env)).sockets === 0, 2000, 'the first socket is gone');

    const second = await connect(t, env);
    const resumed = await init(second, (await env.login('viewer')).accessToken, first.session['id'] as string);
    assert.deepEqual([resumed['id'], resumed['resumed']], [first.session['id'], true]);
    assert.equal((await stats(env)).subscriptions, 0);
    const admin = await env.login('admin');
    assert.equal((await change(env, admin.accessToken, 'nodes', { op: 'put', item: { name: 'shared-node', owner: 'shared' } })).status, 200);
    await settle(second);
    assert.deepEqual(second.pending, [], 'no push reaches a resumed session that did not watch again');
  });

  test('another user cannot resume the session: a fresh id, resumed false', async (t) => {
    const env = await useServer(t);
    const first = await signIn(t, env, 'viewer');
    first.client.ws.close();
    await waitUntil(async () => (await stats(env)).sockets === 0, 2000, 'the first socket is gone');
    const other = await connect(t, env);
    const answer = await init(other, (await env.login('manager')).accessToken, first.session['id'] as string);
    assert.equal(answer['resumed'], false);
    assert.notEqual(answer['id'], first.session['id']);
    const owner = await connect(t, env);
    assert.equal((await init(owner, first.accessToken, first.session['id'] as string))['resumed'], true, 'the owner still may');
  });

  test('an unknown id, or one held by an open socket, gives a fresh id', async (t) => {
    const env = await useServer(t);
    const open = await signIn(t, env, 'viewer');
    for (const id of ['hs-unknown', open.session['id'] as string]) {
      const client = await connect(t, env);
      const answer = await init(client, open.accessToken, id);
      assert.equal(answer['resumed'], false);
      assert.notEqual(answer['id'], id);
    }
  });

  test('an id stays resumable for the window after its socket closed, and no longer', () => {
    let now = 1_000;
    const sessions = new ResumableSessions(60_000, () => now);
    const { id } = sessions.open('u-viewer', undefined);
    sessions.release(id);
    now += 60_000;
    assert.deepEqual(sessions.open('u-viewer', id), { id, resumed: true });
    sessions.release(id);
    now += 60_001;
    const late = sessions.open('u-viewer', id);
    assert.equal(late.resumed, false);
    assert.equal(sessions.size, 1, 'the expired id is forgotten');
  });
});

describe('handlers dialect: query, get and all', () => {
  test('query lists the items of a type the user may see, filtered by params', async (t) => {
    const env = await useServer(t);
    const viewer = await signIn(t, env, 'viewer');
    assert.deepEqual(idsOf(await query(viewer.client, 'nodes')), ['node-3', 'node-4']);
    assert.deepEqual(idsOf(await query(viewer.client, 'workflows', { status: 'running' })), ['workflow-4']);
    const admin = await signIn(t, env, 'admin');
    assert.deepEqual(idsOf(await query(admin.client, 'nodes')), ['node-1', 'node-2', 'node-3', 'node-4']);
    const byName = await query(admin.client, 'nodes', { name: 'switch-01' });
    assert.deepEqual(byName['items'], [{ id: 'node-4', name: 'switch-01', owner: 'shared', status: 'provisioned' }]);
  });

  test('get answers the item, or remove when it does not exist or the user may not see it', async (t) => {
    const env = await useServer(t);
    const { client } = await signIn(t, env, 'manager');
    const get = (id: string) => client.request({ handler: 'get', type: 'nodes', params: { id } }, (frame) => (is('item')(frame) || is('remove')(frame)));
    const own = await get('node-2');
    assert.deepEqual([own['handler'], own['type'], (own['data'] as { id: string }).id], ['item', 'nodes', 'node-2']);
    assert.deepEqual(await get('node-1'), { handler: 'remove', type: 'nodes', params: { id: 'node-1' } });
    assert.deepEqual(await get('node-99'), { handler: 'remove', type: 'nodes', params: { id: 'node-99' } });
  });

  test('all lists every item of every type the user may see, each with its type', async (t) => {
    const env = await useServer(t);
    const { client } = await signIn(t, env, 'viewer');
    const all = await client.request({ handler: 'all' }, is('list'));
    assert.equal(all['type'], undefined);
    const seen = (all['items'] as { id: string; type: string }[]).map((item) => `${item.type}/${item.id}`).sort();
    assert.deepEqual(seen, ['nodes/node-3', 'nodes/node-4', 'workflows/workflow-1', 'workflows/workflow-4']);
  });
});

describe('handlers dialect: watch and stop', () => {
  test('watch answers the list, then pushes item on create and update and remove on delete', async (t) => {
    const env = await useServer(t);
    const { client, accessToken } = await signIn(t, env, 'manager');
    const list = await client.request({ handler: 'watch', type: 'workflows', params: {} }, is('list', 'workflows'));
    assert.deepEqual(idsOf(list), ['workflow-1', 'workflow-2']);

    const created = await change(env, accessToken, 'workflows', { op: 'put', item: { name: 'Graph.Bootstrap', status: 'pending' } });
    assert.equal(created.status, 200);
    const item = (created.body as { item: { id: string } }).item;
    assert.deepEqual(item, { id: item.id, name: 'Graph.Bootstrap', owner: 'u-manager', status: 'pending' });
    assert.deepEqual((await client.waitFor(is('item', 'workflows')))['data'], item);

    await change(env, accessToken, 'workflows', { op: 'put', item: { id: item.id, name: 'Graph.Bootstrap', status: 'running' } });
    assert.equal(((await client.waitFor(is('item', 'workflows')))['data'] as { status: string }).status, 'running');

    const deleted = await change(env, accessToken, 'workflows', { op: 'delete', id: item.id });
    assert.deepEqual(deleted.body, { deleted: item.id });
    assert.deepEqual(await client.waitFor(is('remove', 'workflows')), { handler: 'remove', type: 'workflows', params: { id: item.id } });
  });

  test('pushes follow the user and the params: others see nothing of items they may not see or did not ask for', async (t) => {
    const env = await useServer(t);
    const viewer = await signIn(t, env, 'viewer');
    await viewer.client.request({ handler: 'watch', type: 'nodes', params: { status: 'ready' } }, is('list', 'nodes'));
    const admin = await env.login('admin');
    const manager = await env.login('manager');
    await change(env, manager.accessToken, 'nodes', { op: 'put', item: { name: 'private', status: 'ready' } });
    await change(env, admin.accessToken, 'nodes', { op: 'put', item: { name: 'shared-but-other-status', owner: 'shared', status: 'new' } });
    await change(env, admin.accessToken, 'nodes', { op: 'put', item: { id: 'node-9', name: 'shared', owner: 'shared', status: 'ready' } });
    assert.equal(((await viewer.client.waitFor(is('item', 'nodes')))['data'] as { id: string }).id, 'node-9');
    // Given to the manager, the item leaves the viewer's sight: a remove.
    await change(env, admin.accessToken, 'nodes', { op: 'put', item: { id: 'node-9', name: 'shared', owner: 'u-manager', status: 'ready' } });
    assert.deepEqual((await viewer.client.waitFor(is('remove', 'nodes')))['params'], { id: 'node-9' });
    await settle(viewer.client);
    assert.deepEqual(viewer.client.pending, []);
  });

  test('stop ends the watch of that type and params', async (t) => {
    const env = await useServer(t);
    const { client, accessToken } = await signIn(t, env, 'manager');
    await client.request({ handler: 'watch', type: 'nodes', params: {} }, is('list', 'nodes'));
    assert.equal((await stats(env)).subscriptions, 1);
    client.send({ handler: 'stop', type: 'nodes', params: {} });
    await waitUntil(async () => (await stats(env)).subscriptions === 0, 2000, 'the watch is stopped');
    await change(env, accessToken, 'nodes', { op: 'put', item: { name: 'unseen' } });
    await settle(client);
    assert.deepEqual(client.pending, []);
  });

  test('watching the same type and params twice is one watch with one push per change', async (t) => {
    const env = await useServer(t);
    const { client, accessToken } = await signIn(t, env, 'manager');
    await client.request({ handler: 'watch', type: 'nodes', params: { a: 1, b: 'x' } }, is('list', 'nodes'));
    await client.request({ handler: 'watch', type: 'nodes', params: { b: 'x', a: 1 } }, is('list', 'nodes'));
    await client.request({ handler: 'watch', type: 'nodes', params: {} }, is('list', 'nodes'));
    assert.equal((await stats(env)).subscriptions, 2);
    await change(env, accessToken, 'nodes', { op: 'put', item: { name: 'twice', a: 1, b: 'x' } });
    await client.waitFor(is('item', 'nodes'));
    await settle(client);
    assert.deepEqual(client.pending, [], 'one push, not one per matching watch');
  });
});

describe('handlers dialect: errors', () => {
  test('error frames name the problem but never the request', async (t) => {
    const env = await useServer(t);
    const { client } = await signIn(t, env, 'viewer');
    const cases: [string | object, string, string?][] = [
      ['{not json', 'MALFORMED'],
      ['[1, 2]', 'MALFORMED'],
      [{ type: 'nodes' }, 'MALFORMED'],
      [{ handler: 'shout' }, 'UNKNOWN_HANDLER'],
      [{ handler: 'query', type: 'sku', params: {} }, 'UNKNOWN_TYPE', 'sku'],
      [{ handler: 'query', type: 'nodes', params: { name: { nested: true } } }, 'BAD_REQUEST', 'nodes'],
      [{ handler: 'get', type: 'nodes', params: {} }, 'BAD_REQUEST', 'nodes'],
      [{ handler: 'watch' }, 'BAD_REQUEST'],
    ];
    for (const [message, code, type] of cases) {
      const answer = client.waitFor(is('error'));
      if (typeof message === 'string') client.sendRaw(message);
      else client.send(message);
      const error = await answer;
      assert.equal(codeOf(error), code, JSON.stringify(message));
      assert.equal(error['type'], type);
      assert.deepEqual(Object.keys(error).filter((key) => !['handler', 'type', 'params'].includes(key)), []);
      assert.equal(typeof (error['params'] as { message?: unknown }).message, 'string');
    }
    await settle(client);
  });

  test('the HTTP API refuses strangers, other owners and bad bodies', async (t) => {
    const env = await useServer(t);
    const viewer = await env.login('viewer');
    const put = (body: unknown, token = viewer.accessToken) => change(env, token, 'nodes', body);
    assert.equal((await env.http('POST', '/api/dialects/handlers/nodes', { body: { op: 'delete', id: 'node-3' } })).status, 401);
    const cases: [unknown, number, string][] = [
      [{ op: 'put', item: { id: 'node-4', name: 'mine now' } }, 403, 'FORBIDDEN'],
      [{ op: 'put', item: { name: 'gift', owner: 'u-manager' } }, 403, 'FORBIDDEN'],
      [{ op: 'delete', id: 'node-1' }, 404, 'NOT_FOUND'],
      [{ op: 'delete', id: 'node-99' }, 404, 'NOT_FOUND'],
      [{ op: 'put', item: { name: '' } }, 400, 'BAD_REQUEST'],
      [{ op: 'put', item: { name: 'x', type: 'nodes' } }, 400, 'BAD_REQUEST'],
      [{ op: 'rename' }, 400, 'BAD_REQUEST'],
    ];
    for (const [body, status, code] of cases) {
      const result = await put(body);
      assert.deepEqual([result.status, errorCodeOf(result.body)], [status, code], JSON.stringify(body));
    }
    assert.equal((await put({ op: 'put', item: { id: 'node-3', name: 'storage-01b' } })).status, 200, 'an own item may be changed');
    assert.equal((await env.http('POST', '/api/dialects/handlers/sku', { token: viewer.accessToken, body: {} })).status, 404);
  });
});

describe('handlers dialect: the socket ends', () => {
  test('an open socket is closed with 4419 when its access token expires', async (t) => {
    const env = await useServer(t, { accessTtlSeconds: 1 });
    const { client } = await signIn(t, env, 'viewer');
    assert.equal((await client.waitForClose(3000)).code, CloseCode.TokenExpired);
  });

  test('logout closes the sockets of that session with 4440', async (t) => {
    const env = await useServer(t);
    const { client, accessToken } = await signIn(t, env, 'manager');
    const other = await signIn(t, env, 'manager');
    assert.equal((await env.http('POST', '/api/auth/logout', { token: accessToken, body: {} })).status, 204);
    assert.equal((await client.waitForClose()).code, CloseCode.SessionLoggedOut);
    await settle(other.client);
  });

  test('control drop?dialect=handlers cuts only the handlers sockets', async (t) => {
    const env = await useServer(t);
    const { client } = await signIn(t, env, 'viewer');
    const { client: main } = await env.signIn('viewer');
    const register = await connectDialect(t, env.server, 'register');
    register.send({ '@type': 'subscribe', jwt: (await env.login('viewer')).accessToken });
    await waitUntil(async () => (await stats(env)).authorized === 3, 2000, 'three authorized sockets');

    const dropped = await env.control('drop?dialect=handlers');
    assert.deepEqual(dropped.body, { ok: true, dropped: 1 });
    assert.equal((await client.waitForClose()).code, 1006);
    await main.roundTrip();
    const admin = await env.login('admin');
    const posted = await env.http('POST', '/api/dialects/register/events', { token: admin.accessToken, body: { kind: 'tree', workspace: 'ws-common', payload: 1 } });
    assert.deepEqual(posted.body, { delivered: 1 });
    assert.equal((await register.next())['@type'], 'event');
  });
});

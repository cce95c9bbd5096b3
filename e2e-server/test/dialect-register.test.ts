// The `register` dialect: the first frame carries the JWT and is never acknowledged; events reach
// the users who have their workspace; chat rooms per workspace with history; errors that do not
// say which room.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { describe, test } from 'node:test';
import { CloseCode } from '../src/protocol.js';
import type { JsonDialectClient, JsonFrame } from './dialect-helpers.js';
import { connectDialect } from './dialect-helpers.js';
import type { TestEnv, Who } from './helpers.js';
import { errorCodeOf, forgeToken, nowSeconds, useServer, waitUntil } from './helpers.js';

type Endpoint = 'events' | 'chat';

const isType =
  (type: string) =>
  (frame: JsonFrame): boolean =>
    frame['@type'] === type;

function connect(t: TestContext, env: TestEnv, endpoint: Endpoint = 'events'): Promise<JsonDialectClient> {
  return connectDialect(t, env.server, 'register', endpoint === 'chat' ? { suffix: '/chat' } : {});
}

async function stats(env: TestEnv): Promise<{ sockets: number; authorized: number; subscriptions: number }> {
  return (await env.control('stats', 'GET')).body as { sockets: number; authorized: number; subscriptions: number };
}

/** Sends the first frame; nothing answers it, so waits until the server counts one more authorized socket. */
async function subscribe(env: TestEnv, client: JsonDialectClient, jwt: string, type = 'subscribe'): Promise<void> {
  const before = (await stats(env)).authorized;
  client.send({ '@type': type, jwt });
  await waitUntil(async () => (await stats(env)).authorized > before, 2000, 'the subscribe is accepted');
}

/** Logs in, connects and subscribes. */
async function signIn(t: TestContext, env: TestEnv, who: Who, endpoint: Endpoint = 'events'): Promise<{ client: JsonDialectClient; accessToken: string }> {
  const { accessToken } = await env.login(who);
  const client = await connect(t, env, endpoint);
  await subscribe(env, client, accessToken);
  return { client, accessToken };
}

/** Posts an event as the admin; resolves with `delivered`. */
async function post(env: TestEnv, event: object): Promise<number> {
  const { accessToken } = await env.login('admin');
  const result = await env.http('POST', '/api/dialects/register/events', { token: accessToken, body: { payload: null, ...event } });
  assert.equal(result.status, 200, JSON.stringify(result.body));
  return (result.body as { delivered: number }).delivered;
}

/** Posts a ws-common event that every subscribed socket gets: what was sent to them before has arrived. */
async function settle(env: TestEnv, ...clients: JsonDialectClient[]): Promise<void> {
  const marker = `settle-${Math.random()}`;
  await post(env, { kind: 'activity', workspace: 'ws-common', payload: marker });
  for (const client of clients) await client.waitFor((frame) => frame['payload'] === marker);
}

function join(client: JsonDialectClient, roomUuid: string): Promise<JsonFrame> {
  const answer = (frame: JsonFrame): boolean => isType('error')(frame) || (isType('room')(frame) && frame['RoomUuid'] === roomUuid);
  return client.request({ '@type': 'join', RoomType: 'WORKSPACE', RoomUuid: roomUuid }, answer);
}

function say(client: JsonDialectClient, roomUuid: string, text: string): void {
  client.send({ '@type': 'msg', RoomType: 'WORKSPACE', RoomUuid: roomUuid, Payload: text });
}

const saying = (text: string) => (frame: JsonFrame): boolean => isType('msg')(frame) && frame['Payload'] === text;

describe('register dialect: the first frame', () => {
  test('subscribe with a JWT is never acknowledged, and events follow', async (t) => {
    const env = await useServer(t);
    for (const type of ['subscribe', 'register']) {
      const { accessToken } = await env.login('viewer');
      const client = await connect(t, env);
      await subscribe(env, client, accessToken, type);
      assert.deepEqual(client.pending, []);
      assert.ok((await post(env, { kind: 'tree', workspace: 'ws-common', payload: { path: '/a' } })) >= 1);
      assert.deepEqual(await client.next(), { '@type': 'event', kind: 'tree', workspace: 'ws-common', payload: { path: '/a' } }, type);
    }
  });

  test('a bad, revoked or missing JWT gets an error, then close 4401', async (t) => {
    const env = await useServer(t);
    const revoked = (await env.login('viewer')).accessToken;
    await env.http('POST', '/api/auth/logout', { token: revoked, body: {} });
    for (const jwt of ['not-a-jwt', revoked, undefined]) {
      const client = await connect(t, env);
      client.send({ '@type': 'subscribe', jwt });
      const error = await client.next();
      assert.equal(error['@type'], 'error');
      assert.equal(typeof error['error'], 'string');
      assert.equal((await client.waitForClose()).code, CloseCode.AuthRefused);
    }
  });

  test('an expired JWT gets an error, then close 4419', async (t) => {
    const env = await useServer(t);
    const expired = await forgeToken((await env.login('viewer')).accessToken, { exp: nowSeconds() - 1 });
    for (const endpoint of ['events', 'chat'] as const) {
      const client = await connect(t, env, endpoint);
      client.send({ '@type': 'subscribe', jwt: expired });
      assert.equal((await client.next())['@type'], 'error');
      assert.equal((await client.waitForClose()).code, CloseCode.TokenExpired);
    }
  });

  test('any other first frame, malformed ones included, gets an error, then close 4400', async (t) => {
    const env = await useServer(t);
    const firsts = ['{"@type":"unsubscribe"}', '{"@type":"join","RoomType":"WORKSPACE","RoomUuid":"ws-common"}', '{not json', '"subscribe"'];
    for (const [index, first] of firsts.entries()) {
      const client = await connect(t, env, index % 2 === 0 ? 'events' : 'chat');
      client.sendRaw(first);
      assert.equal((await client.next())['@type'], 'error');
      assert.equal((await client.waitForClose()).code, CloseCode.ProtocolViolation, first);
    }
  });

  test('a socket without a first frame is closed with 4408 after authTimeoutMs', async (t) => {
    const env = await useServer(t, { authTimeoutMs: 200 });
    const client = await connect(t, env, 'chat');
    assert.equal((await client.waitForClose()).code, CloseCode.AuthTimeout);
  });

  test('a later subscribe with a JWT of another user gets an error, then close 4401', async (t) => {
    const env = await useServer(t);
    const { client } = await signIn(t, env, 'viewer');
    client.send({ '@type': 'subscribe', jwt: (await env.login('manager')).accessToken });
    assert.equal((await client.next())['@type'], 'error');
    assert.equal((await client.waitForClose()).code, CloseCode.AuthRefused);
  });

  test('another path below /dialects/register is closed with 4400', async (t) => {
    const env = await useServer(t);
    const client = await connectDialect(t, env.server, 'register', { suffix: '/elsewhere' });
    assert.equal((await client.waitForClose()).code, CloseCode.ProtocolViolation);
  });
});

describe('register dialect: events', () => {
  test('an event reaches only the users who have its workspace', async (t) => {
    const env = await useServer(t);
    const viewer = await signIn(t, env, 'viewer');
    const manager = await signIn(t, env, 'manager');
    const admin = await signIn(t, env, 'admin');
    assert.equal(await post(env, { kind: 'meta', workspace: 'ws-managers', payload: 'm' }), 2);
    assert.equal(await post(env, { kind: 'meta', workspace: 'ws-admin', payload: 'a' }), 1);
    assert.equal(await post(env, { kind: 'meta', workspace: 'ws-personal-u-viewer', payload: 'v' }), 1);
    assert.equal(await post(env, { kind: 'meta', workspace: 'ws-unknown', payload: 'u' }), 0);
    await settle(env, viewer.client, manager.client, admin.client);
    const payloads = (client: JsonDialectClient): unknown[] => client.pending.map((frame) => frame['payload']);
    assert.deepEqual(payloads(viewer.client), ['v']);
    assert.deepEqual(payloads(manager.client), ['m']);
    assert.deepEqual(payloads(admin.client), ['m', 'a']);
  });

  test('idm and task events naming a user reach only that user; other kinds reach the whole workspace', async (t) => {
    const env = await useServer(t);
    const viewer = await signIn(t, env, 'viewer');
    const manager = await signIn(t, env, 'manager');
    assert.equal(await post(env, { kind: 'idm', workspace: 'ws-common', user: 'u-manager', payload: 'roles changed' }), 1);
    assert.equal(await post(env, { kind: 'task', workspace: 'ws-common', user: 'u-viewer', payload: 'progress' }), 1);
    assert.equal(await post(env, { kind: 'activity', workspace: 'ws-common', user: 'u-viewer', payload: 'feed' }), 2);
    assert.deepEqual(await manager.client.next(), { '@type': 'event', kind: 'idm', workspace: 'ws-common', user: 'u-manager', payload: 'roles changed' });
    assert.equal((await manager.client.next())['payload'], 'feed');
    assert.equal((await viewer.client.next())['payload'], 'progress');
    assert.equal((await viewer.client.next())['payload'], 'feed');
  });

  test('unsubscribe stops the events and a later subscribe starts them again', async (t) => {
    const env = await useServer(t);
    const { client, accessToken } = await signIn(t, env, 'manager');
    const other = await signIn(t, env, 'viewer');
    assert.equal((await stats(env)).subscriptions, 2);
    client.send({ '@type': 'unsubscribe' });
    await waitUntil(async () => (await stats(env)).subscriptions === 1, 2000, 'the unsubscribe is handled');
    assert.equal(await post(env, { kind: 'tree', workspace: 'ws-common', payload: 'missed' }), 1);
    await other.client.next();

    client.send({ '@type': 'subscribe', jwt: accessToken });
    await waitUntil(async () => (await stats(env)).subscriptions === 2, 2000, 'the subscribe is handled');
    assert.equal(await post(env, { kind: 'tree', workspace: 'ws-common', payload: 'seen' }), 2);
    assert.equal((await client.next())['payload'], 'seen', 'the missed event never came');
  });

  test('events are posted by an ADMIN or a MANAGER only, with a valid body', async (t) => {
    const env = await useServer(t);
    const path = '/api/dialects/register/events';
    const viewer = await env.login('viewer');
    const manager = await env.login('manager');
    const event = { kind: 'tree', workspace: 'ws-common', payload: {} };
    assert.equal((await env.http('POST', path, { body: event })).status, 401);
    const forbidden = await env.http('POST', path, { token: viewer.accessToken, body: event });
    assert.deepEqual([forbidden.status, errorCodeOf(forbidden.body)], [403, 'FORBIDDEN']);
    assert.deepEqual((await env.http('POST', path, { token: manager.accessToken, body: event })).body, { delivered: 0 });
    for (const body of [{ ...event, kind: 'gossip' }, { ...event, workspace: '' }, { kind: 'tree', workspace: 'ws-common' }, { ...event, user: 7 }]) {
      const refused = await env.http('POST', path, { token: manager.accessToken, body });
      assert.deepEqual([refused.status, errorCodeOf(refused.body)], [400, 'BAD_REQUEST'], JSON.stringify(body));
    }
  });

  test('a malformed frame or an unknown @type after subscribe gets an error and the socket stays open', async (t) => {
    const env = await useServer(t);
    const { client } = await signIn(t, env, 'viewer');
    for (const raw of ['{not json', '{"no":"type"}', '{"@type":"shout"}']) {
      client.sendRaw(raw);
      assert.equal((await client.next())['@type'], 'error', raw);
    }
    await settle(env, client);
  });
});

describe('register dialect: chat', () => {
  test('join answers the room with its history, oldest first; a post reaches every member, the sender too', async (t) => {
    const env = await useServer(t);
    const manager = await signIn(t, env, 'manager', 'chat');
    assert.deepEqual(await join(manager.client, 'ws-managers'), { '@type': 'room', RoomType: 'WORKSPACE', RoomUuid: 'ws-managers', Messages: [] });
    say(manager.client, 'ws-managers', 'first');
    say(manager.client, 'ws-managers', 'second');
    const first = await manager.client.waitFor(saying('first'));
    assert.deepEqual({ ...first, Timestamp: 0 }, { '@type': 'msg', RoomType: 'WORKSPACE', RoomUuid: 'ws-managers', Payload: 'first', Author: 'manager', Timestamp: 0 });
    assert.ok(Math.abs((first['Timestamp'] as number) - nowSeconds()) <= 2, 'Timestamp is in seconds');
    await manager.client.waitFor(saying('second'));

    const admin = await signIn(t, env, 'admin', 'chat');
    const room = await join(admin.client, 'ws-managers');
    assert.deepEqual((room['Messages'] as JsonFrame[]).map((message) => [message['Payload'], message['Author']]), [['first', 'manager'], ['second', 'manager']]);
    say(admin.client, 'ws-managers', 'hello');
    for (const client of [manager.client, admin.client]) assert.equal((await client.waitFor(saying('hello')))['Author'], 'admin');
  });

  test('a room keeps its last 100 messages', async (t) => {
    const env = await useServer(t);
    const { client } = await signIn(t, env, 'viewer', 'chat');
    await join(client, 'ws-common');
    for (let n = 1; n <= 102; n += 1) say(client, 'ws-common', `m-${n}`);
    await client.waitFor(saying('m-102'));
    const messages = (await join(client, 'ws-common'))['Messages'] as JsonFrame[];
    assert.equal(messages.length, 100);
    assert.deepEqual([messages[0]?.['Payload'], messages[99]?.['Payload']], ['m-3', 'm-102']);
  });

  test('a join of a room whose workspace the user does not have gets an error that names no room', async (t) => {
    const env = await useServer(t);
    const { client } = await signIn(t, env, 'viewer', 'chat');
    for (const workspace of ['ws-admin', 'ws-managers', 'ws-personal-u-manager']) {
      const error = await join(client, workspace);
      assert.deepEqual(Object.keys(error).sort(), ['@type', 'error']);
      assert.equal(error['@type'], 'error');
      assert.ok(!(error['error'] as string).includes(workspace), error['error'] as string);
    }
    assert.equal((await stats(env)).subscriptions, 0);
    assert.equal((await join(client, 'ws-personal-u-viewer'))['@type'], 'room');
  });

  test('posting to a room not joined gets an error, and leave stops the room\'s messages', async (t) => {
    const env = await useServer(t);
    const viewer = await signIn(t, env, 'viewer', 'chat');
    const manager = await signIn(t, env, 'manager', 'chat');
    say(viewer.client, 'ws-common', 'not joined');
    assert.equal((await viewer.client.next())['@type'], 'error');

    await join(viewer.client, 'ws-common');
    await join(manager.client, 'ws-common');
    viewer.client.send({ '@type': 'leave', RoomType: 'WORKSPACE', RoomUuid: 'ws-common' });
    say(viewer.client, 'ws-common', 'after leave');
    assert.equal((await viewer.client.next())['@type'], 'error', 'the leave was handled: posting is refused');
    say(manager.client, 'ws-common', 'unheard');
    await manager.client.waitFor(saying('unheard'));
    await join(viewer.client, 'ws-personal-u-viewer');
    assert.deepEqual(viewer.client.pending, [], 'no message of the left room');
  });
});

describe('register dialect: the socket ends', () => {
  test('open sockets are closed with 4419 when their access token expires', async (t) => {
    const env = await useServer(t, { accessTtlSeconds: 1 });
    const { accessToken } = await env.login('viewer');
    const events = await connect(t, env);
    const chat = await connect(t, env, 'chat');
    await subscribe(env, events, accessToken);
    await subscribe(env, chat, accessToken);
    assert.equal((await events.waitForClose(3000)).code, CloseCode.TokenExpired);
    assert.equal((await chat.waitForClose(3000)).code, CloseCode.TokenExpired);
  });

  test('a later subscribe with a newer JWT of the same user keeps the socket open past the old expiry', async (t) => {
    const env = await useServer(t, { accessTtlSeconds: 1 });
    const { client: renewed, accessToken } = await signIn(t, env, 'viewer');
    const { client: kept } = await signIn(t, env, 'viewer');
    renewed.send({ '@type': 'subscribe', jwt: await forgeToken(accessToken, { exp: nowSeconds() + 60 }) });
    renewed.send({ '@type': 'shout' });
    assert.equal((await renewed.next())['@type'], 'error', 'the later subscribe was handled before this');
    assert.equal((await kept.waitForClose(3000)).code, CloseCode.TokenExpired);
    await settle(env, renewed);
  });

  test('logout closes the events and chat sockets of that session with 4440', async (t) => {
    const env = await useServer(t);
    const { client: events, accessToken } = await signIn(t, env, 'manager');
    const chat = await connect(t, env, 'chat');
    await subscribe(env, chat, accessToken);
    const other = await signIn(t, env, 'manager');
    assert.equal((await env.http('POST', '/api/auth/logout', { token: accessToken, body: {} })).status, 204);
    assert.equal((await events.waitForClose()).code, CloseCode.SessionLoggedOut);
    assert.equal((await chat.waitForClose()).code, CloseCode.SessionLoggedOut);
    await settle(env, other.client);
  });

  test('control drop?dialect=register cuts both endpoints and leaves the handlers sockets', async (t) => {
    const env = await useServer(t);
    const { client: events } = await signIn(t, env, 'viewer');
    const { client: chat } = await signIn(t, env, 'viewer', 'chat');
    const handlers = await connectDialect(t, env.server, 'handlers');
    const dropped = await env.control('drop?dialect=register');
    assert.deepEqual(dropped.body, { ok: true, dropped: 2 });
    assert.equal((await events.waitForClose()).code, 1006);
    assert.equal((await chat.waitForClose()).code, 1006);
    handlers.send({ handler: 'all' });
    assert.equal(((await handlers.next())['params'] as { code: string }).code, 'UNAUTHENTICATED');
  });
});

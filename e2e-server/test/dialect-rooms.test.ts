// The `rooms` dialect: authenticate with an access token, join rooms with per-room tokens minted
// over HTTP, receive the resource events of the rooms joined, and nothing else.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { connect as connectTcp } from 'node:net';
import type { TestContext } from 'node:test';
import { describe, test } from 'node:test';
import { CloseCode } from '../src/protocol.js';
import type { JsonDialectClient, JsonFrame } from './dialect-helpers.js';
import { connectDialect } from './dialect-helpers.js';
import type { TestEnv, Who } from './helpers.js';
import { errorCodeOf, forgeToken, nowSeconds, useServer, withTimeout } from './helpers.js';

const isEvent =
  (...names: string[]) =>
  (frame: JsonFrame): boolean =>
    names.includes(frame['event'] as string);

const dataOf = (frame: JsonFrame): Record<string, unknown> => frame['data'] as Record<string, unknown>;

function connect(t: TestContext, env: TestEnv): Promise<JsonDialectClient> {
  return connectDialect(t, env.server, 'rooms');
}

/** Sends `authenticate` and resolves with its answer (`authenticated` or `unauthorized`). */
function authenticate(client: JsonDialectClient, token: unknown): Promise<JsonFrame> {
  return client.request({ event: 'authenticate', data: { token } }, isEvent('authenticated', 'unauthorized'));
}

/** Logs in, connects and authenticates. */
async function signIn(t: TestContext, env: TestEnv, who: Who): Promise<{ client: JsonDialectClient; accessToken: string }> {
  const { accessToken } = await env.login(who);
  const client = await connect(t, env);
  assert.equal((await authenticate(client, accessToken))['event'], 'authenticated');
  return { client, accessToken };
}

async function roomToken(env: TestEnv, accessToken: string, name: string): Promise<string> {
  const result = await env.http('POST', '/api/dialects/rooms/token', { token: accessToken, body: { name } });
  assert.equal(result.status, 200, JSON.stringify(result.body));
  return (result.body as { token: string }).token;
}

/** Sends `realtime:join` and resolves with its answer (`realtime:join:success` or `realtime:join:error`). */
function join(client: JsonDialectClient, name: string, token?: string): Promise<JsonFrame> {
  const data = token === undefined ? { name } : { name, token };
  return client.request({ event: 'realtime:join', data }, isEvent('realtime:join:success', 'realtime:join:error'));
}

/** Sends `realtime:leave` and resolves with its answer (`realtime:leave:success` or `realtime:leave:error`). */
function leave(client: JsonDialectClient, name: string): Promise<JsonFrame> {
  return client.request({ event: 'realtime:leave', data: { name } }, isEvent('realtime:leave:success', 'realtime:leave:error'));
}

/** Leaves a room never joined and waits for the answer: everything sent before it has arrived. */
async function roundTrip(client: JsonDialectClient): Promise<void> {
  await leave(client, '/round-trip');
}

function pushResource(env: TestEnv, accessToken: string, body: unknown) {
  return env.http('POST', '/api/dialects/rooms/resources', { token: accessToken, body });
}

describe('rooms dialect: authentication', () => {
  test('authenticates with an access token and answers with the user', async (t) => {
    const env = await useServer(t);
    const { accessToken } = await env.login('viewer');
    const client = await connect(t, env);
    const answer = await authenticate(client, accessToken);
    assert.deepEqual(answer, {
      event: 'authenticated',
      data: { user: { id: 'u-viewer', login: 'viewer', name: 'Vera Viewer', role: 'VIEWER' } },
    });
  });

  test('answers unauthorized for an invalid or empty token and keeps the socket open for another try', async (t) => {
    const env = await useServer(t);
    const { accessToken } = await env.login('manager');
    const client = await connect(t, env);
    for (const token of ['not-a-jwt', '', undefined, await forgeToken(accessToken, {}, 'another-secret-of-at-least-32-bytes!')]) {
      const answer = await authenticate(client, token);
      assert.equal(answer['event'], 'unauthorized');
      assert.equal(dataOf(answer)['code'], 'TOKEN_INVALID');
      assert.equal(typeof dataOf(answer)['error'], 'string');
    }
    assert.equal((await authenticate(client, accessToken))['event'], 'authenticated');
  });

  test('refuses an expired access token with TOKEN_EXPIRED', async (t) => {
    const env = await useServer(t);
    const { accessToken } = await env.login('viewer');
    await env.control('expire-tokens');
    const client = await connect(t, env);
    const answer = await authenticate(client, accessToken);
    assert.equal(answer['event'], 'unauthorized');
    assert.equal(dataOf(answer)['code'], 'TOKEN_EXPIRED');
  });

  test('refuses the token of a logged-out session with TOKEN_REVOKED', async (t) => {
    const env = await useServer(t);
    const { accessToken } = await env.login('viewer');
    assert.equal((await env.http('POST', '/api/auth/logout', { token: accessToken, body: {} })).status, 204);
    const client = await connect(t, env);
    const answer = await authenticate(client, accessToken);
    assert.equal(answer['event'], 'unauthorized');
    assert.equal(dataOf(answer)['code'], 'TOKEN_REVOKED');
  });

  test('closes with 4408 when no authenticate succeeds within authTimeoutMs', async (t) => {
    const env = await useServer(t, { authTimeoutMs: 300 });
    const client = await connect(t, env);
    assert.equal((await authenticate(client, 'not-a-jwt'))['event'], 'unauthorized');
    assert.equal((await client.waitForClose()).code, CloseCode.AuthTimeout);
  });

  test('an authenticated socket outlives the auth timeout', async (t) => {
    const env = await useServer(t, { authTimeoutMs: 200 });
    const { client } = await signIn(t, env, 'viewer');
    const unauthenticated = await connect(t, env);
    assert.equal((await unauthenticated.waitForClose()).code, CloseCode.AuthTimeout);
    await roundTrip(client);
  });

  test('serves no join or leave before authenticate', async (t) => {
    const env = await useServer(t);
    const { accessToken } = await env.login('viewer');
    const token = await roomToken(env, accessToken, '/menu');
    const client = await connect(t, env);
    const joined = await join(client, '/menu', token);
    assert.deepEqual(joined, { event: 'realtime:join:error', data: { name: '/menu', error: 'not authenticated' } });
    assert.deepEqual(await leave(client, '/menu'), { event: 'realtime:leave:error', data: { name: '/menu', error: 'not authenticated' } });
  });
});

describe('rooms dialect: room tokens and joins', () => {
  test('mints room tokens by the room access rule', async (t) => {
    const env = await useServer(t);
    const viewer = await env.login('viewer');
    const admin = await env.login('admin');
    const mint = (token: string | undefined, name: unknown) =>
      env.http('POST', '/api/dialects/rooms/token', { ...(token ? { token } : {}), body: { name } });
    assert.equal((await mint(viewer.accessToken, '/announcements')).status, 200);
    assert.equal((await mint(admin.accessToken, '/admin')).status, 200);
    const forbidden = await mint(viewer.accessToken, '/admin');
    assert.equal(forbidden.status, 403);
    assert.equal(errorCodeOf(forbidden.body), 'FORBIDDEN');
    for (const name of ['menu', '', 42, undefined]) {
      assert.equal((await mint(viewer.accessToken, name)).status, 400, `name ${String(name)}`);
    }
    const anonymous = await mint(undefined, '/menu');
    assert.equal(anonymous.status, 401);
    assert.equal(errorCodeOf(anonymous.body), 'UNAUTHENTICATED');
    assert.equal((await mint('not-a-jwt', '/menu')).status, 401);
  });

  test('joins a room with its token, and again without harm', async (t) => {
    const env = await useServer(t);
    const { client, accessToken } = await signIn(t, env, 'viewer');
    const token = await roomToken(env, accessToken, '/menu');
    assert.deepEqual(await join(client, '/menu', token), { event: 'realtime:join:success', data: { name: '/menu' } });
    assert.deepEqual(await join(client, '/menu', token), { event: 'realtime:join:success', data: { name: '/menu' } });
    const stats = (await env.control('stats', 'GET')).body as { authorized: number; subscriptions: number };
    assert.deepEqual([stats.authorized, stats.subscriptions], [1, 1]);
  });

  test('refuses a join without a room token, with an invalid or expired one, or one of another room', async (t) => {
    const env = await useServer(t);
    const { client, accessToken } = await signIn(t, env, 'viewer');
    const menuToken = await roomToken(env, accessToken, '/menu');
    const expired = await forgeToken(menuToken, { exp: nowSeconds() - 1 });
    const cases: [string | undefined, RegExp][] = [
      [undefined, /room token is required/],
      ['not-a-jwt', /not valid/],
      [expired, /expired/],
      [await roomToken(env, accessToken, '/announcements'), /another room/],
      [accessToken, /not valid/],
    ];
    for (const [token, error] of cases) {
      const answer = await join(client, '/menu', token);
      assert.equal(answer['event'], 'realtime:join:error');
      assert.equal(dataOf(answer)['name'], '/menu');
      assert.match(dataOf(answer)['error'] as string, error);
    }
  });

  test('refuses a join with a room token of another user', async (t) => {
    const env = await useServer(t);
    const { client } = await signIn(t, env, 'viewer');
    const manager = await env.login('manager');
    const answer = await join(client, '/menu', await roomToken(env, manager.accessToken, '/menu'));
    assert.equal(answer['event'], 'realtime:join:error');
    assert.match(dataOf(answer)['error'] as string, /another user/);
  });

  test('refuses to join /admin as a non-admin even with a token forged for it', async (t) => {
    const env = await useServer(t);
    const { client, accessToken } = await signIn(t, env, 'viewer');
    const forged = await forgeToken(await roomToken(env, accessToken, '/menu'), { room: '/admin' });
    const answer = await join(client, '/admin', forged);
    assert.equal(answer['event'], 'realtime:join:error');
    assert.match(dataOf(answer)['error'] as string, /ADMIN/);
  });
});

describe('rooms dialect: resource events', () => {
  test('pushes a change only to the sockets that joined its room', async (t) => {
    const env = await useServer(t);
    const { client: menuA, accessToken: viewerToken } = await signIn(t, env, 'viewer');
    const { client: menuB, accessToken: managerToken } = await signIn(t, env, 'manager');
    const { client: announcements } = await signIn(t, env, 'viewer');
    const { client: joinedNothing } = await signIn(t, env, 'admin');
    const unauthenticated = await connect(t, env);
    await join(menuA, '/menu', await roomToken(env, viewerToken, '/menu'));
    await join(menuB, '/menu', await roomToken(env, managerToken, '/menu'));
    await join(announcements, '/announcements', await roomToken(env, viewerToken, '/announcements'));

    const resource = { id: 'c-1', name: 'Starters' };
    const result = await pushResource(env, managerToken, { room: '/menu', action: 'updated', resource });
    assert.deepEqual(result.body, { delivered: 2 });
    const expected = { event: 'realtime:resource', data: { room: '/menu', action: 'updated', path: '/menu/c-1', resource, type: 'menu' } };
    assert.deepEqual(await menuA.waitFor(isEvent('realtime:resource')), expected);
    assert.deepEqual(await menuB.waitFor(isEvent('realtime:resource')), expected);
    for (const other of [announcements, joinedNothing, unauthenticated]) {
      await roundTrip(other);
      assert.equal(other.pending.filter(isEvent('realtime:resource')).length, 0);
    }
  });

  test('stops pushing to a socket after it left the room; leaving a room not joined succeeds', async (t) => {
    const env = await useServer(t);
    const { client, accessToken } = await signIn(t, env, 'viewer');
    await join(client, '/menu', await roomToken(env, accessToken, '/menu'));
    assert.deepEqual(await leave(client, '/menu'), { event: 'realtime:leave:success', data: { name: '/menu' } });
    assert.deepEqual(await leave(client, '/menu'), { event: 'realtime:leave:success', data: { name: '/menu' } });
    const pushed = await pushResource(env, accessToken, { room: '/menu', action: 'deleted', resource: { id: 7 } });
    assert.deepEqual(pushed.body, { delivered: 0 });
    await roundTrip(client);
    assert.equal(client.pending.length, 0);
  });

  test('pushes created, updated and deleted with the given type, in order', async (t) => {
    const env = await useServer(t);
    const { client, accessToken } = await signIn(t, env, 'admin');
    await join(client, '/admin', await roomToken(env, accessToken, '/admin'));
    for (const action of ['created', 'updated', 'deleted']) {
      await pushResource(env, accessToken, { room: '/admin', action, resource: { id: 3 }, type: 'user' });
    }
    for (const action of ['created', 'updated', 'deleted']) {
      const event = await client.next();
      assert.deepEqual(dataOf(event), { room: '/admin', action, path: '/admin/3', resource: { id: 3 }, type: 'user' });
    }
  });

  test('refuses resource changes that are unauthenticated, forbidden or malformed', async (t) => {
    const env = await useServer(t);
    const { accessToken } = await env.login('viewer');
    const good = { room: '/menu', action: 'created', resource: { id: 'x' } };
    assert.equal((await pushResource(env, 'not-a-jwt', good)).status, 401);
    assert.equal((await pushResource(env, accessToken, { ...good, room: '/admin' })).status, 403);
    for (const bad of [
      { ...good, room: 'menu' },
      { ...good, action: 'renamed' },
      { ...good, resource: { name: 'no id' } },
      { ...good, resource: [1] },
      { ...good, type: 5 },
    ]) {
      const result = await pushResource(env, accessToken, bad);
      assert.equal(result.status, 400, JSON.stringify(bad));
      assert.equal(errorCodeOf(result.body), 'BAD_REQUEST');
    }
  });

  test('a socket that authenticates again as another user leaves its rooms', async (t) => {
    const env = await useServer(t);
    const { client, accessToken } = await signIn(t, env, 'viewer');
    await join(client, '/menu', await roomToken(env, accessToken, '/menu'));
    const manager = await env.login('manager');
    assert.equal((await authenticate(client, manager.accessToken))['event'], 'authenticated');
    const pushed = await pushResource(env, accessToken, { room: '/menu', action: 'created', resource: { id: 1 } });
    assert.deepEqual(pushed.body, { delivered: 0 });
  });
});

describe('rooms dialect: closes', () => {
  test('an HTTP logout closes the sockets of that session with 4440, and no other', async (t) => {
    const env = await useServer(t);
    const { client, accessToken } = await signIn(t, env, 'viewer');
    const { client: otherSession } = await signIn(t, env, 'viewer');
    assert.equal((await env.http('POST', '/api/auth/logout', { token: accessToken, body: {} })).status, 204);
    assert.equal((await client.waitForClose()).code, CloseCode.SessionLoggedOut);
    await roundTrip(otherSession);
  });

  test('expire-tokens closes the authenticated sockets with 4419 and leaves the others open', async (t) => {
    const env = await useServer(t);
    const { client } = await signIn(t, env, 'viewer');
    const unauthenticated = await connect(t, env);
    assert.deepEqual((await env.control('expire-tokens')).body, { ok: true, closed: 1 });
    assert.equal((await client.waitForClose()).code, CloseCode.TokenExpired);
    await roundTrip(unauthenticated);
  });

  test('drop?dialect=rooms cuts only the sockets of the rooms dialect', async (t) => {
    const env = await useServer(t);
    const { client: rooms } = await signIn(t, env, 'viewer');
    const channels = await connectDialect(t, env.server, 'channels');
    await channels.waitFor((frame) => frame['type'] === 'connection');
    const { client: main } = await env.signIn('viewer');
    const dropped = await env.control('drop?dialect=rooms');
    assert.deepEqual(dropped.body, { ok: true, dropped: 1 });
    assert.equal((await rooms.waitForClose()).code, 1006);
    await main.roundTrip();
    assert.equal((await channels.request({ type: 'connection' }, (frame) => frame['type'] === 'connection'))['type'], 'connection');
  });

  test('the server shutdown closes the sockets with 1001', async (t) => {
    const env = await useServer(t);
    const { client } = await signIn(t, env, 'viewer');
    const unauthenticated = await connect(t, env);
    const closing = env.server.close();
    assert.equal((await client.waitForClose()).code, CloseCode.GoingAway);
    assert.equal((await unauthenticated.waitForClose()).code, CloseCode.GoingAway);
    await closing;
  });

  test('a socket from an origin not allowed is closed with 4403', async (t) => {
    const env = await useServer(t, { testMode: false, allowedOrigins: ['https://menu.example'] });
    const client = await connectDialect(t, env.server, 'rooms', { origin: 'https://evil.example' });
    assert.equal((await client.waitForClose()).code, CloseCode.OriginNotAllowed);
  });
});

describe('rooms dialect: bad frames', () => {
  test('answers malformed frames and unknown events with error, and stays open', async (t) => {
    const env = await useServer(t);
    const client = await connect(t, env);
    const error = isEvent('error');
    for (const raw of ['not json', '[1,2]', '"text"', '{"data":{}}', '{"event":"authenticate","data":[1]}']) {
      client.sendRaw(raw);
      assert.equal(typeof dataOf(await client.waitFor(error))['error'], 'string', raw);
    }
    client.sendRaw(Buffer.from('{"event":"authenticate"}'), true);
    assert.match(dataOf(await client.waitFor(error))['error'] as string, /Binary/);
    client.send({ event: 'subscribe', data: {} });
    assert.match(dataOf(await client.waitFor(error))['error'] as string, /Unknown event "subscribe"/);
    const { accessToken } = await env.login('viewer');
    assert.equal((await authenticate(client, accessToken))['event'], 'authenticated');
  });

  test('handles messages sent right after authenticate in order, once it is answered', async (t) => {
    const env = await useServer(t);
    const { accessToken } = await env.login('viewer');
    const token = await roomToken(env, accessToken, '/menu');
    const client = await connect(t, env);
    client.send({ event: 'authenticate', data: { token: accessToken } });
    client.send({ event: 'realtime:join', data: { name: '/menu', token } });
    client.send({ event: 'realtime:leave', data: { name: '/menu' } });
    const events = [await client.next(), await client.next(), await client.next()].map((frame) => frame['event']);
    assert.deepEqual(events, ['authenticated', 'realtime:join:success', 'realtime:leave:success']);
  });

  test('closes with 1008 when more than 64 messages wait behind a token check', async (t) => {
    const env = await useServer(t);
    const { accessToken } = await env.login('viewer');
    const leave = { event: 'realtime:leave', data: { name: '/menu' } };
    const frames = [{ event: 'authenticate', data: { token: accessToken } }, ...Array.from({ length: 100 }, () => leave)];
    // One TCP write, so that every frame arrives while the token is still being checked.
    const socket = await rawUpgrade(t, env.server.dialectUrl('rooms'));
    const firstReply = new Promise<Buffer>((resolve) => socket.once('data', resolve));
    socket.write(Buffer.concat(frames.map((frame) => maskedTextFrame(JSON.stringify(frame)))));
    const reply = await withTimeout(firstReply, 2000, 'the close frame');
    assert.equal(reply[0], 0x88, 'a close frame first, nothing answered before it');
    assert.equal(reply.readUInt16BE(2), CloseCode.PolicyViolation);
    socket.destroy(); // it never answers the close: do not keep the server's shutdown waiting for it
  });

  test('a frame over maxPayload is closed with 1009', async (t) => {
    const env = await useServer(t, { maxPayload: 1024 });
    const client = await connect(t, env);
    client.send({ event: 'authenticate', data: { token: 'x'.repeat(2048) } });
    assert.equal((await client.waitForClose()).code, CloseCode.MessageTooBig);
  });
});

/** Opens a TCP connection and upgrades it by hand, to write frames in one chunk. */
async function rawUpgrade(t: TestContext, url: string): Promise<Socket> {
  const { hostname, port, pathname } = new URL(url);
  const socket = connectTcp(Number(port), hostname);
  t.after(() => socket.destroy());
  const key = randomBytes(16).toString('base64');
  socket.write(
    `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  const head = await withTimeout(new Promise<Buffer>((resolve) => socket.once('data', resolve)), 2000, 'the upgrade answer');
  assert.match(head.toString('latin1'), /^HTTP\/1\.1 101 /);
  return socket;
}

/** A masked client text frame (RFC 6455 5.2), for payloads under 64 KiB. */
function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const mask = randomBytes(4);
  const length =
    payload.length < 126 ? Buffer.from([0x80 | payload.length]) : Buffer.from([0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  const masked = Buffer.from(payload.map((byte, index) => byte ^ (mask[index % 4] as number)));
  return Buffer.concat([Buffer.from([0x81]), length, mask, masked]);
}

// The `channels` dialect: the server speaks first, connections are public until a Bearer header or
// change_user authenticates them, walkers answer, and notifications reach exactly their targets.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { describe, test } from 'node:test';
import { CloseCode } from '../src/protocol.js';
import type { DialectConnectOptions, JsonDialectClient, JsonFrame } from './dialect-helpers.js';
import { connectDialect } from './dialect-helpers.js';
import type { TestEnv, Who } from './helpers.js';
import { useServer } from './helpers.js';

const PUBLIC_ROOT = 'n::000000000000000000000001';

const isType =
  (...types: string[]) =>
  (frame: JsonFrame): boolean =>
    types.includes(frame['type'] as string);

const dataOf = (frame: JsonFrame): Record<string, unknown> => frame['data'] as Record<string, unknown>;

interface Connected {
  client: JsonDialectClient;
  /** The data of the first connection event. */
  info: Record<string, unknown>;
}

/** Connects and takes the connection event the server sends first. */
async function connect(t: TestContext, env: TestEnv, options: DialectConnectOptions = {}): Promise<Connected> {
  const client = await connectDialect(t, env.server, 'channels', options);
  const first = await client.next();
  assert.equal(first['type'], 'connection', JSON.stringify(first));
  return { client, info: dataOf(first) };
}

/** Connects with the user's token in the upgrade's Authorization header. */
async function signIn(t: TestContext, env: TestEnv, who: Who, suffix = ''): Promise<Connected & { accessToken: string }> {
  const { accessToken } = await env.login(who);
  const connected = await connect(t, env, { headers: { Authorization: `Bearer ${accessToken}` }, suffix });
  assert.equal(connected.info['authenticated'], true);
  return { ...connected, accessToken };
}

/** Sends change_user and resolves with its answer (`connection` or `error`). */
function changeUser(client: JsonDialectClient, token?: string): Promise<JsonFrame> {
  return client.request({ type: 'change_user', ...(token === undefined ? {} : { token }) }, isType('connection', 'error'));
}

/** Triggers a walker with response: true and resolves with its answer (`walker` or `error`). */
function walker(client: JsonDialectClient, name: string, context: object = {}): Promise<JsonFrame> {
  const answers = (frame: JsonFrame): boolean =>
    (frame['type'] === 'walker' && frame['walker'] === name) || (frame['type'] === 'error' && dataOf(frame)['walker'] === name);
  return client.request({ type: 'walker', walker: name, response: true, context }, answers);
}

/** Asks for the connection event: everything sent before it has arrived. */
async function roundTrip(client: JsonDialectClient): Promise<Record<string, unknown>> {
  return dataOf(await client.request({ type: 'connection' }, isType('connection')));
}

/** After a round trip, nothing else is pending: the client got nothing it did not take. */
async function assertNothingPending(client: JsonDialectClient): Promise<void> {
  await roundTrip(client);
  assert.deepEqual(client.pending, []);
}

describe('channels dialect: connection and auth', () => {
  test('sends a public connection event first, with a random channel unless one is asked for', async (t) => {
    const env = await useServer(t);
    const { info } = await connect(t, env);
    assert.deepEqual(Object.keys(info).sort(), ['authenticated', 'channel_id', 'client_id', 'root_id']);
    assert.equal(info['authenticated'], false);
    assert.equal(info['root_id'], PUBLIC_ROOT);
    assert.match(info['client_id'] as string, /^\d+:[0-9a-f]{32}$/);
    assert.match(info['channel_id'] as string, /^\d+:[0-9a-f]{32}$/);
    assert.equal((await connect(t, env, { suffix: '?channel_id=lobby' })).info['channel_id'], 'lobby');
    assert.notEqual((await connect(t, env, { suffix: '?channel_id=private:ops' })).info['channel_id'], 'private:ops');
  });

  test('a Bearer header on the upgrade makes the first connection event authenticated', async (t) => {
    const env = await useServer(t);
    const { info } = await signIn(t, env, 'viewer');
    assert.equal(info['root_id'], 'u::u-viewer');
  });

  test('an invalid or expired Bearer header leaves the connection public, followed by an error', async (t) => {
    const env = await useServer(t);
    const { accessToken } = await env.login('viewer');
    await env.control('expire-tokens');
    for (const [header, code] of [
      ['Bearer not-a-jwt', 'TOKEN_INVALID'],
      [`Bearer ${accessToken}`, 'TOKEN_EXPIRED'],
    ]) {
      const { client, info } = await connect(t, env, { headers: { Authorization: header as string } });
      assert.equal(info['authenticated'], false);
      assert.equal(info['root_id'], PUBLIC_ROOT);
      const error = await client.next();
      assert.equal(error['type'], 'error');
      assert.equal(dataOf(error)['type'], 'change_user');
      assert.equal(dataOf(error)['code'], code);
    }
  });

  test('change_user with a Bearer token authenticates, and without one goes back to public', async (t) => {
    const env = await useServer(t);
    const { client, info } = await connect(t, env);
    const { accessToken } = await env.login('manager');
    const signedIn = dataOf(await changeUser(client, `Bearer ${accessToken}`));
    assert.deepEqual(signedIn, { ...info, root_id: 'u::u-manager', authenticated: true });
    const publicAgain = dataOf(await changeUser(client));
    assert.deepEqual(publicAgain, info);
    assert.equal(dataOf(await changeUser(client, accessToken))['authenticated'], true, 'a bare token works too');
  });

  test('change_user with an invalid, expired or revoked token is refused and the connection stays public', async (t) => {
    const env = await useServer(t);
    const { client } = await connect(t, env);
    const revoked = await env.login('viewer');
    await env.http('POST', '/api/auth/logout', { token: revoked.accessToken, body: {} });
    const expired = await env.login('viewer');
    await env.control('expire-tokens');
    for (const [token, code] of [
      ['Bearer not-a-jwt', 'TOKEN_INVALID'],
      [`Bearer ${expired.accessToken}`, 'TOKEN_EXPIRED'],
      [`Bearer ${revoked.accessToken}`, 'TOKEN_REVOKED'],
    ] as const) {
      const answer = await changeUser(client, token);
      assert.equal(answer['type'], 'error');
      assert.equal(dataOf(answer)['type'], 'change_user');
      assert.equal(dataOf(answer)['code'], code);
      assert.equal(typeof dataOf(answer)['error'], 'string');
    }
    assert.equal((await roundTrip(client))['authenticated'], false);
  });

  test('serves nothing but connection and change_user to a public connection, and keeps it open', async (t) => {
    const env = await useServer(t, { authTimeoutMs: 200 });
    const { client } = await connect(t, env);
    const unauthenticated = await walker(client, 'whoami');
    assert.equal(unauthenticated['type'], 'error');
    assert.deepEqual(Object.keys(dataOf(unauthenticated)).sort(), ['code', 'error', 'type', 'walker']);
    assert.equal(dataOf(unauthenticated)['code'], 'UNAUTHENTICATED');
    for (const message of [
      { type: 'user', root_ids: [PUBLIC_ROOT], data: { type: 'chat' } },
      { type: 'channel', channel_ids: ['lobby'], data: { type: 'chat' } },
      { type: 'client', client_ids: ['x'], data: { type: 'chat' } },
      { type: 'anything' },
    ]) {
      const answer = await client.request(message, isType('error'));
      assert.deepEqual([dataOf(answer)['type'], dataOf(answer)['code']], [message.type, 'UNAUTHENTICATED']);
    }
    // A rooms socket closes after the auth timeout; the public channels connection does not.
    const rooms = await connectDialect(t, env.server, 'rooms');
    assert.equal((await rooms.waitForClose()).code, CloseCode.AuthTimeout);
    await roundTrip(client);
  });
});

describe('channels dialect: walkers', () => {
  test('whoami, subscribe_channel and unsubscribe_channel answer with their data', async (t) => {
    const env = await useServer(t);
    const { client, info } = await signIn(t, env, 'viewer', '?channel_id=lobby');
    const subscribed = await walker(client, 'subscribe_channel', { channel_id: 'news' });
    assert.deepEqual(subscribed, { type: 'walker', walker: 'subscribe_channel', data: { channel_id: 'news' } });
    const whoami = await walker(client, 'whoami');
    assert.deepEqual(dataOf(whoami), { root_id: 'u::u-viewer', client_id: info['client_id'], channels: ['lobby', 'news'] });
    assert.deepEqual(dataOf(await walker(client, 'unsubscribe_channel', { channel_id: 'news' })), { channel_id: 'news' });
    assert.deepEqual(dataOf(await walker(client, 'whoami'))['channels'], ['lobby']);
  });

  test('answers errors: NOT_FOUND for an unknown walker, FORBIDDEN for a private channel, BAD_REQUEST for a bad context', async (t) => {
    const env = await useServer(t);
    const { client } = await signIn(t, env, 'manager');
    assert.deepEqual(await walker(client, 'launch_rockets'), {
      type: 'error',
      data: { type: 'walker', walker: 'launch_rockets', code: 'NOT_FOUND', error: 'There is no walker "launch_rockets".' },
    });
    assert.equal(dataOf(await walker(client, 'subscribe_channel', { channel_id: 'private:ops' }))['code'], 'FORBIDDEN');
    assert.equal(dataOf(await walker(client, 'subscribe_channel', {}))['code'], 'BAD_REQUEST');
    assert.equal(dataOf(await walker(client, 'send_chat_to_user', { root_id: 'u::u-admin' }))['code'], 'BAD_REQUEST');
    const { client: admin } = await signIn(t, env, 'admin');
    assert.equal((await walker(admin, 'subscribe_channel', { channel_id: 'private:ops' }))['type'], 'walker');
  });

  test('a walker without response: true is run but not answered', async (t) => {
    const env = await useServer(t);
    const { client, info } = await signIn(t, env, 'viewer');
    client.send({ type: 'walker', walker: 'subscribe_channel', context: { channel_id: 'quiet' } });
    client.send({ type: 'walker', walker: 'no_such_walker', response: false });
    await assertNothingPending(client);
    assert.deepEqual(dataOf(await walker(client, 'whoami'))['channels'], [info['channel_id'], 'quiet']);
  });

  test('send_chat_to_user, _group and _client deliver a chat to exactly their targets', async (t) => {
    const env = await useServer(t);
    const { client: sender } = await signIn(t, env, 'admin');
    const { client: viewerPhone } = await signIn(t, env, 'viewer');
    const { client: viewerLaptop, info: laptop } = await signIn(t, env, 'viewer', '?channel_id=team');
    const { client: manager } = await signIn(t, env, 'manager', '?channel_id=team');
    const { client: bystander } = await connect(t, env);
    const chat = (message: string) => ({ type: 'chat', data: { message, from: 'u::u-admin' } });

    assert.deepEqual(dataOf(await walker(sender, 'send_chat_to_user', { root_id: 'u::u-viewer', message: 'to vera' })), { delivered: 2 });
    assert.deepEqual(await viewerPhone.next(), chat('to vera'));
    assert.deepEqual(await viewerLaptop.next(), chat('to vera'));

    assert.deepEqual(dataOf(await walker(sender, 'send_chat_to_group', { channel_id: 'team', message: 'to team' })), { delivered: 2 });
    assert.deepEqual(await viewerLaptop.next(), chat('to team'));
    assert.deepEqual(await manager.next(), chat('to team'));

    const toClient = await walker(sender, 'send_chat_to_client', { client_id: laptop['client_id'], message: 'to laptop' });
    assert.deepEqual(dataOf(toClient), { delivered: 1 });
    assert.deepEqual(await viewerLaptop.next(), chat('to laptop'));
    assert.deepEqual(dataOf(await walker(sender, 'send_chat_to_client', { client_id: 'nobody', message: 'lost' })), { delivered: 0 });

    for (const client of [sender, viewerPhone, viewerLaptop, manager, bystander]) await assertNothingPending(client);
  });
});

describe('channels dialect: notifications', () => {
  test('user, channel and client notifications deliver their data as-is to exactly their targets', async (t) => {
    const env = await useServer(t);
    const { client: sender } = await signIn(t, env, 'manager');
    const { client: viewer } = await signIn(t, env, 'viewer');
    const { client: admin, info: adminInfo } = await signIn(t, env, 'admin', '?channel_id=ops');
    const { client: lobbyGuest } = await connect(t, env, { suffix: '?channel_id=lobby' });
    const { client: bystander } = await connect(t, env);
    const payload = (n: number) => ({ type: 'chat', data: { message: `hi ${n}`, extra: [n] } });

    sender.send({ type: 'user', root_ids: ['u::u-viewer', 'u::u-nobody'], data: payload(1) });
    assert.deepEqual(await viewer.next(), payload(1));

    sender.send({ type: 'channel', channel_ids: ['lobby', 'ops'], data: payload(2) });
    assert.deepEqual(await lobbyGuest.next(), payload(2));
    assert.deepEqual(await admin.next(), payload(2));

    sender.send({ type: 'client', client_ids: [adminInfo['client_id'], adminInfo['client_id']], data: payload(3) });
    assert.deepEqual(await admin.next(), payload(3), 'a client named twice gets the message once');

    for (const client of [sender, viewer, admin, lobbyGuest, bystander]) await assertNothingPending(client);
  });

  test('refuses notifications without a list of ids or without an object to deliver', async (t) => {
    const env = await useServer(t);
    const { client } = await signIn(t, env, 'viewer');
    for (const message of [
      { type: 'user', root_ids: 'u::u-admin', data: {} },
      { type: 'channel', channel_ids: [1], data: {} },
      { type: 'client', client_ids: ['x'], data: 'text' },
    ]) {
      const answer = await client.request(message, isType('error'));
      assert.deepEqual([dataOf(answer)['type'], dataOf(answer)['code']], [message.type, 'BAD_REQUEST']);
    }
  });

  test('changing to another user drops the channels subscribed before, but not the connection channel', async (t) => {
    const env = await useServer(t);
    const { client, info, accessToken } = await signIn(t, env, 'admin', '?channel_id=home');
    await walker(client, 'subscribe_channel', { channel_id: 'private:ops' });
    assert.equal(dataOf(await changeUser(client, `Bearer ${accessToken}`))['root_id'], 'u::u-admin');
    assert.deepEqual(dataOf(await walker(client, 'whoami'))['channels'], ['home', 'private:ops'], 'the same user keeps them');
    const viewer = await env.login('viewer');
    assert.deepEqual(dataOf(await changeUser(client, `Bearer ${viewer.accessToken}`)), { ...info, root_id: 'u::u-viewer' });
    assert.deepEqual(dataOf(await walker(client, 'whoami'))['channels'], ['home']);
  });
});

describe('channels dialect: closes and bad frames', () => {
  test('an authenticated connection is closed with 4419 when its token expires; a public one stays', async (t) => {
    const env = await useServer(t, { accessTtlSeconds: 1 });
    const { client } = await signIn(t, env, 'viewer');
    const { client: publicClient } = await connect(t, env);
    assert.equal((await client.waitForClose(3000)).code, CloseCode.TokenExpired);
    await roundTrip(publicClient);
  });

  test('a connection authenticated by change_user is closed with 4419 by expire-tokens', async (t) => {
    const env = await useServer(t);
    const { client } = await connect(t, env);
    await changeUser(client, `Bearer ${(await env.login('viewer')).accessToken}`);
    assert.deepEqual((await env.control('expire-tokens')).body, { ok: true, closed: 1 });
    assert.equal((await client.waitForClose()).code, CloseCode.TokenExpired);
  });

  test('an HTTP logout closes the connections of that session with 4440, and no other', async (t) => {
    const env = await useServer(t);
    const { client, accessToken } = await signIn(t, env, 'viewer');
    const { client: otherSession } = await signIn(t, env, 'viewer');
    const { client: publicClient } = await connect(t, env);
    assert.equal((await env.http('POST', '/api/auth/logout', { token: accessToken, body: {} })).status, 204);
    assert.equal((await client.waitForClose()).code, CloseCode.SessionLoggedOut);
    await roundTrip(otherSession);
    await roundTrip(publicClient);
  });

  test('drop?dialect=channels cuts only the connections of the channels dialect', async (t) => {
    const env = await useServer(t);
    const { client } = await signIn(t, env, 'viewer');
    const { client: publicClient } = await connect(t, env);
    const rooms = await connectDialect(t, env.server, 'rooms');
    assert.deepEqual((await env.control('drop?dialect=channels')).body, { ok: true, dropped: 2 });
    assert.equal((await client.waitForClose()).code, 1006);
    assert.equal((await publicClient.waitForClose()).code, 1006);
    const answer = await rooms.request({ event: 'realtime:leave', data: { name: '/x' } }, (frame) => frame['event'] !== undefined);
    assert.equal(answer['event'], 'realtime:leave:error', 'the rooms socket is still served');
  });

  test('answers an unknown type with UNKNOWN_MESSAGE once authenticated', async (t) => {
    const env = await useServer(t);
    const { client } = await signIn(t, env, 'viewer');
    const answer = await client.request({ type: 'subscribe', channel: 'x' }, isType('error'));
    assert.deepEqual([dataOf(answer)['type'], dataOf(answer)['code']], ['subscribe', 'UNKNOWN_MESSAGE']);
  });

  test('answers malformed frames with MALFORMED and stays open', async (t) => {
    const env = await useServer(t);
    const { client } = await connect(t, env);
    for (const raw of ['not json', '[1]', '{"walker":"whoami"}', '{"type":""}', '{"type":7}']) {
      client.sendRaw(raw);
      const answer = await client.next();
      assert.equal(answer['type'], 'error', raw);
      assert.equal(dataOf(answer)['code'], 'MALFORMED', raw);
    }
    client.sendRaw(Buffer.from('{"type":"connection"}'), true);
    assert.equal(dataOf(await client.next())['code'], 'MALFORMED');
    await roundTrip(client);
  });

  test('a socket from an origin not allowed gets no connection event and is closed with 4403', async (t) => {
    const env = await useServer(t, { testMode: false, allowedOrigins: ['https://menu.example'] });
    const client = await connectDialect(t, env.server, 'channels', { origin: 'https://evil.example' });
    assert.equal((await client.waitForClose()).code, CloseCode.OriginNotAllowed);
    assert.deepEqual(client.pending, []);
  });
});

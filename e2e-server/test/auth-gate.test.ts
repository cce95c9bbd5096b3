// The auth gate of every socket: auth first, in time, with a token the server accepts.
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { describe, test } from 'node:test';
import { CloseCode } from '../src/protocol.js';
import { api, forgeToken, nowSeconds, useServer } from './helpers.js';

describe('auth gate', () => {
  test('a socket that sends nothing is closed with 4408 after authTimeoutMs', async (t) => {
    const env = await useServer(t, { authTimeoutMs: 200 });
    const client = await env.connect();
    const started = Date.now();
    const closed = await client.waitForClose();
    assert.equal(closed.code, CloseCode.AuthTimeout);
    assert.ok(Date.now() - started >= 150, 'closed before the auth timeout');
  });

  test('an authorized socket is not closed by the auth timeout', async (t) => {
    const env = await useServer(t, { authTimeoutMs: 200 });
    const { client } = await env.signIn('viewer');
    // Outlive the timeout by round trips (each bounded) rather than a sleep; it would have fired by now.
    const until = Date.now() + 400;
    while (Date.now() < until) await client.roundTrip();
    assert.equal(client.ws.readyState, client.ws.OPEN);
  });

  test('a request other than auth before auth gets UNAUTHENTICATED with its id, then close 4400', async (t) => {
    const env = await useServer(t);
    const client = await env.connect();
    client.send({ id: 7, menuList: {} });
    const error = await client.nextMessage();
    assert.equal(error.id, 7);
    assert.equal(error.error?.code, api.ErrorCode.UNAUTHENTICATED);
    assert.equal((await client.waitForClose()).code, CloseCode.ProtocolViolation);
  });

  test('a ping before auth is a protocol violation too', async (t) => {
    const env = await useServer(t);
    const client = await env.connect();
    client.send({ id: 3, ping: { clientTime: 1 } });
    assert.equal((await client.nextMessage()).error?.code, api.ErrorCode.UNAUTHENTICATED);
    assert.equal((await client.waitForClose()).code, CloseCode.ProtocolViolation);
  });

  test('an empty message before auth is a protocol violation', async (t) => {
    const env = await useServer(t);
    const client = await env.connect();
    client.send({ id: 4 });
    assert.equal((await client.nextMessage()).error?.code, api.ErrorCode.UNAUTHENTICATED);
    assert.equal((await client.waitForClose()).code, CloseCode.ProtocolViolation);
  });

  test('a malformed frame before auth gets MALFORMED, then close 4400', async (t) => {
    const env = await useServer(t);
    const client = await env.connect({ encoding: 'json' });
    client.sendRaw('{not json', false);
    const error = await client.nextMessage();
    assert.equal(error.id, 0);
    assert.equal(error.error?.code, api.ErrorCode.MALFORMED);
    assert.equal((await client.waitForClose()).code, CloseCode.ProtocolViolation);
  });

  test('a valid access token is answered with the user and the token expiry', async (t) => {
    const env = await useServer(t);
    const grant = await env.login('manager');
    const client = await env.connect();
    const answer = await client.auth(grant.accessToken);
    assert.equal(answer.auth?.user?.id, 'u-manager');
    assert.equal(answer.auth?.user?.role, api.Role.MANAGER);
    assert.equal(answer.auth?.expiresAt, grant.expiresAt);
    assert.ok(!answer.auth?.actingUserId);
  });

  test('auth works the same on a protobuf socket', async (t) => {
    const env = await useServer(t);
    const grant = await env.login('admin');
    const client = await env.connect({ encoding: 'protobuf' });
    assert.equal(client.ws.protocol, 'api.v1.protobuf');
    assert.equal((await client.auth(grant.accessToken)).auth?.user?.login, 'admin');
  });

  test('a client that offers no subprotocol gets protobuf', async (t) => {
    const env = await useServer(t);
    const grant = await env.login('admin');
    const client = await env.connect({ encoding: 'protobuf', protocols: [] });
    assert.equal(client.ws.protocol, '');
    assert.equal((await client.auth(grant.accessToken)).auth?.user?.login, 'admin');
  });

  test('a token that is not a JWT is refused with TOKEN_INVALID and close 4401', async (t) => {
    const env = await useServer(t);
    const client = await env.connect();
    const answer = await client.auth('not-a-token');
    assert.equal(answer.error?.code, api.ErrorCode.TOKEN_INVALID);
    const closed = await client.waitForClose();
    assert.equal(closed.code, CloseCode.AuthRefused);
    assert.notEqual(closed.code, 1006, 'a refusal must not look like a network failure');
  });

  test('a token signed with another secret is refused with 4401', async (t) => {
    const env = await useServer(t);
    const grant = await env.login('admin');
    const client = await env.connect();
    const forged = await forgeToken(grant.accessToken, {}, 'some-other-secret-that-is-32-bytes-long!');
    assert.equal((await client.auth(forged)).error?.code, api.ErrorCode.TOKEN_INVALID);
    assert.equal((await client.waitForClose()).code, CloseCode.AuthRefused);
  });

  test('a refresh token is not accepted as an access token', async (t) => {
    const env = await useServer(t);
    const grant = await env.login('admin');
    const client = await env.connect();
    assert.equal((await client.auth(grant.refreshToken)).error?.code, api.ErrorCode.TOKEN_INVALID);
    assert.equal((await client.waitForClose()).code, CloseCode.AuthRefused);
  });

  test('an expired access token is refused with TOKEN_EXPIRED and close 4419', async (t) => {
    const env = await useServer(t);
    const grant = await env.login('viewer');
    const expired = await forgeToken(grant.accessToken, { iat: nowSeconds() - 120, exp: nowSeconds() - 60 });
    const client = await env.connect();
    assert.equal((await client.auth(expired)).error?.code, api.ErrorCode.TOKEN_EXPIRED);
    assert.equal((await client.waitForClose()).code, CloseCode.TokenExpired);
  });

  test('a token of a logged-out session is refused with TOKEN_REVOKED and close 4401', async (t) => {
    const env = await useServer(t);
    const grant = await env.login('viewer');
    assert.equal((await env.http('POST', '/api/auth/logout', { token: grant.accessToken })).status, 204);
    const client = await env.connect();
    assert.equal((await client.auth(grant.accessToken)).error?.code, api.ErrorCode.TOKEN_REVOKED);
    assert.equal((await client.waitForClose()).code, CloseCode.AuthRefused);
  });

  test('a second auth on an authorized socket gets ALREADY_AUTHORIZED and the socket stays open', async (t) => {
    const env = await useServer(t);
    const { client, grant } = await env.signIn('viewer');
    assert.equal((await client.auth(grant.accessToken)).error?.code, api.ErrorCode.ALREADY_AUTHORIZED);
    await client.roundTrip();
  });

  test('requests sent right behind auth are answered after it, in order', async (t) => {
    const env = await useServer(t);
    const grant = await env.login('viewer');
    const client = await env.connect();
    client.send({ id: 1, auth: { accessToken: grant.accessToken } });
    client.send({ id: 2, ping: { clientTime: 42 } });
    client.send({ id: 3, menuList: {} });
    assert.ok((await client.nextMessage()).auth);
    const pong = await client.nextMessage();
    assert.equal(pong.id, 2);
    assert.equal(pong.pong?.clientTime, 42);
    assert.equal((await client.nextMessage()).id, 3);
  });

  test('the request that overflows the queue before the auth answer is refused with its own id, then close 4400', async (t) => {
    const env = await useServer(t);
    const grant = await env.login('viewer');
    const client = await env.connect();
    // One TCP write for every frame, so that all of them arrive while the token is being checked.
    const tcp = (client.ws as unknown as { _socket: Socket })._socket;
    tcp.cork();
    client.send({ id: 1, auth: { accessToken: grant.accessToken } });
    for (let id = 2; id <= 34; id += 1) client.send({ id, ping: { clientTime: id } });
    tcp.uncork();
    const error = await client.nextMessage();
    assert.equal(error.error?.code, api.ErrorCode.UNAUTHENTICATED);
    assert.equal(error.id, 34, 'the 33rd frame after auth carries id 34');
    assert.equal((await client.waitForClose()).code, CloseCode.ProtocolViolation);
    assert.equal(client.pending.length, 0, 'nothing but the refusal was answered');
  });

  test('a heartbeat ping is answered with pong, the same id and the server time', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('viewer');
    const before = Date.now();
    const pong = await client.request({ ping: { clientTime: 123.5 } });
    assert.equal(pong.pong?.clientTime, 123.5);
    assert.ok((pong.pong?.serverTime ?? 0) >= before);
  });
});

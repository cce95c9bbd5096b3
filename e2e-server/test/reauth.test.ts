// In-band re-authentication: a fresh access token of the same user and sign-in session moves the
// socket's expiry and leaves everything else as it was; any other token is refused.
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { describe, test } from 'node:test';
import { CloseCode } from '../src/protocol.js';
import type { GrantBody, TestClient } from './helpers.js';
import { api, forgeToken, nowSeconds, useServer } from './helpers.js';

const ENCODINGS = ['json', 'protobuf'] as const;

function reauth(client: TestClient, accessToken: string): Promise<api.Response> {
  return client.request({ reauth: { accessToken } });
}

/** The whole list pushed after subscribing to CATEGORIES has arrived. */
async function subscribeCategories(client: TestClient): Promise<void> {
  assert.equal((await client.request({ sub: { kind: api.SubKind.CATEGORIES } })).subscribed?.kind, api.SubKind.CATEGORIES);
  await client.waitFor((response) => !!response.sub?.categories, 2000, 'the category list');
}

describe('reauth', () => {
  test('a fresh token of the same session moves the expiry: the socket outlives the first token, then closes at the new one', async (t) => {
    const env = await useServer(t, { accessTtlSeconds: 1 });
    const { client, grant } = await env.signIn('viewer', { encoding: 'protobuf' });
    // Authorized with the first token only: it is closed when that token expires.
    const witness = await env.connect();
    assert.ok((await witness.auth(grant.accessToken)).auth);

    const later = grant.expiresAt + 2;
    const answer = await reauth(client, await forgeToken(grant.accessToken, { exp: later }));
    assert.equal(answer.reauthed?.expiresAt, later, JSON.stringify(answer.toJSON()));

    assert.equal((await witness.waitForClose(4000)).code, CloseCode.TokenExpired);
    await client.roundTrip(); // still open past the first token's expiry
    assert.equal((await client.waitForClose(5000)).code, CloseCode.TokenExpired);
    assert.ok(Date.now() >= later * 1000, 'closed before the new token expired');
  });

  for (const encoding of ENCODINGS) {
    test(`a refreshed token is accepted over ${encoding} on both endpoints: reauthed carries its expiry`, async (t) => {
      const env = await useServer(t);
      for (const path of ['/ws', '/ws/notifications']) {
        const { client, grant } = await env.signIn('manager', { encoding, path });
        const refreshed = await env.http('POST', '/api/auth/refresh', { body: { refreshToken: grant.refreshToken } });
        assert.equal(refreshed.status, 200);
        const fresh = refreshed.body as GrantBody;
        const answer = await reauth(client, fresh.accessToken);
        assert.equal(answer.body, 'reauthed', JSON.stringify(answer.toJSON()));
        assert.equal(answer.reauthed?.expiresAt, fresh.expiresAt, path);
        await client.roundTrip();
      }
    });
  }

  test('subscriptions and requests in flight are untouched by a reauth', async (t) => {
    const env = await useServer(t);
    const { client, grant } = await env.signIn('manager');
    const { client: other } = await env.signIn('admin');
    await subscribeCategories(client);
    const fresh = (await env.http('POST', '/api/auth/refresh', { body: { refreshToken: grant.refreshToken } })).body as GrantBody;

    // Sent back to back, each answered by its id; the reauth's answer may come after the pong.
    const added = client.waitFor((response) => response.id === 201, 2000, 'the add');
    const reauthed = client.waitFor((response) => response.id === 202, 2000, 'the reauth');
    const pong = client.waitFor((response) => response.id === 203, 2000, 'the pong');
    client.send({ id: 201, menuAdd: { name: 'Soups' } });
    client.send({ id: 202, reauth: { accessToken: fresh.accessToken } });
    client.send({ id: 203, ping: { clientTime: 5 } });
    const category = (await added).menuAdd?.category;
    assert.equal(category?.name, 'Soups');
    assert.equal((await reauthed).reauthed?.expiresAt, fresh.expiresAt);
    assert.equal((await pong).pong?.clientTime, 5);
    await client.waitFor((response) => response.sub?.categoryUpdate?.id === category?.id, 2000, 'the push of the add');

    const renamed = await other.request({ menuRename: { id: 'c-1', name: 'Appetizers' } });
    assert.equal(renamed.menuRename?.category?.name, 'Appetizers');
    const push = await client.waitFor((response) => !!response.sub?.categoryUpdate, 2000, 'a push after the reauth');
    assert.equal(push.sub?.categoryUpdate?.name, 'Appetizers');
    const stats = (await env.control('stats', 'GET')).body as { authorized: number; subscriptions: number };
    assert.deepEqual([stats.authorized, stats.subscriptions], [2, 1]);
  });

  test('reauths are answered one after another, in the order they came', async (t) => {
    const env = await useServer(t);
    const { client, grant } = await env.signIn('viewer');
    const first = await forgeToken(grant.accessToken, { exp: grant.expiresAt + 100 });
    const second = await forgeToken(grant.accessToken, { exp: grant.expiresAt + 50 });
    client.send({ id: 301, reauth: { accessToken: first } });
    client.send({ id: 302, reauth: { accessToken: 'not-a-token' } });
    client.send({ id: 303, reauth: { accessToken: second } });
    const answers = [await client.nextMessage(), await client.nextMessage(), await client.nextMessage()];
    assert.deepEqual(
      answers.map((answer) => [answer.id, answer.reauthed?.expiresAt ?? answer.error?.code]),
      [
        [301, grant.expiresAt + 100],
        [302, api.ErrorCode.TOKEN_INVALID],
        [303, grant.expiresAt + 50],
      ],
    );
  });

  test('more than 8 reauths waiting at once: the ones past 8 are BAD_REQUEST, the socket stays open', async (t) => {
    const env = await useServer(t);
    const { client, grant } = await env.signIn('viewer');
    // One TCP write, so that the server reads every frame before the first token is checked.
    const socket = (client.ws as unknown as { _socket: Socket })._socket;
    socket.cork();
    for (let id = 1; id <= 12; id += 1) client.send({ id, reauth: { accessToken: grant.accessToken } });
    socket.uncork();
    const answers = new Map<number, api.Response>();
    for (let n = 0; n < 12; n += 1) {
      const answer = await client.nextMessage();
      assert.ok(!answers.has(answer.id), `a second answer to ${answer.id}`);
      answers.set(answer.id, answer);
    }
    for (let id = 1; id <= 12; id += 1) {
      const answer = answers.get(id);
      if (id <= 8) assert.equal(answer?.reauthed?.expiresAt, grant.expiresAt, `reauth ${id}`);
      else assert.equal(answer?.error?.code, api.ErrorCode.BAD_REQUEST, `reauth ${id}`);
    }
    await client.roundTrip();
  });

  for (const encoding of ENCODINGS) {
    test(`a token of another user is FORBIDDEN over ${encoding}, then close 4401`, async (t) => {
      const env = await useServer(t);
      const { client } = await env.signIn('viewer', { encoding });
      const manager = await env.login('manager');
      const answer = await reauth(client, manager.accessToken);
      assert.equal(answer.error?.code, api.ErrorCode.FORBIDDEN, JSON.stringify(answer.toJSON()));
      assert.equal((await client.waitForClose()).code, CloseCode.AuthRefused);
    });
  }

  test('a token of another sign-in session of the same user is FORBIDDEN, then close 4401; a login-as session too', async (t) => {
    const env = await useServer(t);
    const admin = await env.login('admin');
    const loginAs = await env.http('POST', '/api/auth/login-as', { token: admin.accessToken, body: { userId: 'u-viewer' } });
    assert.equal(loginAs.status, 200);
    const otherSessions = [(await env.login('viewer')).accessToken, (loginAs.body as GrantBody).accessToken];
    for (const token of otherSessions) {
      const { client } = await env.signIn('viewer');
      const answer = await reauth(client, token);
      assert.equal(answer.error?.code, api.ErrorCode.FORBIDDEN, JSON.stringify(answer.toJSON()));
      assert.equal((await client.waitForClose()).code, CloseCode.AuthRefused);
    }
  });

  test('an invalid, expired or revoked token is refused with its code; the socket stays open and closes at its old expiry', async (t) => {
    const env = await useServer(t, { accessTtlSeconds: 2 });
    const { client, grant } = await env.signIn('viewer');
    const loggedOut = await env.login('viewer');
    assert.equal((await env.http('POST', '/api/auth/logout', { token: loggedOut.accessToken, body: {} })).status, 204);
    const refusals: [string, string, api.ErrorCode][] = [
      ['not a token', 'not-a-token', api.ErrorCode.TOKEN_INVALID],
      ['a refresh token', grant.refreshToken, api.ErrorCode.TOKEN_INVALID],
      ['signed with another secret', await forgeToken(grant.accessToken, {}, 'another-secret-of-at-least-32-bytes-long'), api.ErrorCode.TOKEN_INVALID],
      ['expired', await forgeToken(grant.accessToken, { exp: nowSeconds() - 1 }), api.ErrorCode.TOKEN_EXPIRED],
      ['of a logged-out session', loggedOut.accessToken, api.ErrorCode.TOKEN_REVOKED],
    ];
    for (const [what, token, code] of refusals) {
      const answer = await reauth(client, token);
      assert.equal(answer.error?.code, code, `${what}: ${JSON.stringify(answer.toJSON())}`);
    }
    await client.roundTrip();
    assert.equal((await client.waitForClose(4000)).code, CloseCode.TokenExpired);
    assert.ok(Date.now() >= grant.expiresAt * 1000, 'closed before the first token expired');
  });

  test('reauth before auth is UNAUTHENTICATED, then close 4400', async (t) => {
    const env = await useServer(t);
    const grant = await env.login('viewer');
    for (const encoding of ENCODINGS) {
      const client = await env.connect({ encoding });
      const answer = await reauth(client, grant.accessToken);
      assert.equal(answer.error?.code, api.ErrorCode.UNAUTHENTICATED, encoding);
      assert.equal((await client.waitForClose()).code, CloseCode.ProtocolViolation, encoding);
    }
  });
});

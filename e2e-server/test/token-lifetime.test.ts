// Tokens that expire and rotate: the open socket closed at exp, refresh rotation, refresh refusals.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CloseCode } from '../src/protocol.js';
import type { GrantBody } from './helpers.js';
import { errorCodeOf, forgeToken, nowSeconds, useServer } from './helpers.js';

describe('token lifetime', () => {
  test('an open socket is closed with 4419 when its access token expires', async (t) => {
    const env = await useServer(t, { accessTtlSeconds: 1 });
    const { client, grant } = await env.signIn('viewer');
    const closed = await client.waitForClose(3000);
    assert.equal(closed.code, CloseCode.TokenExpired);
    assert.ok(Date.now() >= grant.expiresAt * 1000, 'closed before the token expired');
  });

  test('a refreshed token authorizes a new socket after the old one expired', async (t) => {
    const env = await useServer(t, { accessTtlSeconds: 1 });
    const { client, grant } = await env.signIn('manager');
    assert.equal((await client.waitForClose(3000)).code, CloseCode.TokenExpired);
    const refreshed = await env.http('POST', '/api/auth/refresh', { body: { refreshToken: grant.refreshToken } });
    assert.equal(refreshed.status, 200);
    const fresh = await env.connect();
    assert.equal((await fresh.auth((refreshed.body as GrantBody).accessToken)).auth?.user?.id, 'u-manager');
  });

  test('refresh returns a new pair and the old refresh token stops working', async (t) => {
    const env = await useServer(t);
    const grant = await env.login('admin');
    const first = await env.http('POST', '/api/auth/refresh', { body: { refreshToken: grant.refreshToken } });
    assert.equal(first.status, 200);
    const next = first.body as GrantBody;
    assert.notEqual(next.refreshToken, grant.refreshToken);
    assert.equal(next.user.id, 'u-admin');
    assert.ok(next.expiresAt >= grant.expiresAt);
    const reused = await env.http('POST', '/api/auth/refresh', { body: { refreshToken: grant.refreshToken } });
    assert.equal(reused.status, 401);
    assert.equal(errorCodeOf(reused.body), 'REFRESH_INVALID');
    const again = await env.http('POST', '/api/auth/refresh', { body: { refreshToken: next.refreshToken } });
    assert.equal(again.status, 200);
  });

  test('refresh with an access token is REFRESH_INVALID', async (t) => {
    const env = await useServer(t);
    const grant = await env.login('admin');
    const result = await env.http('POST', '/api/auth/refresh', { body: { refreshToken: grant.accessToken } });
    assert.equal(result.status, 401);
    assert.equal(errorCodeOf(result.body), 'REFRESH_INVALID');
  });

  test('refresh after logout is TOKEN_REVOKED', async (t) => {
    const env = await useServer(t);
    const grant = await env.login('viewer');
    await env.http('POST', '/api/auth/logout', { token: grant.accessToken });
    const result = await env.http('POST', '/api/auth/refresh', { body: { refreshToken: grant.refreshToken } });
    assert.equal(result.status, 401);
    assert.equal(errorCodeOf(result.body), 'TOKEN_REVOKED');
  });

  test('an expired refresh token is TOKEN_EXPIRED', async (t) => {
    const env = await useServer(t);
    const grant = await env.login('viewer');
    const expired = await forgeToken(grant.refreshToken, { exp: nowSeconds() - 1 });
    const result = await env.http('POST', '/api/auth/refresh', { body: { refreshToken: expired } });
    assert.equal(result.status, 401);
    assert.equal(errorCodeOf(result.body), 'TOKEN_EXPIRED');
  });

  test('an expired access token is refused by the HTTP API with TOKEN_EXPIRED', async (t) => {
    const env = await useServer(t);
    const grant = await env.login('viewer');
    const expired = await forgeToken(grant.accessToken, { exp: nowSeconds() - 1 });
    const result = await env.http('GET', '/api/users', { token: expired });
    assert.equal(result.status, 401);
    assert.equal(errorCodeOf(result.body), 'TOKEN_EXPIRED');
  });

  test('the auth answer carries the expiry at which the socket will be closed', async (t) => {
    const env = await useServer(t, { accessTtlSeconds: 60 });
    const grant = await env.login('viewer');
    const client = await env.connect();
    const answer = await client.auth(grant.accessToken);
    const expiresAt = answer.auth?.expiresAt ?? 0;
    assert.ok(expiresAt >= nowSeconds() + 59 && expiresAt <= nowSeconds() + 61, `expiresAt ${expiresAt}`);
  });
});

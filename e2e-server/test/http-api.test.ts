// The HTTP API: login, login-as, the user list, health, and its answers to bad requests.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import type { GrantBody } from './helpers.js';
import { api, errorCodeOf, useServer } from './helpers.js';

describe('HTTP API', () => {
  test('login returns an access token, a refresh token, its expiry and the user', async (t) => {
    const env = await useServer(t, { accessTtlSeconds: 600 });
    const result = await env.http('POST', '/api/auth/login', { body: { login: 'admin', password: 'admin-pass' } });
    assert.equal(result.status, 200);
    const grant = result.body as GrantBody;
    assert.deepEqual(grant.user, { id: 'u-admin', login: 'admin', name: 'Ada Admin', role: 'ADMIN' });
    const access = decodeJwt(grant.accessToken);
    assert.equal(access.sub, 'u-admin');
    assert.equal(access['typ'], 'access');
    assert.equal(typeof access['sid'], 'string');
    assert.equal(typeof access.jti, 'string');
    assert.equal(access.exp, grant.expiresAt);
    assert.ok((access.exp ?? 0) - (access.iat ?? 0) >= 600);
    const refresh = decodeJwt(grant.refreshToken);
    assert.equal(refresh['typ'], 'refresh');
    assert.equal(refresh['sid'], access['sid']);
  });

  test('the three seeded users can log in with their roles', async (t) => {
    const env = await useServer(t);
    for (const [who, role] of [['admin', 'ADMIN'], ['manager', 'MANAGER'], ['viewer', 'VIEWER']] as const) {
      assert.equal((await env.login(who)).user.role, role);
    }
  });

  test('a wrong password is 401 INVALID_CREDENTIALS', async (t) => {
    const env = await useServer(t);
    for (const body of [{ login: 'admin', password: 'nope' }, { login: 'nobody', password: 'admin-pass' }]) {
      const result = await env.http('POST', '/api/auth/login', { body });
      assert.equal(result.status, 401);
      assert.equal(errorCodeOf(result.body), 'INVALID_CREDENTIALS');
    }
  });

  test('a login body that is not JSON or misses a field is 400 with a readable message', async (t) => {
    const env = await useServer(t);
    for (const body of ['{oops', '[]', { login: 'admin' }, { login: 'admin', password: 5 }]) {
      const result = await env.http('POST', '/api/auth/login', { body });
      assert.equal(result.status, 400, JSON.stringify(body));
      assert.equal(errorCodeOf(result.body), 'BAD_REQUEST');
      const message = (result.body as { error: { message: string } }).error.message;
      assert.ok(message.length > 10);
    }
  });

  test('a body larger than maxPayload is 413', async (t) => {
    const env = await useServer(t, { maxPayload: 1024 });
    const result = await env.http('POST', '/api/auth/login', { body: { login: 'admin', password: 'x'.repeat(4096) } });
    assert.equal(result.status, 413);
    assert.equal(errorCodeOf(result.body), 'PAYLOAD_TOO_LARGE');
  });

  test('an unknown route is 404 and a wrong method is 405', async (t) => {
    const env = await useServer(t);
    const missing = await env.http('GET', '/api/nothing');
    assert.equal(missing.status, 404);
    assert.equal(errorCodeOf(missing.body), 'NOT_FOUND');
    const wrong = await env.http('GET', '/api/auth/login');
    assert.equal(wrong.status, 405);
    assert.equal(errorCodeOf(wrong.body), 'METHOD_NOT_ALLOWED');
  });

  test('health answers {ok: true}', async (t) => {
    const env = await useServer(t);
    assert.deepEqual((await env.http('GET', '/api/health')).body, { ok: true });
  });

  test('the user list needs a signed-in user and lists the seeded users', async (t) => {
    const env = await useServer(t);
    const anonymous = await env.http('GET', '/api/users');
    assert.equal(anonymous.status, 401);
    assert.equal(errorCodeOf(anonymous.body), 'UNAUTHENTICATED');
    const grant = await env.login('viewer');
    const users = (await env.http('GET', '/api/users', { token: grant.accessToken })).body as { id: string }[];
    assert.deepEqual(
      users.map((u) => u.id),
      ['u-admin', 'u-manager', 'u-viewer'],
    );
  });

  test('an admin may log in as another user; the socket then says who acts', async (t) => {
    const env = await useServer(t);
    const admin = await env.login('admin');
    const result = await env.http('POST', '/api/auth/login-as', { token: admin.accessToken, body: { userId: 'u-viewer' } });
    assert.equal(result.status, 200);
    const grant = result.body as GrantBody;
    assert.equal(grant.user.id, 'u-viewer');
    assert.equal(grant.actingUser?.id, 'u-admin');
    assert.equal(decodeJwt(grant.accessToken)['act'], 'u-admin');
    const client = await env.connect();
    const answer = await client.auth(grant.accessToken);
    assert.equal(answer.auth?.user?.role, api.Role.VIEWER);
    assert.equal(answer.auth?.actingUserId, 'u-admin');
    // Acting as a viewer gives a viewer's rights, not an admin's.
    assert.equal((await client.request({ menuAdd: { name: 'X' } })).error?.code, api.ErrorCode.FORBIDDEN);
  });

  test('login-as by a non-admin is 403 and for an unknown user 404', async (t) => {
    const env = await useServer(t);
    const manager = await env.login('manager');
    const forbidden = await env.http('POST', '/api/auth/login-as', { token: manager.accessToken, body: { userId: 'u-viewer' } });
    assert.equal(forbidden.status, 403);
    assert.equal(errorCodeOf(forbidden.body), 'FORBIDDEN');
    const admin = await env.login('admin');
    const missing = await env.http('POST', '/api/auth/login-as', { token: admin.accessToken, body: { userId: 'u-ghost' } });
    assert.equal(missing.status, 404);
    assert.equal(errorCodeOf(missing.body), 'NOT_FOUND');
  });

  test('the audit log names the admin behind a login-as change', async (t) => {
    const env = await useServer(t);
    const { client: auditor } = await env.signIn('admin');
    await auditor.request({ sub: { kind: api.SubKind.AUDIT_LOG } });
    const admin = await env.login('admin');
    const asManager = (await env.http('POST', '/api/auth/login-as', { token: admin.accessToken, body: { userId: 'u-manager' } }))
      .body as GrantBody;
    const client = await env.connect();
    await client.auth(asManager.accessToken);
    await client.request({ menuAdd: { name: 'Specials' } });
    const entry = await auditor.waitFor((r) => !!r.sub?.audit);
    assert.equal(entry.sub?.audit?.userLogin, 'admin as manager');
  });
});

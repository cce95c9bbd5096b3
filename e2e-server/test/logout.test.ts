// HTTP logout reaches the sockets: one session (4440) or every device of the user (4441).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CloseCode } from '../src/protocol.js';
import { errorCodeOf, useServer } from './helpers.js';

describe('logout', () => {
  test('logout closes every socket of that session with 4440 and no other', async (t) => {
    const env = await useServer(t);
    const grant = await env.login('manager');
    const main = await env.connect();
    await main.auth(grant.accessToken);
    const notifications = await env.connect({ path: '/ws/notifications' });
    await notifications.auth(grant.accessToken);
    const { client: otherDevice } = await env.signIn('manager');
    const { client: otherUser } = await env.signIn('viewer');

    assert.equal((await env.http('POST', '/api/auth/logout', { token: grant.accessToken, body: {} })).status, 204);

    assert.equal((await main.waitForClose()).code, CloseCode.SessionLoggedOut);
    assert.equal((await notifications.waitForClose()).code, CloseCode.SessionLoggedOut);
    await otherDevice.roundTrip();
    await otherUser.roundTrip();
  });

  test('logout from every device closes every socket of the user with 4441, other users stay', async (t) => {
    const env = await useServer(t);
    const { client: laptop, grant } = await env.signIn('manager');
    const { client: phone } = await env.signIn('manager');
    const phoneNotifications = await env.connect({ path: '/ws/notifications' });
    await phoneNotifications.auth((await env.login('manager')).accessToken);
    const { client: otherUser } = await env.signIn('admin');

    const result = await env.http('POST', '/api/auth/logout', { token: grant.accessToken, body: { fromAllDevices: true } });
    assert.equal(result.status, 204);

    for (const client of [laptop, phone, phoneNotifications]) {
      assert.equal((await client.waitForClose()).code, CloseCode.LoggedOutEverywhere);
    }
    await otherUser.roundTrip();
    const stats = (await env.control('stats', 'GET')).body as { sessions: number };
    assert.equal(stats.sessions, 1, 'only the admin session is left');
  });

  test('after logout from every device no token of the user works', async (t) => {
    const env = await useServer(t);
    const first = await env.login('viewer');
    const second = await env.login('viewer');
    await env.http('POST', '/api/auth/logout', { token: first.accessToken, body: { fromAllDevices: true } });
    for (const token of [first.accessToken, second.accessToken]) {
      const result = await env.http('GET', '/api/users', { token });
      assert.equal(result.status, 401);
      assert.equal(errorCodeOf(result.body), 'TOKEN_REVOKED');
    }
    const refresh = await env.http('POST', '/api/auth/refresh', { body: { refreshToken: second.refreshToken } });
    assert.equal(errorCodeOf(refresh.body), 'TOKEN_REVOKED');
  });

  test('logout without a token is 401 UNAUTHENTICATED and closes nothing', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('viewer');
    const result = await env.http('POST', '/api/auth/logout', { body: {} });
    assert.equal(result.status, 401);
    assert.equal(errorCodeOf(result.body), 'UNAUTHENTICATED');
    await client.roundTrip();
  });

  test('logout with an invalid token is 401 TOKEN_INVALID', async (t) => {
    const env = await useServer(t);
    const result = await env.http('POST', '/api/auth/logout', { token: 'garbage' });
    assert.equal(result.status, 401);
    assert.equal(errorCodeOf(result.body), 'TOKEN_INVALID');
  });

  test('logout with fromAllDevices that is not a boolean is 400', async (t) => {
    const env = await useServer(t);
    const grant = await env.login('viewer');
    const result = await env.http('POST', '/api/auth/logout', { token: grant.accessToken, body: { fromAllDevices: 'yes' } });
    assert.equal(result.status, 400);
    assert.equal(errorCodeOf(result.body), 'BAD_REQUEST');
  });
});

// The faults that reach some sockets only, or none: drop by path, blackhole (a dead peer that keeps
// its TCP connection) and revoke (sessions ended without a word to their sockets).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ServerStats as Stats } from '../src/control-api.js';
import { CloseCode } from '../src/protocol.js';
import { api, errorCodeOf, useServer, waitUntil } from './helpers.js';

/** Long enough for a frame to cross loopback and be answered many times over. */
const SILENCE_MS = 250;

describe('faults aimed at some sockets', () => {
  test('drop?path=/ws/notifications cuts only the notifications sockets', async (t) => {
    const env = await useServer(t);
    const { client: main, grant } = await env.signIn('manager');
    const notifications = await env.connect({ path: '/ws/notifications' });
    await notifications.auth(grant.accessToken);

    assert.deepEqual((await env.control('drop?path=/ws/notifications')).body, { ok: true, dropped: 1 });

    assert.equal((await notifications.waitForClose()).code, 1006);
    await main.roundTrip();
  });

  test('drop with a path that does not start with / is refused with 400', async (t) => {
    const env = await useServer(t);
    const result = await env.control('drop?path=ws');
    assert.equal(result.status, 400);
    assert.equal(errorCodeOf(result.body), 'BAD_REQUEST');
  });

  test('a blackholed socket stays connected but answers nothing and gets no push, then is dropped', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('viewer');
    await client.request({ sub: { kind: api.SubKind.CATEGORIES } });
    await client.waitFor((r) => !!r.sub?.categories);
    const { client: editor } = await env.signIn('manager');
    const started = Date.now();

    assert.deepEqual((await env.control('blackhole?ms=600')).body, { ok: true, blackholed: 2 });
    const stats = (await env.control('stats', 'GET')).body as Stats;
    assert.deepEqual([stats.sockets, stats.blackholed, stats.authorized], [2, 2, 0]);

    await assert.rejects(client.request({ ping: { clientTime: 1 } }, SILENCE_MS), /timed out/);
    // The editor's socket is blackholed too: a fresh one changes the menu, and no push comes.
    const { client: fresh } = await env.signIn('manager');
    assert.ok((await fresh.request({ menuAdd: { name: 'Unseen' } })).menuAdd);
    await assert.rejects(client.waitFor((r) => !!r.sub?.categoryUpdate, SILENCE_MS), /timed out/);

    assert.equal((await client.waitForClose()).code, 1006);
    assert.equal((await editor.waitForClose()).code, 1006);
    assert.ok(Date.now() - started >= 550, `dropped after ${Date.now() - started} ms, before its blackhole ended`);
    await waitUntil(async () => ((await env.control('stats', 'GET')).body as Stats).blackholed === 0, 2000, 'no socket is held');
  });

  test('a blackholed socket does not read the client\'s close frame: the close ends only with the drop', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('viewer');
    await env.control('blackhole?ms=400');
    const started = Date.now();

    client.ws.close(1000, 'bye');

    assert.equal((await client.waitForClose()).code, 1006);
    assert.ok(Date.now() - started >= 350, `closed after ${Date.now() - started} ms: the server read the close frame`);
  });

  test('blackhole?path=/ws/notifications holds only those sockets, and sockets opened later are not held', async (t) => {
    const env = await useServer(t);
    const { client: main, grant } = await env.signIn('manager');
    const notifications = await env.connect({ path: '/ws/notifications' });
    await notifications.auth(grant.accessToken);

    assert.deepEqual((await env.control('blackhole?ms=60000&path=/ws/notifications')).body, { ok: true, blackholed: 1 });

    await main.roundTrip();
    await assert.rejects(notifications.request({ ping: { clientTime: 1 } }, SILENCE_MS), /timed out/);
    const later = await env.connect({ path: '/ws/notifications' });
    assert.ok((await later.auth(grant.accessToken)).auth);
    await later.roundTrip();
  });

  test('a logout does not reach a blackholed socket (nothing is sent on it); reset drops it at once', async (t) => {
    const env = await useServer(t);
    const { client, grant } = await env.signIn('manager');
    await env.control('blackhole?ms=60000');

    assert.equal((await env.http('POST', '/api/auth/logout', { token: grant.accessToken, body: {} })).status, 204);
    await assert.rejects(client.waitForClose(SILENCE_MS), /timed out/);
    assert.equal(((await env.control('stats', 'GET')).body as Stats).blackholed, 1);

    await env.control('reset');
    assert.equal((await client.waitForClose()).code, 1006);
  });

  test('blackhole needs ?ms=N and takes only a path of the main protocol', async (t) => {
    const env = await useServer(t);
    for (const action of ['blackhole', 'blackhole?ms=-1', 'blackhole?ms=100&path=/dialects/rooms', 'blackhole?ms=100&path=/nowhere']) {
      const result = await env.control(action);
      assert.equal(result.status, 400, action);
      assert.equal(errorCodeOf(result.body), 'BAD_REQUEST', action);
    }
  });

  test('revoke ends every session of the user without closing a socket; its tokens are refused from then on', async (t) => {
    const env = await useServer(t);
    const { client, grant } = await env.signIn('manager');
    const otherDevice = await env.login('manager');
    const { client: viewer } = await env.signIn('viewer');

    assert.deepEqual((await env.control('revoke?user=u-manager')).body, { ok: true, revoked: 2 });

    await client.roundTrip(); // still open and authorized
    const again = await env.connect();
    assert.equal((await again.auth(grant.accessToken)).error?.code, api.ErrorCode.TOKEN_REVOKED);
    assert.equal((await again.waitForClose()).code, CloseCode.AuthRefused);
    const refreshed = await env.http('POST', '/api/auth/refresh', { body: { refreshToken: otherDevice.refreshToken } });
    assert.equal(refreshed.status, 401);
    assert.equal(errorCodeOf(refreshed.body), 'TOKEN_REVOKED');
    const reauth = await client.request({ reauth: { accessToken: grant.accessToken } });
    assert.equal(reauth.error?.code, api.ErrorCode.TOKEN_REVOKED);
    await viewer.roundTrip();
    assert.equal(((await env.control('stats', 'GET')).body as Stats).sessions, 1);
  });

  test('a logout from every device also closes (4441) the sockets of the sessions revoked before', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('manager');
    const { client: viewer } = await env.signIn('viewer');
    await env.control('revoke?user=u-manager');
    const other = await env.login('manager');

    assert.equal((await env.http('POST', '/api/auth/logout', { token: other.accessToken, body: { fromAllDevices: true } })).status, 204);

    assert.equal((await client.waitForClose()).code, CloseCode.LoggedOutEverywhere);
    await viewer.roundTrip();
  });

  test('revoke needs ?user= naming a user, and ends nothing otherwise', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('viewer');
    for (const action of ['revoke', 'revoke?user=u-nobody']) {
      const result = await env.control(action);
      assert.equal(result.status, 400, action);
      assert.equal(errorCodeOf(result.body), 'BAD_REQUEST', action);
    }
    assert.equal(((await env.control('stats', 'GET')).body as Stats).sessions, 1);
    await client.roundTrip();
  });
});

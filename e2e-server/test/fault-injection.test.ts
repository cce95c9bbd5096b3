// The control API of test mode: every fault-injection action, and its absence outside test mode.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ServerStats as Stats } from '../src/control-api.js';
import { CloseCode } from '../src/protocol.js';
import type { GrantBody } from './helpers.js';
import { api, errorCodeOf, useServer, waitUntil } from './helpers.js';

describe('fault injection', () => {
  test('without test mode the control API does not exist', async (t) => {
    const env = await useServer(t, { testMode: false });
    for (const action of ['drop', 'refuse?ms=100', 'delay?ms=100', 'fail-next-auth', 'expire-tokens', 'restart', 'reset', 'access-ttl?seconds=3', 'blackhole?ms=100', 'revoke?user=u-admin']) {
      const result = await env.control(action);
      assert.equal(result.status, 404, action);
    }
    assert.equal((await env.control('stats', 'GET')).status, 404);
    const { client } = await env.signIn('viewer');
    await client.roundTrip();
  });

  test('stats counts sockets, authorized sockets, subscriptions, blackholed sockets and sessions', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('viewer');
    await client.request({ sub: { kind: api.SubKind.CATEGORIES } });
    await env.connect();
    assert.deepEqual((await env.control('stats', 'GET')).body, { sockets: 2, authorized: 1, subscriptions: 1, blackholed: 0, sessions: 1, failNextAuthArmed: false });
    client.terminate();
    await waitUntil(async () => ((await env.control('stats', 'GET')).body as Stats).sockets === 1, 2000, 'the socket is gone');
  });

  test('drop cuts every socket without a close frame, as a network failure (1006)', async (t) => {
    const env = await useServer(t);
    const { client: a } = await env.signIn('viewer');
    const { client: b } = await env.signIn('admin');
    const result = await env.control('drop');
    assert.deepEqual(result.body, { ok: true, dropped: 2 });
    assert.equal((await a.waitForClose()).code, 1006);
    assert.equal((await b.waitForClose()).code, 1006);
    const { client } = await env.signIn('viewer');
    await client.roundTrip();
  });

  test('refuse rejects upgrades with HTTP 503 for the given time, then accepts again', async (t) => {
    const env = await useServer(t);
    const { client: open } = await env.signIn('viewer');
    const started = Date.now();
    assert.equal((await env.control('refuse?ms=300')).status, 200);
    await assert.rejects(env.connect(), /HTTP 503/);
    await open.roundTrip(); // sockets already open are not touched
    // The server-side timer is the thing tested: retry until it lets us in, bounded.
    await waitUntil(
      () => env.connect().then(() => true, () => false),
      3000,
      'upgrades are accepted again',
    );
    assert.ok(Date.now() - started >= 250, 'accepted again before the refusal ended');
  });

  test('delay holds every response and push back by the given ms; 0 turns it off', async (t) => {
    const env = await useServer(t);
    const { client } = await env.signIn('manager');
    await client.request({ sub: { kind: api.SubKind.CATEGORIES } });
    await client.waitFor((r) => !!r.sub?.categories);
    assert.equal((await env.control('delay?ms=500')).status, 200);
    const started = Date.now();
    const answer = await client.request({ menuAdd: { name: 'Slow' } });
    assert.ok(Date.now() - started >= 490, `answered after ${Date.now() - started} ms`);
    assert.ok(answer.menuAdd);
    await client.waitFor((r) => !!r.sub?.categoryUpdate);
    await env.control('delay?ms=0');
    const quick = Date.now();
    await client.roundTrip();
    assert.ok(Date.now() - quick < 400, 'still delayed after delay?ms=0');
  });

  test('a delayed error still arrives before the close it explains', async (t) => {
    const env = await useServer(t);
    await env.control('delay?ms=100');
    const client = await env.connect();
    client.send({ id: 4, menuList: {} });
    assert.equal((await client.nextMessage()).error?.code, api.ErrorCode.UNAUTHENTICATED);
    assert.equal((await client.waitForClose()).code, CloseCode.ProtocolViolation);
  });

  test('fail-next-auth refuses exactly the next auth with TOKEN_INVALID and 4401, and stats say whether it is still armed', async (t) => {
    const env = await useServer(t);
    const armed = async () => ((await env.control('stats', 'GET')).body as Stats).failNextAuthArmed;
    const grant = await env.login('viewer');
    assert.equal(await armed(), false);
    await env.control('fail-next-auth');
    // A sign-in over HTTP does not take it: only a socket's auth does.
    await env.login('manager');
    assert.equal(await armed(), true);
    const first = await env.connect();
    assert.equal((await first.auth(grant.accessToken)).error?.code, api.ErrorCode.TOKEN_INVALID);
    assert.equal((await first.waitForClose()).code, CloseCode.AuthRefused);
    assert.equal(await armed(), false);
    const second = await env.connect();
    assert.ok((await second.auth(grant.accessToken)).auth);
  });

  test('expire-tokens closes open sockets with 4419 and refuses old tokens; refresh still works', async (t) => {
    const env = await useServer(t);
    const { client, grant } = await env.signIn('manager');
    const { client: other } = await env.signIn('viewer');
    const result = await env.control('expire-tokens');
    assert.deepEqual(result.body, { ok: true, closed: 2 });
    assert.equal((await client.waitForClose()).code, CloseCode.TokenExpired);
    assert.equal((await other.waitForClose()).code, CloseCode.TokenExpired);

    const retry = await env.connect();
    assert.equal((await retry.auth(grant.accessToken)).error?.code, api.ErrorCode.TOKEN_EXPIRED);
    assert.equal((await retry.waitForClose()).code, CloseCode.TokenExpired);

    const refreshed = await env.http('POST', '/api/auth/refresh', { body: { refreshToken: grant.refreshToken } });
    assert.equal(refreshed.status, 200);
    const fresh = await env.connect();
    assert.ok((await fresh.auth((refreshed.body as GrantBody).accessToken)).auth);
  });

  test('restart closes every socket with 1012; data and sessions survive', async (t) => {
    const env = await useServer(t);
    const { client, grant } = await env.signIn('manager');
    const added = await client.request({ menuAdd: { name: 'Survivor' } });
    const unauthorized = await env.connect();
    assert.deepEqual((await env.control('restart')).body, { ok: true, closed: 2 });
    assert.equal((await client.waitForClose()).code, CloseCode.ServiceRestart);
    assert.equal((await unauthorized.waitForClose()).code, CloseCode.ServiceRestart);

    const again = await env.connect();
    assert.ok((await again.auth(grant.accessToken)).auth, 'the token still works after restart');
    const list = await again.request({ menuList: {} });
    assert.ok(list.menuList?.categories?.some((c) => c.id === added.menuAdd?.category?.id));
  });

  test('reset restores the seed data, ends every session and turns faults off', async (t) => {
    const env = await useServer(t);
    const { client, grant } = await env.signIn('manager');
    await client.request({ menuAdd: { name: 'Temporary' } });
    await env.control('delay?ms=1000');
    await env.control('fail-next-auth');
    assert.equal((await env.control('reset')).status, 200);
    assert.equal((await client.waitForClose()).code, CloseCode.ServiceRestart);
    assert.equal(((await env.control('stats', 'GET')).body as Stats).sessions, 0);

    const stale = await env.connect();
    assert.equal((await stale.auth(grant.accessToken)).error?.code, api.ErrorCode.TOKEN_REVOKED);

    const { client: fresh } = await env.signIn('viewer'); // would fail if fail-next-auth survived
    const started = Date.now();
    const list = await fresh.request({ menuList: {} });
    assert.ok(Date.now() - started < 800, 'the delay survived reset');
    assert.deepEqual(
      list.menuList?.categories?.map((c) => c.name),
      ['Starters', 'Mains', 'Desserts', 'Drinks'],
    );
  });

  test('access-ttl gives the access tokens issued from then on that lifetime; reset restores the configured one', async (t) => {
    const env = await useServer(t, { accessTtlSeconds: 600 });
    const before = await env.login('viewer');
    assert.deepEqual((await env.control('access-ttl?seconds=3')).body, { ok: true, accessTtlSeconds: 3 });
    const short = await env.login('viewer');
    const lifetime = (grant: GrantBody) => grant.expiresAt - Math.floor(Date.now() / 1000);
    assert.ok(lifetime(short) >= 3 && lifetime(short) <= 4, `a 3 s token, got ${lifetime(short)} s`);
    const refreshed = (await env.http('POST', '/api/auth/refresh', { body: { refreshToken: short.refreshToken } })).body as GrantBody;
    assert.ok(lifetime(refreshed) <= 4, 'a refresh issues a short token too');
    assert.ok(lifetime(before) > 590, 'a token issued before keeps its lifetime');

    await env.control('reset');
    assert.ok(lifetime(await env.login('viewer')) > 590, 'reset restores the configured lifetime');
    for (const action of ['access-ttl', 'access-ttl?seconds=0', 'access-ttl?seconds=1.5', 'access-ttl?seconds=86401']) {
      const result = await env.control(action);
      assert.equal(result.status, 400, action);
      assert.equal(errorCodeOf(result.body), 'BAD_REQUEST');
    }
  });

  test('a bad or missing ms is 400 and an unknown action 404', async (t) => {
    const env = await useServer(t);
    for (const action of ['refuse', 'refuse?ms=-1', 'delay?ms=abc', 'delay?ms=1.5']) {
      const result = await env.control(action);
      assert.equal(result.status, 400, action);
      assert.equal(errorCodeOf(result.body), 'BAD_REQUEST');
    }
    assert.equal((await env.control('explode')).status, 404);
    assert.equal((await env.control('drop', 'GET')).status, 405);
  });
});

// Failed sign-ins are throttled per login and per client address in a sliding window: 429 with
// Retry-After, answered before the password is checked; successful sign-ins do not count.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_LOGIN_THROTTLE, LoginThrottle, clientAddressKey } from '../src/login-throttle.js';
import { resolveOptions } from '../src/options.js';
import type { HttpResult, TestEnv } from './helpers.js';
import { errorCodeOf, useServer } from './helpers.js';

const { maxFailuresPerLogin, maxFailuresPerAddress } = DEFAULT_LOGIN_THROTTLE;

function signIn(env: TestEnv, login: string, password: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  return env.http('POST', '/api/auth/login', { body: { login, password }, headers });
}

function assertThrottled(result: HttpResult, what: string): void {
  assert.equal(result.status, 429, what);
  assert.equal(errorCodeOf(result.body), 'TOO_MANY_REQUESTS', what);
  const seconds = Number(result.headers.get('retry-after'));
  assert.ok(Number.isInteger(seconds) && seconds >= 1 && seconds <= 60, `Retry-After ${seconds}`);
  const message = (result.body as { error: { message: string } }).error.message;
  assert.equal(message, `Too many failed sign-ins; try again in ${seconds} s.`);
}

describe('login throttle', () => {
  test(`refuses a login after ${maxFailuresPerLogin} wrong passwords with 429, even with the right password`, async (t) => {
    const env = await useServer(t);
    for (let i = 0; i < maxFailuresPerLogin; i += 1) assert.equal((await signIn(env, 'admin', 'wrong')).status, 401);
    assertThrottled(await signIn(env, 'admin', 'wrong'), 'a sixth guess');
    assertThrottled(await signIn(env, 'admin', 'admin-pass'), 'the right password is not even checked');
    // Only this login is held back: another one from the same address signs in.
    assert.equal((await signIn(env, 'viewer', 'viewer-pass')).status, 200);
  });

  test('counts concurrent guesses exactly: 50 at once get 5 answers and 45 refusals', async (t) => {
    const env = await useServer(t);
    const results = await Promise.all(Array.from({ length: 50 }, () => signIn(env, 'manager', 'guess')));
    const statuses = results.map((result) => result.status);
    assert.equal(statuses.filter((status) => status === 401).length, maxFailuresPerLogin);
    assert.equal(statuses.filter((status) => status === 429).length, 50 - maxFailuresPerLogin);
  });

  test('successful sign-ins do not count, however many', async (t) => {
    const env = await useServer(t);
    for (let i = 0; i < maxFailuresPerLogin - 1; i += 1) assert.equal((await signIn(env, 'viewer', 'wrong')).status, 401);
    for (let i = 0; i < 30; i += 1) assert.equal((await signIn(env, 'viewer', 'viewer-pass')).status, 200);
    assert.equal((await signIn(env, 'viewer', 'wrong')).status, 401, 'the last failure allowed');
    assertThrottled(await signIn(env, 'viewer', 'wrong'), 'one past the limit');
  });

  test(`refuses an address after ${maxFailuresPerAddress} failures over any logins`, async (t) => {
    const env = await useServer(t);
    const logins = Array.from({ length: Math.ceil(maxFailuresPerAddress / (maxFailuresPerLogin - 1)) }, (_, i) => `nobody-${i}`);
    let failures = 0;
    for (const login of logins) {
      for (let i = 0; i < maxFailuresPerLogin - 1 && failures < maxFailuresPerAddress; i += 1, failures += 1) {
        assert.equal((await signIn(env, login, 'wrong')).status, 401);
      }
    }
    assertThrottled(await signIn(env, 'someone-new', 'wrong'), 'a new login from the same address');
    assertThrottled(await signIn(env, 'admin', 'admin-pass'), 'a right password from the same address');
  });

  test('a forged X-Forwarded-For does not pick another address', async (t) => {
    const env = await useServer(t);
    for (let i = 0; i < maxFailuresPerAddress; i += 1) {
      assert.equal((await signIn(env, `guess-${i}`, 'wrong', { 'X-Forwarded-For': `10.0.0.${i}` })).status, 401);
    }
    assertThrottled(await signIn(env, 'guess-x', 'wrong', { 'X-Forwarded-For': '10.9.9.9' }), 'another claimed address');
  });

  test('a page of an allowed origin may read Retry-After', async (t) => {
    const env = await useServer(t);
    const origin = 'http://localhost:4200';
    for (let i = 0; i < maxFailuresPerLogin; i += 1) await signIn(env, 'admin', 'wrong', { Origin: origin });
    const refused = await signIn(env, 'admin', 'wrong', { Origin: origin });
    assertThrottled(refused, 'from a page');
    assert.match(refused.headers.get('access-control-expose-headers') ?? '', /Retry-After/);
  });

  test('takes its limits from ServerOptions.loginThrottle', async (t) => {
    const env = await useServer(t, { loginThrottle: { maxFailuresPerLogin: 2 } });
    for (let i = 0; i < 2; i += 1) assert.equal((await signIn(env, 'admin', 'wrong')).status, 401);
    assertThrottled(await signIn(env, 'admin', 'wrong'), 'a third guess');
  });

  test('the control API reset forgets the failures counted', async (t) => {
    const env = await useServer(t, { loginThrottle: { maxFailuresPerLogin: 1 } });
    assert.equal((await signIn(env, 'admin', 'wrong')).status, 401);
    assertThrottled(await signIn(env, 'admin', 'admin-pass'), 'throttled before the reset');
    assert.equal((await env.control('reset')).status, 200);
    assert.equal((await signIn(env, 'admin', 'admin-pass')).status, 200);
  });

  test('a malformed body is 400 and does not count as a failure', async (t) => {
    const env = await useServer(t);
    for (let i = 0; i < 10; i += 1) {
      assert.equal((await env.http('POST', '/api/auth/login', { body: { login: 'admin' } })).status, 400);
    }
    assert.equal((await signIn(env, 'admin', 'admin-pass')).status, 200);
  });
});

describe('LoginThrottle', () => {
  const limits = { maxFailuresPerLogin: 2, maxFailuresPerAddress: 3, windowMs: 1000, maxTrackedKeys: 4 };

  /** A throttle on a clock that moves only when told to. */
  function throttleAt(start = 0): { throttle: LoginThrottle; clock: { now: number } } {
    const clock = { now: start };
    return { throttle: new LoginThrottle(limits, () => clock.now), clock };
  }

  test('the window slides: a failure stops counting windowMs after it happened', () => {
    const { throttle, clock } = throttleAt();
    assert.ok(throttle.attempt('a', '10.0.0.1').allowed);
    clock.now = 400;
    assert.ok(throttle.attempt('a', '10.0.0.1').allowed);
    clock.now = 500;
    assert.deepEqual(throttle.attempt('a', '10.0.0.1'), { allowed: false, retryAfterSeconds: 1 });
    clock.now = 1000; // the first failure left the window, the second has not
    assert.ok(throttle.attempt('a', '10.0.0.1').allowed);
    assert.equal(throttle.attempt('a', '10.0.0.1').allowed, false);
  });

  test('Retry-After is the time until the oldest counted failure leaves the window, rounded up', () => {
    const clock = { now: 0 };
    const throttle = new LoginThrottle({ ...limits, windowMs: 60_000 }, () => clock.now);
    throttle.attempt('a', '10.0.0.1');
    clock.now = 10_000;
    throttle.attempt('a', '10.0.0.1');
    clock.now = 10_500;
    assert.deepEqual(throttle.attempt('a', '10.0.0.1'), { allowed: false, retryAfterSeconds: 50 });
  });

  test('a success forgets its own attempt and nothing else', () => {
    const { throttle } = throttleAt();
    assert.ok(throttle.attempt('a', '10.0.0.1').allowed);
    const second = throttle.attempt('a', '10.0.0.1');
    assert.ok(second.allowed);
    second.succeeded();
    assert.ok(throttle.attempt('a', '10.0.0.1').allowed, 'one failure and one success so far');
    assert.equal(throttle.attempt('a', '10.0.0.1').allowed, false);
  });

  test('memory is bounded: expired keys are pruned and the number of keys is capped', () => {
    const { throttle, clock } = throttleAt();
    for (let i = 0; i < 100; i += 1) throttle.attempt(`login-${i}`, `10.0.${i}.1`);
    assert.equal(throttle.trackedKeys, 2 * limits.maxTrackedKeys);
    clock.now = 5000;
    throttle.attempt('late', '10.1.1.1');
    assert.equal(throttle.trackedKeys, 2, 'only the keys of the last attempt are left');
    const long = 'x'.repeat(100_000);
    throttle.attempt(`${long}a`, '10.1.1.2');
    throttle.attempt(`${long}b`, '10.1.1.3');
    assert.equal(throttle.attempt(`${long}c`, '10.1.1.4').allowed, false, 'a long login is keyed by its start');
  });

  test('IPv6 clients are keyed by their /64, IPv4-mapped ones as IPv4', () => {
    assert.equal(clientAddressKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(clientAddressKey('2001:0db8:0001:0002:bbbb:cccc:dddd:eeee'), '2001:db8:1:2::/64');
    assert.equal(clientAddressKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(clientAddressKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(clientAddressKey('::ffff:192.0.2.7'), '192.0.2.7');
    assert.equal(clientAddressKey('192.0.2.7'), '192.0.2.7');
    assert.equal(clientAddressKey(undefined), 'unknown');
  });

  test('ServerOptions.loginThrottle defaults to 5 per login, 20 per address, 60 s, and refuses a limit of 0', () => {
    assert.deepEqual(resolveOptions().loginThrottle, DEFAULT_LOGIN_THROTTLE);
    assert.deepEqual(resolveOptions({ loginThrottle: { windowMs: 500 } }).loginThrottle, { ...DEFAULT_LOGIN_THROTTLE, windowMs: 500 });
    assert.equal(resolveOptions({ loginThrottle: { maxFailuresPerAddress: Infinity } }).loginThrottle.maxFailuresPerAddress, Infinity);
    assert.throws(() => resolveOptions({ loginThrottle: { maxFailuresPerLogin: 0 } }), RangeError);
    assert.throws(() => resolveOptions({ loginThrottle: { maxTrackedKeys: Infinity } }), RangeError);
  });
});

// The defects the property of jwt.service.properties.spec.ts found, each shrunk by fast-check and
// kept here as a direct spec of what the README, MIGRATION.md or the JSDoc promise, with the
// counterexample it came from. A spec still pending (`xit`) is a defect not fixed yet: the property
// lists it in KNOWN_DEFECTS and lets the service do what it does there. Once the library is fixed,
// make the spec an `it` and take the name out of KNOWN_DEFECTS, so the property checks it again.
import type { HttpRequest } from '@angular/common/http';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { NoFreshJwtError } from '../public-api';
import { admin, authResponse, flushError, logIn, manager, record, setUp, viewer } from '../spec-support/set-up';

const noContent = { status: 204, statusText: 'No Content' };

/** `tokensFromResponse` of a 1.2.x app whose login answers may carry no tokens (1.2.x's login by token). */
const tokensOptional = {
  tokensFromResponse: ((response: { accessToken?: string; refreshToken?: string }) =>
    response.accessToken && response.refreshToken ? { accessToken: response.accessToken, refreshToken: response.refreshToken } : null) as never,
};

describe('JwtService, the counterexamples of its property', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  describe('a session stacked by a login-as is still the same session', () => {
    // Fixed in a4a6772: loginAs() stacked a copy of the master, so a refresh of the master on its way no
    // longer found it (replaceSession compared objects), nor did `refreshing` or a login again made in it.

    // Shrunk: login(admin), answer ok, loginAs(admin), freshJwt({ rejectedToken }), answer the login-as ok,
    // answer the refresh ok → the stacked master kept the tokens the refresh had replaced.
    it('keeps the tokens of a refresh of the master answered after a login-as began, so the master comes back with them', () => {
      const t = setUp();
      const master = logIn(t, admin);
      record(t.jwt.loginAs('u-viewer'));
      record(t.jwt.freshJwt({ rejectedToken: master.accessToken }));
      t.http.expectOne('/api/auth/login-as').flush(authResponse(viewer, t.clock, { actingUser: admin }));
      const refreshed = authResponse(admin, t.clock);
      t.http.expectOne('/api/auth/refresh').flush(refreshed);

      t.jwt.logout().subscribe();
      t.http.expectOne('/api/auth/logout').flush(null, noContent);

      // Failed: the master came back with the tokens the server had replaced, so its next refresh sent a
      // rotated-away refresh token, which a rotating server refuses: the session then ended.
      expect(t.jwt.accessToken).toBe(refreshed.accessToken);
      expect(t.jwt.jwt?.refreshToken?.token).toBe(refreshed.refreshToken);
    });

    // Shrunk (token-less answers): loginAgain(admin), answer ok, loginAgain(admin), tick(875 s), request(),
    // answer the login again token-less, loginAs(admin) → a second refresh call of one session.
    it('makes one refresh call for a session at a time, also when a login-as ended while its refresh was on its way', () => {
      const t = setUp();
      logIn(t, admin);
      record(t.jwt.loginAs('u-viewer'));
      t.clock.tick(875 * 1000);
      record(t.jwt.freshJwt()); // the master's token is due: its refresh goes out
      t.http.expectOne('/api/auth/login-as').flush(authResponse(viewer, t.clock, { actingUser: admin }));
      t.jwt.logout().subscribe();
      t.http.expectOne('/api/auth/logout').flush(null, noContent);

      record(t.jwt.freshJwt()); // the master again, its refresh still on its way

      // Failed: two refresh calls with the same refresh token were on their way.
      const refreshes = t.http.match('/api/auth/refresh');
      expect(refreshes.length).toBe(1);
      for (const request of refreshes) request.flush(authResponse(admin, t.clock));
    });

    // Shrunk: login(admin), answer ok, loginAs(admin), freshJwt({ rejectedToken }), loginAgain(admin),
    // answer the login-as ok, logout(), answer it ok, answer the login again 401 → the session was kept.
    it('ends the session when a login again with credentials made in it is refused with 401, after a login-as came and went', () => {
      const t = setUp();
      logIn(t, admin);
      const again = record(t.jwt.loginAgain({ login: 'admin', password: 'admin-pass' }));
      record(t.jwt.loginAs('u-viewer'));
      t.http.expectOne('/api/auth/login-as').flush(authResponse(viewer, t.clock, { actingUser: admin }));
      t.jwt.logout().subscribe();
      t.http.expectOne('/api/auth/logout').flush(null, noContent);

      flushError(t.http.expectOne('/api/auth/login'), 401, 'TOKEN_REVOKED', 'The session was logged out.');

      // Failed: the master's session, whose token the refused credentials were, stayed logged in here.
      expect(again.error).toBeDefined();
      expect(t.jwt.isLoggedIn).toBeFalse();
    });
  });

  describe('a logout ends the session it was called for', () => {
    // Fixed in a4a6772: logout() ended whatever session was current when its answer came, and a logout
    // that waited for a fresh token took the token of whatever session was current then.

    // Shrunk: login(admin), answer ok, loginAs(admin), answer ok, logout(), logout(), answer ok, answer ok.
    it('leaves the master signed in when two logouts of the same login-as are answered', () => {
      const t = setUp();
      const master = logIn(t, admin);
      record(t.jwt.loginAs('u-viewer'));
      const acting = authResponse(viewer, t.clock, { actingUser: admin });
      t.http.expectOne('/api/auth/login-as').flush(acting);

      const first = record(t.jwt.logout());
      const second = record(t.jwt.logout());
      const calls = t.http.match('/api/auth/logout');
      expect(calls.map((call) => call.request.headers.get('Authorization'))).toEqual([`Bearer ${acting.accessToken}`, `Bearer ${acting.accessToken}`]);
      for (const call of calls) call.flush(null, noContent);

      expect(first.completed && second.completed).toBeTrue();
      // Failed: the second answer, for the viewer's session the first had ended, signed the admin out
      // here, though the server never ended the admin's session.
      expect(t.jwt.user()).toEqual(admin);
      expect(t.jwt.accessToken).toBe(master.accessToken);
    });

    // Shrunk: login(admin), answer ok, loginAs(admin), answer ok, logout(), logout(), answer the first
    // TOKEN_EXPIRED, answer the second ok → the first logout's retry carried the master's token.
    it("never sends the master's token for the logout of a login-as that ended while it waited for a fresh token", () => {
      const t = setUp();
      const master = logIn(t, admin);
      record(t.jwt.loginAs('u-viewer'));
      t.http.expectOne('/api/auth/login-as').flush(authResponse(viewer, t.clock, { actingUser: admin }));
      record(t.jwt.logout());
      flushError(t.http.expectOne('/api/auth/logout'), 401, 'TOKEN_EXPIRED', 'The access token has expired: refresh it.');
      const refresh = t.http.expectOne('/api/auth/refresh');
      t.jwt.logout(false, { localOnly: true }).subscribe(); // the login-as ends meanwhile: the admin is back

      refresh.flush(authResponse(viewer, t.clock, { actingUser: admin }));

      // Failed: the retried logout went out with the admin's token, ending the admin's session on the
      // server (and, once answered, here), though it was called for the viewer's.
      const calls = t.http.match('/api/auth/logout');
      expect(calls.map((call) => call.request.headers.get('Authorization'))).not.toContain(`Bearer ${master.accessToken}`);
      for (const call of calls) call.flush(null, noContent);
    });
  });

  // Fixed in a4a6772. Shrunk: login(viewer), answer ok, loginAgain(admin), loginAs(admin), answer the
  // login again ok, answer the login-as ok → the login-as, made with the viewer's token, was stacked
  // over the admin's new session. Below, the same with a login of another user.
  it('does not make the user of a login that came meanwhile the master a login-as returns to', () => {
    const t = setUp();
    logIn(t, admin);
    const loginAs = record(t.jwt.loginAs('u-viewer'));
    const loginAsCall = t.http.expectOne('/api/auth/login-as');
    t.jwt.login({ login: 'manager', password: 'manager-pass' }).subscribe();
    t.http.expectOne('/api/auth/login').flush(authResponse(manager, t.clock));

    loginAsCall.flush(authResponse(viewer, t.clock, { actingUser: admin }));

    // Failed: the login-as the admin started was applied over the manager's session, and its logout
    // returned to the manager (README: the master is "the admin who started it").
    expect(loginAs.error).toBeDefined();
    expect(t.jwt.user()).toEqual(manager);
    expect(t.jwt.stashedUsers).toEqual([]);
  });

  // Fixed in a4a6772. Shrunk (token-less answers): loginAgain(admin), login(admin), answer the login again
  // ok, answer the login token-less → the login, sent while nobody was logged in, kept the tokens of
  // the session that began after it.
  it('fails a token-less login answer rather than give it the tokens of a session that began after it was sent', () => {
    const t = setUp({ config: tokensOptional });
    logIn(t, admin);
    const login = record(t.jwt.login({ login: 'viewer', password: 'viewer-pass' }));
    const tokenLessCall = t.http.expectOne('/api/auth/login');
    t.jwt.login({ login: 'manager', password: 'manager-pass' }).subscribe();
    const managers = authResponse(manager, t.clock);
    t.http.expectOne('/api/auth/login').flush(managers);

    tokenLessCall.flush({ user: viewer });

    // Failed: the viewer's session carried the manager's tokens (MIGRATION.md: such an answer fails
    // "instead of taking another session's tokens").
    expect(login.error).toBeInstanceOf(NoFreshJwtError);
    expect(t.jwt.user()).toEqual(manager);
    expect(t.jwt.accessToken).toBe(managers.accessToken);
  });

  // Known defect "refresh lost after a token-less answer". Shrunk (token-less answers): login(admin),
  // answer ok, request(), request(), loginAgain(admin), tick(875 s), loginAgain(), answer the login
  // again token-less, answer the refresh ok → a second refresh call sent the rotated-away refresh token.
  //
  // A token-less answer keeps the session's tokens in a new session object (the login again carries
  // the session on through `renewedAs`; a login begins another), but replaceSession() looks for the
  // object the refresh was made for, as current or on the stack, and does not follow `renewedAs`: the
  // refresh's answer is dropped, the session keeps the tokens the server replaced, and `freshJwt()`
  // refreshes once more with the rotated-away refresh token, which a rotating server refuses (the
  // session then ends). The same happens with a token-less `login` answer; and when that refresh
  // fails instead, the session does not end (the property's other counterexample: loginAgain(admin),
  // answer ok, tick(905 s), loginAs(admin), loginAgain(admin), answer it token-less, answer the refresh
  // 401 → the refused session goes on, and its refresh is sent again).
  it('keeps the tokens of a refresh answered after a token-less login again carried its session on', () => {
    const t = setUp({ config: tokensOptional });
    const login = logIn(t, admin);
    record(t.jwt.loginAgain({ login: 'admin', password: 'admin-pass' }));
    t.clock.tick(875 * 1000);
    const fresh = record(t.jwt.freshJwt()); // the token is due: its refresh goes out
    const refresh = t.http.expectOne('/api/auth/refresh');
    t.http.expectOne('/api/auth/login').flush({ user: admin }); // no tokens: the session keeps its own

    const refreshed = authResponse(admin, t.clock);
    refresh.flush(refreshed);

    expect(t.jwt.accessToken).toBe(refreshed.accessToken);
    expect(fresh.values).toEqual([refreshed.accessToken]);
    const again = t.http.match('/api/auth/refresh');
    expect(again.map((request) => (request.request.body as { refreshToken: string }).refreshToken)).not.toContain(login.refreshToken);
    for (const request of again) request.flush(authResponse(admin, t.clock));
  });

  // Known defect "refresh of another session forgets the one on its way". Shrunk: loginAgain(admin),
  // answer ok, loginAs(admin), freshJwt({ rejectedToken }), answer the login-as ok, logout(), tick(875 s),
  // loginAs(admin), answer the logout ok, freshJwt() → a second refresh call of the master's session.
  //
  // JwtService keeps one `refreshing` slot: a refresh of the acting user's session takes the place of
  // the master's refresh on its way (and clears it once answered). When the login-as ends, a
  // `freshJwt()` of the master no longer finds its refresh and sends another with the same refresh
  // token (README: "one refresh call is made"); a rotating server refuses the second, and one that
  // detects the reuse of a refresh token revokes the session.
  it("makes one refresh call for the master's session at a time, though the acting user's session refreshed meanwhile", () => {
    const t = setUp();
    const master = logIn(t, admin);
    record(t.jwt.loginAs('u-viewer'));
    t.clock.tick(875 * 1000);
    record(t.jwt.freshJwt()); // the master's token is due: its refresh goes out, and stays on its way
    t.http.expectOne('/api/auth/login-as').flush(authResponse(viewer, t.clock, { actingUser: admin }));
    t.clock.tick(875 * 1000);
    record(t.jwt.freshJwt()); // the acting user's token is due: its refresh
    const acting = (request: HttpRequest<unknown>) =>
      request.url === '/api/auth/refresh' && (request.body as { refreshToken: string }).refreshToken !== master.refreshToken;
    t.http.expectOne(acting).flush(authResponse(viewer, t.clock, { actingUser: admin }));
    t.jwt.logout().subscribe();
    t.http.expectOne('/api/auth/logout').flush(null, noContent); // the master is back, its refresh still on its way

    record(t.jwt.freshJwt());

    const mastersRefreshes = t.http.match('/api/auth/refresh');
    expect(mastersRefreshes.length).toBe(1);
    for (const request of mastersRefreshes) request.flush(authResponse(admin, t.clock));
  });
  // Seed 7, shrunk: login(admin), answer, loginAs, answer, login(admin), logout(), answer the login,
  // tick(1805 s), logout(), withFreshJwt, loginAs → withFreshJwt gave the expired token of the login
  // that waited for the logout: it read the current session when its token came, not the token.
  it('gives withFreshJwt a fresh token of the session current when it is called back, never an expired one', () => {
    const t = setUp();
    logIn(t, admin);
    t.jwt.loginAs('u-viewer').subscribe();
    t.http.expectOne('/api/auth/login-as').flush(authResponse(viewer, t.clock, { actingUser: admin }));
    t.jwt.login({ login: 'admin', password: 'admin-pass' }).subscribe();
    const loginCall = t.http.expectOne('/api/auth/login');
    t.jwt.logout().subscribe({ error: () => undefined });
    const firstLogout = t.http.expectOne('/api/auth/logout');
    loginCall.flush(authResponse(admin, t.clock));
    t.clock.tick(1805 * 1000);
    t.jwt.logout().subscribe({ error: () => undefined });
    const given: (string | undefined)[] = [];
    t.jwt.withFreshJwt((jwt) => given.push(jwt?.accessToken?.token));

    firstLogout.flush(null, noContent);
    for (let round = 0; round < 5; round++) {
      for (const call of t.http.match(() => true)) {
        call.flush(call.request.url.endsWith('/refresh') ? authResponse(admin, t.clock) : null, call.request.url.endsWith('/logout') ? noContent : {});
      }
    }

    expect(given.length).toBe(1);
    expect(given[0]).toBe(t.jwt.accessToken ?? 'none');
    expect(t.jwt.accessTokenExpiresAt ?? 0).toBeGreaterThan(t.clock.now());
  });
});

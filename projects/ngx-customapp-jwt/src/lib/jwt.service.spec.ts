import { HttpTestingController } from '@angular/common/http/testing';
import { InjectionToken, inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import {
  InvalidAuthResponseError,
  JWT_LOGGER,
  JwtConfigError,
  LoginAsCalledWhenUnauthorized,
  LoginThrottledError,
  MemoryJwtStorage,
  NoFreshJwtError,
} from '../public-api';
import { HttpJwtApi } from '../spec-support/http-jwt-api';
import { admin, authResponse, flushError, logIn, manager, record, setUp, viewer } from '../spec-support/set-up';

describe('JwtService', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  describe('freshJwt()', () => {
    it('gives the current access token without a request while it is far from expiry', () => {
      const t = setUp();
      const login = logIn(t);
      t.clock.tick((900 - 31) * 1000);

      const result = record(t.jwt.freshJwt());

      expect(result.values).toEqual([login.accessToken]);
      expect(result.completed).toBeTrue();
    });

    it('refreshes first when the access token expires within the 30 s skew', () => {
      const t = setUp();
      const login = logIn(t);
      t.clock.tick((900 - 29) * 1000);

      const result = record(t.jwt.freshJwt());
      const request = t.http.expectOne('/api/auth/refresh');
      expect(request.request.body).toEqual({ refreshToken: login.refreshToken });
      const refreshed = authResponse(admin, t.clock);
      request.flush(refreshed);

      expect(result.values).toEqual([refreshed.accessToken]);
      expect(result.completed).toBeTrue();
      expect(t.jwt.accessToken).toBe(refreshed.accessToken);
    });

    it('honours a configured skew', () => {
      const t = setUp({ config: { skewSeconds: 120 } });
      logIn(t);
      t.clock.tick((900 - 119) * 1000);

      record(t.jwt.freshJwt());

      t.http.expectOne('/api/auth/refresh').flush(authResponse(admin, t.clock));
    });

    it('refreshes a token far from expiry when a server rejected exactly that token, once for all callers', () => {
      const t = setUp();
      const login = logIn(t);

      const results = [record(t.jwt.freshJwt({ rejectedToken: login.accessToken })), record(t.jwt.freshJwt({ rejectedToken: login.accessToken }))];
      const requests = t.http.match('/api/auth/refresh');
      expect(requests.length).toBe(1);
      const refreshed = authResponse(admin, t.clock);
      requests[0].flush(refreshed);

      expect(results.map((r) => r.values)).toEqual([[refreshed.accessToken], [refreshed.accessToken]]);
      // a socket that reports the old token late gets the new one without another refresh
      expect(record(t.jwt.freshJwt({ rejectedToken: login.accessToken })).values).toEqual([refreshed.accessToken]);
    });

    it('makes exactly one refresh call for ten concurrent callers and gives them all its token', () => {
      const t = setUp();
      logIn(t);
      t.clock.tick(900 * 1000);

      const results = Array.from({ length: 10 }, () => record(t.jwt.freshJwt()));
      const requests = t.http.match('/api/auth/refresh');
      expect(requests.length).toBe(1);
      const refreshed = authResponse(admin, t.clock);
      requests[0].flush(refreshed);

      for (const result of results) {
        expect(result.values).toEqual([refreshed.accessToken]);
        expect(result.completed).toBeTrue();
      }
    });

    it('keeps the refresh going when its first caller unsubscribes, for the callers still waiting', () => {
      const t = setUp();
      logIn(t);
      t.clock.tick(900 * 1000);

      const first = t.jwt.freshJwt().subscribe();
      const second = record(t.jwt.freshJwt());
      first.unsubscribe();
      const refreshed = authResponse(admin, t.clock);
      t.http.expectOne('/api/auth/refresh').flush(refreshed);

      expect(second.values).toEqual([refreshed.accessToken]);
    });

    it('refreshes again at the next expiry once a refresh has finished', () => {
      const t = setUp();
      logIn(t);
      t.clock.tick(900 * 1000);
      record(t.jwt.freshJwt());
      t.http.expectOne('/api/auth/refresh').flush(authResponse(admin, t.clock));
      t.clock.tick(900 * 1000);

      record(t.jwt.freshJwt());

      t.http.expectOne('/api/auth/refresh').flush(authResponse(admin, t.clock));
    });

    it('keeps the user when the refresh answer carries none', () => {
      const t = setUp();
      logIn(t, manager);
      t.clock.tick(900 * 1000);

      record(t.jwt.freshJwt());
      const { user: _user, ...withoutUser } = authResponse(manager, t.clock);
      t.http.expectOne('/api/auth/refresh').flush(withoutUser);

      expect(t.jwt.user()).toEqual(manager);
    });

    it('ends the session, calls the hook once and errors every caller with NoFreshJwtError when the refresh fails', () => {
      const HOOKED = new InjectionToken<string>('hooked', { providedIn: 'root', factory: () => 'from the injector' });
      const hook = jasmine.createSpy('onNoFreshJwt');
      const t = setUp({ config: { onNoFreshJwt: (error) => hook(error, inject(HOOKED)) } });
      logIn(t);
      t.clock.tick(900 * 1000);
      const ended = record(t.jwt.sessionEnded$);

      const results = [record(t.jwt.freshJwt()), record(t.jwt.freshJwt())];
      flushError(t.http.expectOne('/api/auth/refresh'), 401, 'TOKEN_REVOKED', 'The session was logged out.');

      for (const result of results) {
        expect(result.error).toBeInstanceOf(NoFreshJwtError);
        expect((result.error as NoFreshJwtError).reason).toBe('refresh-failed');
        expect((result.error as NoFreshJwtError).message).toContain('The session was logged out.');
      }
      expect(hook).toHaveBeenCalledOnceWith(results[0].error, 'from the injector');
      expect(ended.values.length).toBe(1);
      expect(t.jwt.isLoggedIn).toBeFalse();
      expect(t.jwt.user()).toBeNull();
      expect(t.storage.getItem('ngx-customapp-jwt')).toBeNull();
    });

    it('logs a hook that throws instead of letting it break the callers', () => {
      const logger = jasmine.createSpyObj('logger', ['debug', 'warn', 'error']);
      const t = setUp({
        config: { onNoFreshJwt: () => { throw new Error('navigation failed'); } },
        providers: [{ provide: JWT_LOGGER, useValue: logger }],
      });
      logIn(t);
      t.clock.tick(900 * 1000);

      const result = record(t.jwt.freshJwt());
      flushError(t.http.expectOne('/api/auth/refresh'), 401, 'TOKEN_REVOKED', 'Revoked.');

      expect(result.error).toBeInstanceOf(NoFreshJwtError);
      expect(logger.error).toHaveBeenCalledWith('The onNoFreshJwt hook threw.', jasmine.any(Error));
    });

    it('ends the session without a request when the refresh token itself has expired', () => {
      const hook = jasmine.createSpy('onNoFreshJwt');
      const t = setUp({ config: { onNoFreshJwt: hook } });
      logIn(t, admin, { refreshTtl: 3600 });
      t.clock.tick(3600 * 1000);

      const result = record(t.jwt.freshJwt());

      expect((result.error as NoFreshJwtError).reason).toBe('session-expired');
      expect(hook).toHaveBeenCalledTimes(1);
      expect(t.jwt.isLoggedIn).toBeFalse();
    });

    it('errors with reason not-logged-in, and leaves the hook alone, when nobody is logged in', () => {
      const hook = jasmine.createSpy('onNoFreshJwt');
      const t = setUp({ config: { onNoFreshJwt: hook } });

      const result = record(t.jwt.freshJwt());

      expect((result.error as NoFreshJwtError).reason).toBe('not-logged-in');
      expect(hook).not.toHaveBeenCalled();
    });

    it('uses the expiresAt of the response for an opaque access token', () => {
      const t = setUp();
      const now = Math.floor(t.clock.now() / 1000);
      t.jwt.login({ login: 'admin', password: 'admin-pass' }).subscribe();
      t.http.expectOne('/api/auth/login').flush({ accessToken: 'opaque-a', refreshToken: 'opaque-r', expiresAt: now + 60, user: admin });

      expect(record(t.jwt.freshJwt()).values).toEqual(['opaque-a']);
      t.clock.tick(31 * 1000);
      record(t.jwt.freshJwt());
      t.http.expectOne('/api/auth/refresh').flush({ accessToken: 'opaque-b', refreshToken: 'opaque-r2', expiresAt: now + 3600, user: admin });
      expect(t.jwt.accessToken).toBe('opaque-b');
    });
  });

  describe('login()', () => {
    it('keeps the tokens and user and writes them to storage', () => {
      const t = setUp();
      const login = logIn(t, viewer);

      expect(t.jwt.user()).toEqual(viewer);
      expect(t.jwt.accessToken).toBe(login.accessToken);
      const stored = JSON.parse(t.storage.getItem('ngx-customapp-jwt') ?? 'null');
      expect(stored).toEqual({
        v: 1,
        tokens: { accessToken: login.accessToken, refreshToken: login.refreshToken, expiresAt: login.expiresAt },
        user: viewer,
        stack: [],
      });
    });

    it('fails with a readable InvalidAuthResponseError when the answer has no tokens', () => {
      const t = setUp();

      const result = record(t.jwt.login({ login: 'admin', password: 'admin-pass' }));
      t.http.expectOne('/api/auth/login').flush({ token: 'x' });

      expect(result.error).toBeInstanceOf(InvalidAuthResponseError);
      expect((result.error as Error).message).toContain('tokensFromResponse');
      expect(t.jwt.isLoggedIn).toBeFalse();
    });

    it('fails with LoginThrottledError, carrying Retry-After, when the server answers 429', () => {
      const t = setUp();
      logIn(t, viewer);

      const result = record(t.jwt.login({ login: 'admin', password: 'guess' }));
      t.http.expectOne('/api/auth/login').flush(
        { error: { code: 'TOO_MANY_REQUESTS', message: 'Too many failed sign-ins; try again in 30 s.' } },
        { status: 429, statusText: 'Too Many Requests', headers: { 'Retry-After': '30' } },
      );

      expect(result.error).toBeInstanceOf(LoginThrottledError);
      expect((result.error as LoginThrottledError).retryAfterSeconds).toBe(30);
      expect((result.error as LoginThrottledError).message).toBe('Too many failed sign-ins; try again in 30 s.');
      expect(t.jwt.user()).toEqual(viewer);
    });

    it('reads tokens and user with the configured functions', () => {
      const t = setUp({
        config: {
          tokensFromResponse: (r) => ({ accessToken: r.refreshToken, refreshToken: r.accessToken }),
          userFromResponse: (r) => ({ ...r.user, name: r.user.name.toUpperCase() }),
        },
      });
      const login = logIn(t, manager);

      expect(t.jwt.accessToken).toBe(login.refreshToken);
      expect(t.jwt.user()?.name).toBe('MAX MANAGER');
    });
  });

  describe('login-as and logout', () => {
    it('restores the master user and tokens when the login-as ends', () => {
      const t = setUp();
      const master = logIn(t, admin);

      const loginAs = record(t.jwt.loginAs('u-viewer'));
      const request = t.http.expectOne('/api/auth/login-as');
      expect(request.request.headers.get('Authorization')).toBe(`Bearer ${master.accessToken}`);
      expect(request.request.body).toEqual({ userId: 'u-viewer' });
      const acting = authResponse(viewer, t.clock, { actingUser: admin });
      request.flush(acting);
      expect(loginAs.values).toEqual([acting]);
      expect(t.jwt.user()).toEqual(viewer);
      expect(t.jwt.accessToken).toBe(acting.accessToken);
      expect(t.jwt.loginAsDepth).toBe(1);
      expect(t.jwt.stashedUsers).toEqual([admin]);

      const logout = record(t.jwt.logout());
      const logoutRequest = t.http.expectOne('/api/auth/logout');
      expect(logoutRequest.request.headers.get('Authorization')).toBe(`Bearer ${acting.accessToken}`);
      logoutRequest.flush(null, { status: 204, statusText: 'No Content' });

      expect(logout.values).toEqual([undefined]);
      expect(logout.completed).toBeTrue();
      expect(t.jwt.user()).toEqual(admin);
      expect(t.jwt.accessToken).toBe(master.accessToken);
      expect(t.jwt.loginAsDepth).toBe(0);
    });

    it('refreshes the master token before using it for login-as', () => {
      const t = setUp();
      logIn(t, admin);
      t.clock.tick(900 * 1000);

      record(t.jwt.loginAs('u-viewer'));
      const refreshed = authResponse(admin, t.clock);
      t.http.expectOne('/api/auth/refresh').flush(refreshed);
      const request = t.http.expectOne('/api/auth/login-as');

      expect(request.request.headers.get('Authorization')).toBe(`Bearer ${refreshed.accessToken}`);
      request.flush(authResponse(viewer, t.clock, { actingUser: admin }));
    });

    it('refreshes and tries the login-as once more when the server refuses the master token as expired', () => {
      const t = setUp();
      const master = logIn(t, admin);

      const loginAs = record(t.jwt.loginAs('u-viewer'));
      flushError(t.http.expectOne('/api/auth/login-as'), 401, 'TOKEN_EXPIRED', 'The access token has expired: refresh it.');
      const refreshed = authResponse(admin, t.clock);
      const refresh = t.http.expectOne('/api/auth/refresh');
      expect(refresh.request.body).toEqual({ refreshToken: master.refreshToken });
      refresh.flush(refreshed);
      const retry = t.http.expectOne('/api/auth/login-as');
      expect(retry.request.headers.get('Authorization')).toBe(`Bearer ${refreshed.accessToken}`);
      const acting = authResponse(viewer, t.clock, { actingUser: admin });
      retry.flush(acting);

      expect(loginAs.values).toEqual([acting]);
      expect(t.jwt.user()).toEqual(viewer);
      expect(t.jwt.stashedUsers).toEqual([admin]);
    });

    it('refreshes and tries the logout once more when the server refuses the token as expired, so the session ends there too', () => {
      const t = setUp();
      logIn(t);

      const result = record(t.jwt.logout());
      flushError(t.http.expectOne('/api/auth/logout'), 401, 'TOKEN_EXPIRED', 'The access token has expired: refresh it.');
      const refreshed = authResponse(admin, t.clock);
      t.http.expectOne('/api/auth/refresh').flush(refreshed);
      const retry = t.http.expectOne('/api/auth/logout');
      expect(retry.request.headers.get('Authorization')).toBe(`Bearer ${refreshed.accessToken}`);
      retry.flush(null, { status: 204, statusText: 'No Content' });

      expect(result.values).toEqual([undefined]);
      expect(t.jwt.isLoggedIn).toBeFalse();
    });

    it('passes fromAllDevices to the server', () => {
      const t = setUp();
      logIn(t);

      const result = record(t.jwt.logout(true));
      const request = t.http.expectOne('/api/auth/logout');
      expect(request.request.body).toEqual({ fromAllDevices: true });
      request.flush(null, { status: 204, statusText: 'No Content' });

      expect(result.values).toEqual([undefined]);
      expect(t.jwt.isLoggedIn).toBeFalse();
      expect(t.storage.getItem('ngx-customapp-jwt')).toBeNull();
    });

    it('ends the session without calling the server when told the server ended it already (localOnly)', () => {
      const t = setUp();
      logIn(t);

      const result = record(t.jwt.logout(false, { localOnly: true }));

      t.http.expectNone('/api/auth/logout');
      expect(result.values).toEqual([undefined]);
      expect(t.jwt.isLoggedIn).toBeFalse();
      expect(t.storage.getItem('ngx-customapp-jwt')).toBeNull();
    });

    it('logs out here too when the server says the token is no longer valid (401)', () => {
      const t = setUp();
      logIn(t);

      const result = record(t.jwt.logout());
      flushError(t.http.expectOne('/api/auth/logout'), 401, 'TOKEN_REVOKED', 'Already logged out.');

      expect(result.values).toEqual([undefined]);
      expect(t.jwt.isLoggedIn).toBeFalse();
    });

    /** Answers without tokens keep the session's own, as with a 1.2.x `authResponseToJwt` that gives none. */
    const tokensOptional = {
      tokensFromResponse: ((response: { accessToken?: string; refreshToken?: string }) =>
        response.accessToken && response.refreshToken ? { accessToken: response.accessToken, refreshToken: response.refreshToken } : null) as never,
    };

    /** Signed in as admin, a logout sent, then a login of viewer sent and answered before the logout. */
    function switchingUserLoginAnsweredFirst() {
      const t = setUp();
      logIn(t, admin);
      const logout = record(t.jwt.logout());
      const logoutCall = t.http.expectOne('/api/auth/logout');
      const login = record(t.jwt.login({ login: 'viewer', password: 'viewer-pass' }));
      const answer = authResponse(viewer, t.clock);
      t.http.expectOne('/api/auth/login').flush(answer);
      return { t, logout, logoutCall, login, answer };
    }

    it('applies a login answered while the logout call was on its way after the logout: the login is the last word', () => {
      const { t, logout, logoutCall, login, answer } = switchingUserLoginAnsweredFirst();
      // Not applied yet: the session the logout was called for must end first, not the new one.
      expect(login.values).toEqual([]);
      expect(t.jwt.user()).toEqual(admin);
      logoutCall.flush(null, { status: 204, statusText: 'No Content' });

      expect(logout.values).toEqual([undefined]);
      expect(login.values).toEqual([answer]);
      expect(t.jwt.isLoggedIn).toBeTrue();
      expect(t.jwt.user()).toEqual(viewer);
      expect(t.jwt.accessToken).toBe(answer.accessToken);
    });

    it('applies such a login once the logout failed, too, and keeps no trace of the old session', () => {
      const { t, logout, logoutCall, login, answer } = switchingUserLoginAnsweredFirst();
      flushError(logoutCall, 500, 'INTERNAL', 'Try again later.');

      expect(t.jwt.errorMessage(logout.error)).toBe('Try again later.');
      expect(login.values).toEqual([answer]);
      expect(t.jwt.user()).toEqual(viewer);
      expect(t.jwt.stashedUsers).toEqual([]);
    });

    it('fails a login-as answered while the logout of its master was on its way, once the logout ended the session', () => {
      const t = setUp();
      logIn(t, admin);
      const logout = record(t.jwt.logout());
      const logoutCall = t.http.expectOne('/api/auth/logout');
      const loginAs = record(t.jwt.loginAs('u-viewer'));
      t.http.expectOne('/api/auth/login-as').flush(authResponse(viewer, t.clock));
      // Not applied yet: the logout decides which session it builds on.
      expect(t.jwt.user()).toEqual(admin);
      expect(t.jwt.loginAsDepth).toBe(0);

      logoutCall.flush(null, { status: 204, statusText: 'No Content' });

      expect(logout.values).toEqual([undefined]);
      expect(loginAs.error).toBeInstanceOf(LoginAsCalledWhenUnauthorized);
      expect(t.jwt.isLoggedIn).toBeFalse();
      expect(t.jwt.stashedUsers).toEqual([]);
    });

    it('applies a login-as answered while a failing logout was on its way, on the session the logout kept', () => {
      const t = setUp();
      const master = logIn(t, admin);
      const logout = record(t.jwt.logout());
      const logoutCall = t.http.expectOne('/api/auth/logout');
      const loginAs = record(t.jwt.loginAs('u-viewer'));
      const answer = authResponse(viewer, t.clock);
      t.http.expectOne('/api/auth/login-as').flush(answer);
      expect(loginAs.values).toEqual([]);
      expect(t.jwt.user()).toEqual(admin);

      flushError(logoutCall, 500, 'INTERNAL', 'Try again later.');

      expect(t.jwt.errorMessage(logout.error)).toBe('Try again later.');
      expect(loginAs.values).toEqual([answer]);
      expect(t.jwt.user()).toEqual(viewer);
      expect(t.jwt.stashedUsers).toEqual([admin]);
      t.jwt.logout().subscribe();
      t.http.expectOne('/api/auth/logout').flush(null, { status: 204, statusText: 'No Content' });
      expect(t.jwt.accessToken).toBe(master.accessToken);
    });

    it('applies a login again with credentials answered while the logout call was on its way after the logout', () => {
      const t = setUp();
      logIn(t, admin);
      const logout = record(t.jwt.logout());
      const logoutCall = t.http.expectOne('/api/auth/logout');
      const loginAgain = record(t.jwt.loginAgain({ login: 'viewer', password: 'viewer-pass' }));
      const answer = authResponse(viewer, t.clock);
      t.http.expectOne('/api/auth/login').flush(answer);
      expect(t.jwt.user()).toEqual(admin);

      logoutCall.flush(null, { status: 204, statusText: 'No Content' });

      expect(logout.values).toEqual([undefined]);
      expect(loginAgain.values).toEqual([{ user: viewer, response: answer }]);
      expect(t.jwt.user()).toEqual(viewer);
      expect(t.jwt.accessToken).toBe(answer.accessToken);
    });

    it('fails a token-less login answer with NoFreshJwtError when the logout on its way ended the session whose tokens it would keep', () => {
      const t = setUp({ config: tokensOptional });
      logIn(t, admin);
      const logout = record(t.jwt.logout());
      const logoutCall = t.http.expectOne('/api/auth/logout');
      const login = record(t.jwt.login({ login: 'viewer', password: 'viewer-pass' }));
      t.http.expectOne('/api/auth/login').flush({ user: viewer });

      logoutCall.flush(null, { status: 204, statusText: 'No Content' });

      expect(logout.values).toEqual([undefined]);
      expect(login.error).toBeInstanceOf(NoFreshJwtError);
      expect(t.jwt.isLoggedIn).toBeFalse();
    });

    it('does not give the tokens of the master to a token-less login-again answer that came while the logout of a login-as was on its way', () => {
      const t = setUp({ config: tokensOptional });
      const master = logIn(t, admin);
      t.jwt.loginAs('u-viewer').subscribe();
      t.http.expectOne('/api/auth/login-as').flush(authResponse(viewer, t.clock));
      const logout = record(t.jwt.logout());
      const logoutCall = t.http.expectOne('/api/auth/logout');
      const again = record(t.jwt.loginAgain({ login: 'viewer', password: 'viewer-pass' }));
      t.http.expectOne('/api/auth/login').flush({ user: viewer });

      logoutCall.flush(null, { status: 204, statusText: 'No Content' });

      expect(logout.values).toEqual([undefined]);
      expect(again.error).toBeInstanceOf(NoFreshJwtError);
      expect(t.jwt.user()).toEqual(admin);
      expect(t.jwt.accessToken).toBe(master.accessToken);
      expect(t.jwt.stashedUsers).toEqual([]);
    });

    it('keeps the session when the server fails the logout otherwise, so it can be retried', () => {
      const t = setUp();
      logIn(t);

      const result = record(t.jwt.logout());
      flushError(t.http.expectOne('/api/auth/logout'), 500, 'INTERNAL', 'Try again later.');

      expect(t.jwt.errorMessage(result.error)).toBe('Try again later.');
      expect(t.jwt.isLoggedIn).toBeTrue();
    });

    it('succeeds at once when logging out while logged out', () => {
      const t = setUp();

      const result = record(t.jwt.logout());

      expect(result.values).toEqual([undefined]);
      expect(result.completed).toBeTrue();
    });

    it('keeps the master logged in when the login-as is refused', () => {
      const t = setUp();
      logIn(t, manager);

      const result = record(t.jwt.loginAs('u-viewer'));
      flushError(t.http.expectOne('/api/auth/login-as'), 403, 'FORBIDDEN', 'Only an admin may log in as another user.');

      expect(t.jwt.errorMessage(result.error)).toBe('Only an admin may log in as another user.');
      expect(t.jwt.user()).toEqual(manager);
      expect(t.jwt.loginAsDepth).toBe(0);
    });

    it('fails login-as with JwtConfigError when the JwtApi has no loginAs', () => {
      const t = setUp();
      logIn(t);
      Object.defineProperty(TestBed.inject(HttpJwtApi), 'loginAs', { value: undefined });

      const result = record(t.jwt.loginAs('u-viewer'));

      expect(result.error).toBeInstanceOf(JwtConfigError);
    });
  });

  describe('storage', () => {
    const key = 'ngx-customapp-jwt';

    it('restores a stored session with its login-as stack', () => {
      const first = setUp();
      logIn(first, admin);
      record(first.jwt.loginAs('u-manager'));
      first.http.expectOne('/api/auth/login-as').flush(authResponse(manager, first.clock, { actingUser: admin }));
      const raw = first.storage.getItem(key);
      TestBed.resetTestingModule();

      const storage = new MemoryJwtStorage();
      storage.setItem(key, raw ?? '');
      const second = setUp({ storage });

      expect(second.jwt.user()).toEqual(manager);
      expect(second.jwt.stashedUsers).toEqual([admin]);
    });

    for (const [what, raw] of [
      ['text that is not JSON', '{not json'],
      ['JSON of another shape', JSON.stringify({ token: 'abc' })],
      ['another version', JSON.stringify({ v: 2, tokens: { accessToken: 'a', refreshToken: 'r' }, user: {}, stack: [] })],
      ['tokens that are not strings', JSON.stringify({ v: 1, tokens: { accessToken: 1, refreshToken: 'r' }, user: {}, stack: [] })],
      ['a broken stack entry', JSON.stringify({ v: 1, tokens: { accessToken: 'a', refreshToken: 'r' }, user: {}, stack: [{}] })],
      ['a JSON string', JSON.stringify('hello')],
    ]) {
      it(`discards and removes ${what} without throwing`, () => {
        const storage = new MemoryJwtStorage();
        storage.setItem(key, raw);

        const t = setUp({ storage });

        expect(t.jwt.isLoggedIn).toBeFalse();
        expect(storage.getItem(key)).toBeNull();
      });
    }

    it('discards a stored user the app no longer accepts', () => {
      const storage = new MemoryJwtStorage();
      storage.setItem(key, JSON.stringify({ v: 1, tokens: { accessToken: 'a', refreshToken: 'r' }, user: { legacy: true }, stack: [] }));

      const t = setUp({ storage, config: { isUserInfo: (value) => typeof (value as { id?: unknown }).id === 'string' } });

      expect(t.jwt.isLoggedIn).toBeFalse();
      expect(storage.getItem(key)).toBeNull();
    });

    it('works on when the storage throws on every call', () => {
      const storage = new MemoryJwtStorage();
      for (const method of ['getItem', 'setItem', 'removeItem'] as const) {
        spyOn(storage, method).and.throwError(new DOMException('denied', 'SecurityError'));
      }

      const t = setUp({ storage });
      logIn(t);

      expect(t.jwt.user()).toEqual(admin);
    });
  });
});

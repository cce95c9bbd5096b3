import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { FakeJwtUser } from 'ngx-customapp-jwt/testing';
import { JWT_SELECTORS, type JwtState, MemoryJwtStorage } from '../public-api';
import { actions, admin, authResponse, flushError, logIn, manager, setUp, viewer, type SetUp } from '../spec-support/set-up';

function types(t: SetUp): string[] {
  return t.dispatched.map(({ type }) => type.replace('[ngx-customapp-jwt] ', ''));
}

function state(t: SetUp): JwtState<FakeJwtUser> {
  return t.store.selectSignal(TestBed.inject(JWT_SELECTORS).selectJwtState)() as JwtState<FakeJwtUser>;
}

describe('the jwt effects', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('answers login with setUser then loginSucceed carrying the response and user', () => {
    const t = setUp();
    const response = authResponse(viewer, t.clock);

    t.store.dispatch(actions.login({ credentials: { login: 'viewer', password: 'viewer-pass' } }));
    const request = t.http.expectOne('/api/auth/login');
    expect(request.request.body).toEqual({ login: 'viewer', password: 'viewer-pass' });
    request.flush(response);

    expect(types(t)).toEqual(['login', 'set user', 'login succeed']);
    expect(t.dispatched[2]).toEqual(actions.loginSucceed({ response: response, user: viewer }));
    expect(state(t).user).toEqual(viewer);
    expect(state(t).loginInProcess).toBeFalse();
  });

  it("answers a refused login with loginErrored carrying the server's message", () => {
    const t = setUp();

    t.store.dispatch(actions.login({ credentials: { login: 'viewer', password: 'nope' } }));
    flushError(t.http.expectOne('/api/auth/login'), 401, 'INVALID_CREDENTIALS', 'Wrong login or password.');

    expect(t.dispatched.at(-1)).toEqual(actions.loginErrored({ error: 'Wrong login or password.' }));
    expect(state(t).error).toBe('Wrong login or password.');
  });

  it('answers a login throttled with 429 with loginErrored saying how long to wait', () => {
    const t = setUp();

    t.store.dispatch(actions.login({ credentials: { login: 'viewer', password: 'nope' } }));
    t.http.expectOne('/api/auth/login').flush(
      { error: { code: 'TOO_MANY_REQUESTS', message: 'Too many failed sign-ins; try again in 42 s.' } },
      { status: 429, statusText: 'Too Many Requests', headers: { 'Retry-After': '42' } },
    );

    expect(t.dispatched.at(-1)).toEqual(actions.loginErrored({ error: 'Too many failed sign-ins; try again in 42 s.' }));
    expect(state(t).error).toBe('Too many failed sign-ins; try again in 42 s.');
    expect(state(t).loginInProcess).toBeFalse();
  });

  it('uses a configured errorMessage for the errored actions', () => {
    const t = setUp({ config: { errorMessage: () => 'Something went wrong.' } });

    t.store.dispatch(actions.login({ credentials: { login: 'viewer', password: 'nope' } }));
    flushError(t.http.expectOne('/api/auth/login'), 401, 'INVALID_CREDENTIALS', 'Wrong login or password.');

    expect(t.dispatched.at(-1)).toEqual(actions.loginErrored({ error: 'Something went wrong.' }));
  });

  it('ignores a second login while the first is under way', () => {
    const t = setUp();

    t.store.dispatch(actions.login({ credentials: { login: 'viewer', password: 'viewer-pass' } }));
    t.store.dispatch(actions.login({ credentials: { login: 'viewer', password: 'viewer-pass' } }));

    t.http.expectOne('/api/auth/login').flush(authResponse(viewer, t.clock));
  });

  it('logs in again from storage, refreshing the expired token and restoring the login-as stack', () => {
    const first = setUp();
    logIn(first, admin);
    first.jwt.loginAs('u-manager').subscribe();
    first.http.expectOne('/api/auth/login-as').flush(authResponse(manager, first.clock, { actingUser: admin }));
    const raw = first.storage.getItem('ngx-customapp-jwt') ?? '';
    TestBed.resetTestingModule();
    const storage = new MemoryJwtStorage();
    storage.setItem('ngx-customapp-jwt', raw);
    const t = setUp({ storage });
    t.clock.tick(3600 * 1000);

    t.store.dispatch(actions.loginAgain());
    t.http.expectOne('/api/auth/refresh').flush(authResponse(manager, t.clock));

    expect(types(t)).toEqual(['login again', 'set user', 'login again succeed']);
    expect(t.dispatched[1]).toEqual(actions.setUser({ user: manager, stashedUsers: [admin] }));
    expect(state(t).userStash).toEqual([admin]);
  });

  it('answers loginAgain without a stored session with loginAgainErrored', () => {
    const t = setUp();

    t.store.dispatch(actions.loginAgain());

    expect(t.dispatched.at(-1)).toEqual(
      actions.loginAgainErrored({ error: 'There is no stored session to log in again with: log in.' }),
    );
  });

  it('stashes the master on loginAs and restores it on logout, saying so in logoutSucceed', () => {
    const t = setUp();
    logIn(t, admin);
    t.store.dispatch(actions.setUser({ user: admin }));
    t.dispatched.length = 0;
    const acting = authResponse(viewer, t.clock, { actingUser: admin });

    t.store.dispatch(actions.loginAs({ userId: 'u-viewer' }));
    t.http.expectOne('/api/auth/login-as').flush(acting);
    expect(types(t)).toEqual(['login as', 'stash user', 'set user', 'login as succeed']);
    expect(t.dispatched[3]).toEqual(actions.loginAsSucceed({ response: acting, user: viewer }));
    expect(state(t).user).toEqual(viewer);
    expect(state(t).userStash).toEqual([admin]);

    t.dispatched.length = 0;
    t.store.dispatch(actions.logout());
    t.http.expectOne('/api/auth/logout').flush(null, { status: 204, statusText: 'No Content' });
    expect(types(t)).toEqual(['logout', 'set user', 'unstash user', 'logout succeed']);
    expect(t.dispatched[1]).toEqual(actions.setUser({ user: admin }));
    expect(t.dispatched[3]).toEqual(actions.logoutSucceed({ fromAllDevices: false, restoredMaster: true }));
    expect(state(t).user).toEqual(admin);
    expect(state(t).userStash).toEqual([]);
    expect(t.jwt.user()).toEqual(admin);
  });

  it('passes fromAllDevices through to the server and to logoutSucceed on a full logout', () => {
    const t = setUp();
    logIn(t, admin);
    t.store.dispatch(actions.setUser({ user: admin }));
    t.dispatched.length = 0;

    t.store.dispatch(actions.logout({ fromAllDevices: true }));
    const request = t.http.expectOne('/api/auth/logout');
    expect(request.request.body).toEqual({ fromAllDevices: true });
    request.flush(null, { status: 204, statusText: 'No Content' });

    expect(types(t)).toEqual(['logout', 'set user', 'logout succeed']);
    expect(t.dispatched[2]).toEqual(actions.logoutSucceed({ fromAllDevices: true, restoredMaster: false }));
    expect(state(t).user).toBeUndefined();
    expect(t.jwt.isLoggedIn).toBeFalse();
  });

  it('answers a failed logout with logoutErrored and stays logged in', () => {
    const t = setUp();
    logIn(t, admin);
    t.store.dispatch(actions.setUser({ user: admin }));

    t.store.dispatch(actions.logout());
    flushError(t.http.expectOne('/api/auth/logout'), 503, 'UNAVAILABLE', 'The server is restarting.');

    expect(t.dispatched.at(-1)).toEqual(actions.logoutErrored({ error: 'The server is restarting.' }));
    expect(state(t).user).toEqual(admin);
    expect(state(t).logoutInProcess).toBeFalse();
  });

  it('turns a failed refresh into a logged-out state and one logoutSucceed, and runs the hook', () => {
    const hook = jasmine.createSpy('onNoFreshJwt');
    const t = setUp({ config: { onNoFreshJwt: hook } });
    logIn(t, admin);
    t.store.dispatch(actions.setUser({ user: admin }));
    t.dispatched.length = 0;
    t.clock.tick(900 * 1000);

    t.jwt.freshJwt().subscribe({ error: () => undefined });
    flushError(t.http.expectOne('/api/auth/refresh'), 401, 'REFRESH_INVALID', 'The refresh token is not valid.');

    expect(types(t)).toEqual(['set user', 'logout succeed']);
    expect(t.dispatched[1]).toEqual(actions.logoutSucceed({ fromAllDevices: false, restoredMaster: false }));
    expect(state(t).user).toBeUndefined();
    expect(hook).toHaveBeenCalledTimes(1);
  });

  it('ends with exactly one logoutSucceed when the logout itself finds the refresh failing', () => {
    const t = setUp();
    logIn(t, admin);
    t.store.dispatch(actions.setUser({ user: admin }));
    t.dispatched.length = 0;
    t.clock.tick(900 * 1000);

    t.store.dispatch(actions.logout());
    flushError(t.http.expectOne('/api/auth/refresh'), 401, 'TOKEN_REVOKED', 'The session was logged out.');

    expect(types(t)).toEqual(['logout', 'set user', 'logout succeed']);
    expect(state(t).logoutInProcess).toBeFalse();
    expect(state(t).user).toBeUndefined();
  });

  it('logs out without calling the server when the logout is local only', () => {
    const t = setUp();
    logIn(t, admin);
    t.store.dispatch(actions.setUser({ user: admin }));
    t.dispatched.length = 0;

    t.store.dispatch(actions.logout({ localOnly: true }));

    t.http.expectNone('/api/auth/logout');
    expect(types(t)).toEqual(['logout', 'set user', 'logout succeed']);
    expect(t.dispatched[2]).toEqual(actions.logoutSucceed({ fromAllDevices: false, restoredMaster: false }));
    expect(state(t).user).toBeUndefined();
  });
});

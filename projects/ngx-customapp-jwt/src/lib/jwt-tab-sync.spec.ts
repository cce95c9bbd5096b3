import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { FakeJwtAuthResponse, FakeJwtUser } from 'ngx-customapp-jwt/testing';
import { Subject } from 'rxjs';
import { JWT_SELECTORS, JWT_STORAGE, JWT_STORAGE_EVENTS, type JwtState, type JwtStorageChange, NoFreshJwtError } from '../public-api';
import { actions, admin, authResponse, flushError, manager, record, setUp, viewer, type SetUp } from '../spec-support/set-up';

const KEY = 'ngx-customapp-jwt';

/** The session as a tab of the app stores it: the master first, the current user last. */
function stored(...chain: FakeJwtAuthResponse[]): string {
  const session = ({ accessToken, refreshToken, expiresAt, user }: FakeJwtAuthResponse) => ({
    tokens: { accessToken, refreshToken, expiresAt },
    user,
  });
  const current = chain[chain.length - 1];
  return JSON.stringify({ v: 1, ...session(current), stack: chain.slice(0, -1).map(session) });
}

interface Tabs extends SetUp {
  /** Another tab writes `raw` (removes the session for `null`) to the shared storage. */
  otherTabWrites(raw: string | null, key?: string | null): void;
}

function setUpTabs(config: NonNullable<Parameters<typeof setUp>[0]>['config'] = {}): Tabs {
  const otherTab = new Subject<JwtStorageChange>();
  const t = setUp({ config, providers: [{ provide: JWT_STORAGE_EVENTS, useValue: otherTab }] });
  return {
    ...t,
    otherTabWrites: (raw, key = KEY) => {
      if (key !== null) {
        if (raw === null) t.storage.removeItem(key);
        else t.storage.setItem(key, raw);
      }
      otherTab.next({ key, newValue: raw });
    },
  };
}

function types(t: SetUp): string[] {
  return t.dispatched.map(({ type }) => type.replace('[ngx-customapp-jwt] ', ''));
}

function state(t: SetUp): JwtState<FakeJwtUser> {
  return t.store.selectSignal(TestBed.inject(JWT_SELECTORS).selectJwtState)() as JwtState<FakeJwtUser>;
}

/** Logs in through the store, so the store and the service agree; forgets the actions it took. */
function logIn(t: SetUp, user: FakeJwtUser): FakeJwtAuthResponse {
  const response = authResponse(user, t.clock);
  t.store.dispatch(actions.login({ credentials: { login: user.login, password: `${user.login}-pass` } }));
  t.http.expectOne('/api/auth/login').flush(response);
  t.dispatched.length = 0;
  return response;
}

function loginAs(t: SetUp, user: FakeJwtUser, actingUser: FakeJwtUser): FakeJwtAuthResponse {
  const response = authResponse(user, t.clock, { actingUser });
  t.store.dispatch(actions.loginAs({ userId: user.id }));
  t.http.expectOne('/api/auth/login-as').flush(response);
  t.dispatched.length = 0;
  return response;
}

describe('following the other tabs', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('logs out when another tab logged out: one logoutSucceed, no request, no hook', () => {
    const onNoFreshJwt = jasmine.createSpy('onNoFreshJwt');
    const t = setUpTabs({ onNoFreshJwt });
    logIn(t, admin);

    t.otherTabWrites(null);

    expect(types(t)).toEqual(['set user', 'logout succeed']);
    expect(t.dispatched[0]).toEqual(actions.setUser({ user: null, stashedUsers: [] }));
    expect(t.dispatched[1]).toEqual(actions.logoutSucceed({ fromAllDevices: false, restoredMaster: false }));
    expect(state(t).user).toBeUndefined();
    expect(t.jwt.isLoggedIn).toBeFalse();
    expect((record(t.jwt.freshJwt()).error as NoFreshJwtError).reason).toBe('not-logged-in');
    expect(onNoFreshJwt).not.toHaveBeenCalled();
  });

  it('follows a login-as started in another tab: setUser with the stack, then loginAgainSucceed', () => {
    const t = setUpTabs();
    const master = logIn(t, admin);
    const acting = authResponse(viewer, t.clock, { actingUser: admin });

    t.otherTabWrites(stored(master, acting));

    expect(types(t)).toEqual(['set user', 'login again succeed']);
    expect(t.dispatched[0]).toEqual(actions.setUser({ user: viewer, stashedUsers: [admin] }));
    expect(t.dispatched[1]).toEqual(actions.loginAgainSucceed({ response: undefined, user: viewer }));
    expect(state(t).user).toEqual(viewer);
    expect(state(t).userStash).toEqual([admin]);
    expect(t.jwt.loginAsDepth).toBe(1);
    expect(record(t.jwt.freshJwt()).values).toEqual([acting.accessToken]);
  });

  it('follows the end of a login-as in another tab: setUser, unstashUser, then logoutSucceed restoring the master', () => {
    const t = setUpTabs();
    const master = logIn(t, admin);
    loginAs(t, viewer, admin);

    t.otherTabWrites(stored(master));

    expect(types(t)).toEqual(['set user', 'unstash user', 'logout succeed']);
    expect(t.dispatched[2]).toEqual(actions.logoutSucceed({ fromAllDevices: false, restoredMaster: true }));
    expect(state(t).user).toEqual(admin);
    expect(state(t).userStash).toEqual([]);
    expect(t.jwt.accessToken).toBe(master.accessToken);
  });

  it('sets the whole stack when another tab ended two login-as levels at once', () => {
    const t = setUpTabs();
    const master = logIn(t, admin);
    loginAs(t, manager, admin);
    loginAs(t, viewer, manager);

    t.otherTabWrites(stored(master));

    expect(types(t)).toEqual(['set user', 'logout succeed']);
    expect(t.dispatched[0]).toEqual(actions.setUser({ user: admin, stashedUsers: [] }));
    expect(t.dispatched[1]).toEqual(actions.logoutSucceed({ fromAllDevices: false, restoredMaster: true }));
    expect(t.jwt.loginAsDepth).toBe(0);
  });

  it('follows another tab that logged in as someone else', () => {
    const t = setUpTabs();
    logIn(t, admin);
    const other = authResponse(manager, t.clock);

    t.otherTabWrites(stored(other));

    expect(types(t)).toEqual(['set user', 'login again succeed']);
    expect(t.dispatched[0]).toEqual(actions.setUser({ user: manager, stashedUsers: [] }));
    expect(state(t).user).toEqual(manager);
    expect(t.jwt.accessToken).toBe(other.accessToken);
  });

  it('follows another tab that logged in while nobody is logged in here', () => {
    const t = setUpTabs();
    const other = authResponse(viewer, t.clock);

    t.otherTabWrites(stored(other));

    expect(types(t)).toEqual(['set user', 'login again succeed']);
    expect(t.dispatched[1]).toEqual(actions.loginAgainSucceed({ response: undefined, user: viewer }));
    expect(t.jwt.user()).toEqual(viewer);
  });

  it('adopts the tokens another tab refreshed without an action, and does not refresh them again', () => {
    const t = setUpTabs();
    logIn(t, admin);
    const userBefore = t.jwt.user();
    t.clock.tick(900 * 1000);
    const refreshed = authResponse(admin, t.clock);
    t.storage.setItem(KEY, stored(refreshed));
    const setItem = spyOn(t.storage, 'setItem').and.callThrough();
    const removeItem = spyOn(t.storage, 'removeItem').and.callThrough();

    t.otherTabWrites(stored(refreshed));

    expect(t.dispatched).toEqual([]);
    expect(t.jwt.accessToken).toBe(refreshed.accessToken);
    expect(t.jwt.user()).toBe(userBefore);
    expect(record(t.jwt.freshJwt()).values).toEqual([refreshed.accessToken]);
    t.http.expectNone('/api/auth/refresh');
    // written once by the other tab (the helper), never echoed back by this one
    expect(setItem).toHaveBeenCalledTimes(1);
    expect(removeItem).not.toHaveBeenCalled();

    t.clock.tick(900 * 1000);
    record(t.jwt.freshJwt());
    const request = t.http.expectOne('/api/auth/refresh');
    expect(request.request.body).toEqual({ refreshToken: refreshed.refreshToken });
    request.flush(authResponse(admin, t.clock));
  });

  it("gives the callers of a refresh under way the other tab's token when that tab's refresh won", () => {
    const t = setUpTabs();
    logIn(t, admin);
    t.clock.tick(900 * 1000);

    const result = record(t.jwt.freshJwt());
    const request = t.http.expectOne('/api/auth/refresh');
    const refreshedThere = authResponse(admin, t.clock);
    t.otherTabWrites(stored(refreshedThere));
    flushError(request, 401, 'REFRESH_INVALID', 'The refresh token is not valid.');

    expect(result.values).toEqual([refreshedThere.accessToken]);
    expect(t.jwt.isLoggedIn).toBeTrue();
    expect(t.dispatched).toEqual([]);
  });

  // Regression (review): a session followed from another tab was another session to the calls made
  // before, so this logout failed with NoFreshJwtError and the user stayed signed in.
  it("logs out with the other tab's token when that tab's refresh won the race the logout's own refresh lost", () => {
    const t = setUpTabs();
    logIn(t, admin);
    t.clock.tick(900 * 1000);

    t.store.dispatch(actions.logout());
    const refresh = t.http.expectOne('/api/auth/refresh');
    const refreshedThere = authResponse(admin, t.clock);
    t.storage.setItem(KEY, stored(refreshedThere)); // its event comes later
    flushError(refresh, 401, 'REFRESH_INVALID', 'The refresh token is not valid.');
    const logout = t.http.expectOne('/api/auth/logout');
    expect(logout.request.headers.get('Authorization')).toBe(`Bearer ${refreshedThere.accessToken}`);
    logout.flush(null, { status: 204, statusText: 'No Content' });

    expect(types(t)).toEqual(['logout', 'set user', 'logout succeed']);
    expect(t.jwt.isLoggedIn).toBeFalse();
  });

  it('ends the session when its logout is answered after another tab refreshed it', () => {
    const t = setUpTabs();
    logIn(t, admin);

    t.store.dispatch(actions.logout());
    const logout = t.http.expectOne('/api/auth/logout');
    t.otherTabWrites(stored(authResponse(admin, t.clock)));
    logout.flush(null, { status: 204, statusText: 'No Content' });

    expect(types(t)).toEqual(['logout', 'set user', 'logout succeed']);
    expect(t.jwt.isLoggedIn).toBeFalse();
  });

  it("follows the other tab, instead of ending the session, when a refresh is refused before that tab's event arrives", () => {
    const onNoFreshJwt = jasmine.createSpy('onNoFreshJwt');
    const t = setUpTabs({ onNoFreshJwt });
    logIn(t, admin);
    t.clock.tick(900 * 1000);

    const result = record(t.jwt.freshJwt());
    const request = t.http.expectOne('/api/auth/refresh');
    const refreshedThere = authResponse(admin, t.clock);
    t.storage.setItem(KEY, stored(refreshedThere)); // the other tab won the race; its event comes later
    flushError(request, 401, 'REFRESH_INVALID', 'The refresh token is not valid.');

    expect(result.values).toEqual([refreshedThere.accessToken]);
    expect(t.storage.getItem(KEY)).toBe(stored(refreshedThere));
    expect(t.dispatched).toEqual([]);
    expect(onNoFreshJwt).not.toHaveBeenCalled();

    t.otherTabWrites(stored(refreshedThere));
    expect(t.dispatched).toEqual([]);
  });

  it("does not erase the session another tab logged in with when this tab's refresh is refused", () => {
    const t = setUpTabs();
    logIn(t, admin);
    t.clock.tick(900 * 1000);

    record(t.jwt.freshJwt());
    const request = t.http.expectOne('/api/auth/refresh');
    const managerThere = authResponse(manager, t.clock);
    t.storage.setItem(KEY, stored(managerThere));
    flushError(request, 401, 'TOKEN_REVOKED', 'The session was logged out.');

    expect(t.storage.getItem(KEY)).toBe(stored(managerThere));
    expect(types(t)).toEqual(['set user', 'login again succeed']);
    expect(t.jwt.user()).toEqual(manager);
  });

  it('still ends the session when its refresh is refused and no other tab moved on', () => {
    const onNoFreshJwt = jasmine.createSpy('onNoFreshJwt');
    const t = setUpTabs({ onNoFreshJwt });
    logIn(t, admin);
    t.clock.tick(900 * 1000);

    const result = record(t.jwt.freshJwt());
    flushError(t.http.expectOne('/api/auth/refresh'), 401, 'REFRESH_INVALID', 'The refresh token is not valid.');

    expect((result.error as NoFreshJwtError).reason).toBe('refresh-failed');
    expect(types(t)).toEqual(['set user', 'logout succeed']);
    expect(onNoFreshJwt).toHaveBeenCalledTimes(1);
    expect(t.storage.getItem(KEY)).toBeNull();
  });

  it('sets the user, and nothing more, when another tab read new data for the same person', () => {
    const t = setUpTabs();
    logIn(t, admin);
    const renamed = { ...admin, name: 'Ada the Admin' };

    t.otherTabWrites(stored({ ...authResponse(admin, t.clock), user: renamed }));

    expect(t.dispatched).toEqual([actions.setUser({ user: renamed, stashedUsers: [] })]);
    expect(t.jwt.user()).toEqual(renamed);
  });

  it('follows data it cannot read as a logout, without throwing, and leaves it where it is', () => {
    const t = setUpTabs();
    logIn(t, admin);

    expect(() => t.otherTabWrites('{not json')).not.toThrow();

    expect(types(t)).toEqual(['set user', 'logout succeed']);
    expect(t.jwt.isLoggedIn).toBeFalse();
    expect(t.storage.getItem(KEY)).toBe('{not json');

    t.dispatched.length = 0;
    t.otherTabWrites(JSON.stringify({ v: 2, anything: true }));
    expect(t.dispatched).toEqual([]);
  });

  it('follows a storage cleared in another tab as a logout', () => {
    const t = setUpTabs();
    logIn(t, admin);

    t.otherTabWrites(null, null);

    expect(types(t)).toEqual(['set user', 'logout succeed']);
  });

  it('ignores changes under other keys', () => {
    const t = setUpTabs();
    logIn(t, admin);

    t.otherTabWrites(null, 'another-app');
    t.otherTabWrites(stored(authResponse(manager, t.clock)), 'another-app');

    expect(t.dispatched).toEqual([]);
    expect(t.jwt.user()).toEqual(admin);
  });

  it('follows nothing with syncTabs: false', () => {
    const t = setUpTabs({ syncTabs: false });
    logIn(t, admin);

    t.otherTabWrites(null);
    t.otherTabWrites(stored(authResponse(manager, t.clock)));

    expect(t.dispatched).toEqual([]);
    expect(t.jwt.user()).toEqual(admin);
  });

  describe('with the default localStorage', () => {
    afterEach(() => localStorage.removeItem(KEY));

    it("follows the window's storage events for its key", () => {
      const t = setUp({ providers: [{ provide: JWT_STORAGE, useFactory: () => localStorage }] });
      logIn(t, admin);

      // what the browser fires in this tab when another one logs out
      window.dispatchEvent(new StorageEvent('storage', { key: KEY, oldValue: null, newValue: null, storageArea: localStorage }));

      expect(types(t)).toEqual(['set user', 'logout succeed']);
      expect(t.jwt.isLoggedIn).toBeFalse();
    });
  });
});

import type { FakeJwtAuthResponse, FakeJwtCredentials, FakeJwtUser } from 'ngx-customapp-jwt/testing';
import { JWT_FEATURE_KEY, type JwtState, createJwtActions, createJwtFeature } from '../public-api';

const actions = createJwtActions<FakeJwtCredentials, FakeJwtAuthResponse, FakeJwtUser, string>();
const feature = createJwtFeature(actions);
const admin: FakeJwtUser = { id: 'u-admin', login: 'admin', name: 'Ada Admin', role: 'ADMIN' };
const viewer: FakeJwtUser = { id: 'u-viewer', login: 'viewer', name: 'Vera Viewer', role: 'VIEWER' };

function reduce(...steps: Parameters<typeof feature.reducer>[1][]): JwtState<FakeJwtUser> {
  return steps.reduce((state, action) => feature.reducer(state, action), feature.reducer(undefined, { type: '@init' }));
}

function select<T>(selector: (state: object) => T, state: JwtState<FakeJwtUser>): T {
  return selector({ [JWT_FEATURE_KEY]: state });
}

describe('the jwt feature', () => {
  it('starts with nobody logged in and nothing in progress', () => {
    expect(reduce()).toEqual({
      user: undefined,
      userStash: [],
      loginInProcess: false,
      loginAgainInProcess: false,
      loginAsInProcess: false,
      logoutInProcess: false,
      error: null,
    });
    expect(select(feature.selectUser, reduce())).toBeNull();
  });

  const flows = [
    ['login', actions.login({ credentials: { login: 'a', password: 'b' } }), actions.loginSucceed({ response: {} as FakeJwtAuthResponse, user: admin }), actions.loginErrored({ error: 'Wrong password.' }), feature.selectLoginInProgress],
    ['loginAgain', actions.loginAgain(), actions.loginAgainSucceed({ response: {} as FakeJwtAuthResponse, user: admin }), actions.loginAgainErrored({ error: 'Wrong password.' }), feature.selectLoginAgainInProgress],
    ['loginAs', actions.loginAs({ userId: 'u-viewer' }), actions.loginAsSucceed({ response: {} as FakeJwtAuthResponse, user: viewer }), actions.loginAsErrored({ error: 'Wrong password.' }), feature.selectLoginAsInProgress],
    ['logout', actions.logout(), actions.logoutSucceed({ fromAllDevices: false, restoredMaster: false }), actions.logoutErrored({ error: 'Wrong password.' }), feature.selectLogoutInProgress],
  ] as const;

  for (const [name, start, succeed, errored, selectInProgress] of flows) {
    it(`flags ${name} in progress until it succeeds`, () => {
      expect(select(selectInProgress, reduce(start))).toBeTrue();
      expect(select(selectInProgress, reduce(start, succeed))).toBeFalse();
    });

    it(`keeps the error of a failed ${name} until the next action starts`, () => {
      const failed = reduce(start, errored);
      expect(select(selectInProgress, failed)).toBeFalse();
      expect(select(feature.selectError, failed)).toBe('Wrong password.');
      expect(select(feature.selectError, reduce(start, errored, start))).toBeNull();
    });
  }

  it('sets the user and replaces the stack only when setUser carries one', () => {
    const withStack = reduce(actions.setUser({ user: viewer, stashedUsers: [admin] }));
    expect(withStack.user).toEqual(viewer);
    expect(withStack.userStash).toEqual([admin]);
    expect(reduce(actions.setUser({ user: viewer, stashedUsers: [admin] }), actions.setUser({ user: admin })).userStash).toEqual([admin]);
    expect(reduce(actions.setUser({ user: admin }), actions.setUser({ user: null })).user).toBeUndefined();
  });

  it('stashes the master for a login-as, and drops it from the stack when the login-as ends', () => {
    const acting = reduce(actions.setUser({ user: admin }), actions.stashUser({ user: admin }), actions.setUser({ user: viewer }));
    expect(select(feature.selectUser, acting)).toEqual(viewer);
    expect(select(feature.selectLoginAsDepth, acting)).toBe(1);
    expect(select(feature.selectMasterUser, acting)).toEqual(admin);

    const back = [actions.setUser({ user: admin }), actions.unstashUser()].reduce(feature.reducer, acting);
    expect(select(feature.selectUser, back)).toEqual(admin);
    expect(select(feature.selectLoginAsDepth, back)).toBe(0);
  });

  it('ignores unstashUser without a stack', () => {
    const empty = reduce();
    expect(feature.reducer(empty, actions.unstashUser())).toBe(empty);
  });

  it('derives logged-in and master user from the user', () => {
    expect(select(feature.selectIsLoggedIn, reduce())).toBeFalse();
    expect(select(feature.selectIsLoggedIn, reduce(actions.setUser({ user: admin })))).toBeTrue();
    expect(select(feature.selectMasterUser, reduce(actions.setUser({ user: admin })))).toEqual(admin);
  });
});

describe('createJwtActions()', () => {
  it('gives the same creators at every call, typed or not, with types under the package source', () => {
    expect(createJwtActions()).toBe(actions as unknown as ReturnType<typeof createJwtActions>);
    expect(actions.loginSucceed.type).toBe('[ngx-customapp-jwt] login succeed');
  });

  it('makes logout() a logout from this device only, and carries fromAllDevices and localOnly when asked', () => {
    expect(actions.logout()).toEqual({ type: '[ngx-customapp-jwt] logout', fromAllDevices: false, localOnly: false });
    expect(actions.logout({ fromAllDevices: true })).toEqual({ type: '[ngx-customapp-jwt] logout', fromAllDevices: true, localOnly: false });
    expect(actions.logout({ localOnly: true })).toEqual({ type: '[ngx-customapp-jwt] logout', fromAllDevices: false, localOnly: true });
  });
});

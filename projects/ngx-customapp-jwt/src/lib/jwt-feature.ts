import { type ActionReducer, createFeature, createReducer, createSelector, type MemoizedSelector, on } from '@ngrx/store';
import { createJwtActions, type JwtActions } from './jwt-actions';

/**
 * Where the package's state lives in the store: `state.jwt`.
 *
 * @example
 * const selectJwt = createFeatureSelector<JwtState<User>>(JWT_FEATURE_KEY);
 */
export const JWT_FEATURE_KEY = 'jwt';

/**
 * The package's slice of the store. The tokens are not in it: they stay in `JwtService`, so a store
 * dump or the devtools never show them.
 *
 * @example
 * const state: JwtState<User> = store.selectSignal(authFeature.selectJwtState)();
 */
export interface JwtState<UserInfo = unknown> {
  /** The current user, or `null` when nobody is logged in (or before `loginAgain` has finished). */
  readonly user: UserInfo | null;
  /** The users who logged in as someone else, the first (the master) first. Empty without login-as. */
  readonly stashedUsers: readonly UserInfo[];
  readonly loginInProgress: boolean;
  readonly loginAgainInProgress: boolean;
  readonly loginAsInProgress: boolean;
  readonly logoutInProgress: boolean;
  /** The message of the last errored action, cleared when the next one starts. */
  readonly error: string | null;
}

/**
 * The selectors of the package's state, as `JWT_SELECTORS` gives them to other packages.
 *
 * @example
 * const selectors = inject(JWT_SELECTORS);
 * store.select(selectors.selectIsLoggedIn).subscribe(...);
 */
export interface JwtSelectors<UserInfo = unknown> {
  readonly selectJwtState: MemoizedSelector<object, JwtState<UserInfo>>;
  readonly selectUser: MemoizedSelector<object, UserInfo | null>;
  readonly selectIsLoggedIn: MemoizedSelector<object, boolean>;
  readonly selectStashedUsers: MemoizedSelector<object, readonly UserInfo[]>;
  /** How many login-as levels deep the current user is: 0 without login-as. */
  readonly selectLoginAsDepth: MemoizedSelector<object, number>;
  /** The user who started the login-as chain, or the current user without login-as. */
  readonly selectMasterUser: MemoizedSelector<object, UserInfo | null>;
  readonly selectLoginInProgress: MemoizedSelector<object, boolean>;
  readonly selectLoginAgainInProgress: MemoizedSelector<object, boolean>;
  readonly selectLoginAsInProgress: MemoizedSelector<object, boolean>;
  readonly selectLogoutInProgress: MemoizedSelector<object, boolean>;
  readonly selectError: MemoizedSelector<object, string | null>;
}

/**
 * What `createJwtFeature()` gives: the feature's name and reducer (for `provideState` /
 * `StoreModule.forFeature`) and its selectors.
 *
 * @example
 * export const authFeature: JwtFeature<User> = createJwtFeature(createJwtActions<Credentials, AuthResponse, User, string>());
 */
export interface JwtFeature<UserInfo = unknown> extends JwtSelectors<UserInfo> {
  readonly name: typeof JWT_FEATURE_KEY;
  readonly reducer: ActionReducer<JwtState<UserInfo>>;
}

/**
 * Builds the reducer and selectors (`createFeature`) for the given actions. `provideJwt()` registers
 * one already; call this for selectors typed with your user type.
 *
 * @example
 * export const authFeature = createJwtFeature(createJwtActions<Credentials, AuthResponse, User, string>());
 * readonly user = this.store.selectSignal(authFeature.selectUser); // Signal<User | null>
 */
export function createJwtFeature<Credentials = unknown, AuthResponse = unknown, UserInfo = unknown, UserId = unknown>(
  actions: JwtActions<Credentials, AuthResponse, UserInfo, UserId> = createJwtActions(),
): JwtFeature<UserInfo> {
  const initialState: JwtState<UserInfo> = {
    user: null,
    stashedUsers: [],
    loginInProgress: false,
    loginAgainInProgress: false,
    loginAsInProgress: false,
    logoutInProgress: false,
    error: null,
  };
  return createFeature({
    name: JWT_FEATURE_KEY,
    reducer: createReducer(
      initialState,
      on(actions.login, (state): JwtState<UserInfo> => ({ ...state, loginInProgress: true, error: null })),
      on(actions.loginSucceed, (state): JwtState<UserInfo> => ({ ...state, loginInProgress: false })),
      on(actions.loginErrored, (state, { error }): JwtState<UserInfo> => ({ ...state, loginInProgress: false, error })),
      on(actions.loginAgain, (state): JwtState<UserInfo> => ({ ...state, loginAgainInProgress: true, error: null })),
      on(actions.loginAgainSucceed, (state): JwtState<UserInfo> => ({ ...state, loginAgainInProgress: false })),
      on(actions.loginAgainErrored, (state, { error }): JwtState<UserInfo> => ({
        ...state,
        loginAgainInProgress: false,
        error,
      })),
      on(actions.loginAs, (state): JwtState<UserInfo> => ({ ...state, loginAsInProgress: true, error: null })),
      on(actions.loginAsSucceed, (state): JwtState<UserInfo> => ({ ...state, loginAsInProgress: false })),
      on(actions.loginAsErrored, (state, { error }): JwtState<UserInfo> => ({ ...state, loginAsInProgress: false, error })),
      on(actions.logout, (state): JwtState<UserInfo> => ({ ...state, logoutInProgress: true, error: null })),
      on(actions.logoutSucceed, (state): JwtState<UserInfo> => ({ ...state, logoutInProgress: false })),
      on(actions.logoutErrored, (state, { error }): JwtState<UserInfo> => ({ ...state, logoutInProgress: false, error })),
      on(actions.setUser, (state, { user, stashedUsers }): JwtState<UserInfo> => ({
        ...state,
        user,
        stashedUsers: stashedUsers ?? state.stashedUsers,
      })),
      on(actions.stashUser, (state): JwtState<UserInfo> =>
        state.user === null ? state : { ...state, stashedUsers: [...state.stashedUsers, state.user] },
      ),
      on(actions.unstashUser, (state): JwtState<UserInfo> =>
        state.stashedUsers.length === 0
          ? state
          : { ...state, user: state.stashedUsers[state.stashedUsers.length - 1], stashedUsers: state.stashedUsers.slice(0, -1) },
      ),
    ),
    extraSelectors: ({ selectUser, selectStashedUsers }) => ({
      selectIsLoggedIn: createSelector(selectUser, (user) => user !== null),
      selectLoginAsDepth: createSelector(selectStashedUsers, (stashed) => stashed.length),
      selectMasterUser: createSelector(selectStashedUsers, selectUser, (stashed, user) => stashed[0] ?? user),
    }),
  });
}

/** The feature `provideJwt()` and `JwtModule` register. */
export const jwtFeature = createJwtFeature();

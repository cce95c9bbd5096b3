import {
  type ActionReducer,
  type ActionReducerMap,
  type MemoizedSelector,
  type MetaReducer,
  combineReducers,
  createFeatureSelector,
  createReducer,
  createSelector,
  on,
} from '@ngrx/store';
import { createJwtActions, type JwtActions } from './jwt-actions';

/**
 * Where the package's state lives in the store: `state['ngx-customapp-jwt']`, as in 1.2.x.
 *
 * @example
 * export interface AppState { readonly [JWT_FEATURE_KEY]: JwtState<User> }
 */
export const JWT_FEATURE_KEY = 'ngx-customapp-jwt';

/**
 * The 1.2.x name of `JWT_FEATURE_KEY` (the same key).
 *
 * @deprecated Use `JWT_FEATURE_KEY` instead; see MIGRATION.md.
 */
export const jwtFeatureKey = JWT_FEATURE_KEY;

/**
 * The package's slice of the store in its 1.2.x shape, which `JwtState` extends.
 *
 * @deprecated Use `JwtState` instead (the same fields and `error`); see MIGRATION.md.
 */
export interface JwtRootState<UserInfo> {
  /** The current user; `undefined` when nobody is logged in (or before `loginAgain` has finished). */
  user: UserInfo | undefined;
  loginInProcess: boolean;
  loginAgainInProcess: boolean;
  loginAsInProcess: boolean;
  logoutInProcess: boolean;
  /** The users who logged in as someone else, the first (the master) first. Empty without login-as. */
  userStash: UserInfo[];
}

/**
 * The package's slice of the store (the 1.2.x `JwtRootState` and the last error). The tokens are
 * not in it: they stay in `JwtService`, so a store dump or the devtools never show them. Read it
 * with the selectors (`createJwtFeature()`, `JWT_SELECTORS`).
 *
 * @example
 * const state: JwtState<User> = store.selectSignal(authFeature.selectJwtState)();
 */
export interface JwtState<UserInfo = unknown> extends JwtRootState<UserInfo> {
  /** The message of the last errored action, cleared when the next one starts. */
  readonly error: string | null;
}

/**
 * The selectors of the package's state, as `createJwtFeature()` and `JWT_SELECTORS` give them.
 *
 * @example
 * const selectors = inject(JWT_SELECTORS);
 * store.select(selectors.selectIsLoggedIn).subscribe(...);
 */
export interface JwtSelectors<UserInfo = unknown> {
  readonly selectJwtState: MemoizedSelector<object, JwtState<UserInfo>>;
  /** The current user, or `null`. */
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
  /** @deprecated Use `selectJwtState` instead; see MIGRATION.md. */
  readonly selectJwtRootState: MemoizedSelector<object, JwtRootState<UserInfo>>;
  /** The current user, or `undefined`. @deprecated Use `selectUser` (`null` for nobody) instead; see MIGRATION.md. */
  readonly selectJwtUser: MemoizedSelector<object, UserInfo | undefined>;
  /** @deprecated Use `selectLoginInProgress` instead; see MIGRATION.md. */
  readonly selectJwtLoginInProcess: MemoizedSelector<object, boolean>;
  /** @deprecated Use `selectLoginAgainInProgress` instead; see MIGRATION.md. */
  readonly selectJwtLoginAgainInProcess: MemoizedSelector<object, boolean>;
  /** @deprecated Use `selectLoginAsInProgress` instead; see MIGRATION.md. */
  readonly selectJwtLoginAsInProcess: MemoizedSelector<object, boolean>;
  /** @deprecated Use `selectLogoutInProgress` instead; see MIGRATION.md. */
  readonly selectJwtLogoutInProcess: MemoizedSelector<object, boolean>;
  /** @deprecated Use `selectStashedUsers` instead; see MIGRATION.md. */
  readonly selectUserStash: MemoizedSelector<object, UserInfo[]>;
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

const actions = createJwtActions();

/**
 * The reducer of each field of `JwtState`, as 1.2.x exported them; the package's reducer combines
 * them. Each field changes only on the actions named beside it.
 *
 * @deprecated Register the package with `provideJwt()` / `JwtModule.forRoot()`, which add the
 * reducer; see MIGRATION.md.
 */
export const reducers: ActionReducerMap<JwtState<any>> = {
  user: createReducer<unknown>(
    undefined,
    on(actions.setUser, (_, { user }) => user ?? undefined),
  ),
  loginInProcess: createReducer(
    false,
    on(actions.login, () => true),
    on(actions.loginSucceed, actions.loginErrored, () => false),
  ),
  loginAgainInProcess: createReducer(
    false,
    on(actions.loginAgain, () => true),
    on(actions.loginAgainSucceed, actions.loginAgainErrored, () => false),
  ),
  loginAsInProcess: createReducer(
    false,
    on(actions.loginAs, () => true),
    on(actions.loginAsSucceed, actions.loginAsErrored, () => false),
  ),
  logoutInProcess: createReducer(
    false,
    on(actions.logout, () => true),
    on(actions.logoutSucceed, actions.logoutErrored, () => false),
  ),
  userStash: createReducer<unknown[]>(
    [],
    on(actions.setUser, (stash, { stashedUsers }) => (stashedUsers ? [...stashedUsers] : stash)),
    on(actions.stashUser, (stash, { user }) => [...stash, user]),
    on(actions.unstashUser, (stash) => (stash.length === 0 ? stash : stash.slice(0, -1))),
  ),
  error: createReducer<string | null>(
    null,
    on(actions.login, actions.loginAgain, actions.loginAs, actions.logout, () => null),
    on(actions.loginErrored, actions.loginAgainErrored, actions.loginAsErrored, actions.logoutErrored, (_, { error }) => error),
  ),
};

/**
 * No meta-reducers, as in 1.2.x.
 *
 * @deprecated Nothing to register; see MIGRATION.md.
 */
export const metaReducers: MetaReducer<JwtRootState<any>>[] = [];

/** The feature `provideJwt()` and `JwtModule` register, and the selectors every caller shares. */
export const jwtFeature: JwtFeature = buildFeature();

function buildFeature(): JwtFeature {
  const selectJwtState = createFeatureSelector<JwtState>(JWT_FEATURE_KEY);
  // `?? null` and `?? []`: a state set up in 1.2.x's shape (a mock store's) may lack or leave out fields.
  const selectUser: JwtSelectors['selectUser'] = createSelector(selectJwtState, (state): unknown => state.user ?? null);
  const selectStashedUsers: JwtSelectors['selectStashedUsers'] = createSelector(
    selectJwtState,
    (state): readonly unknown[] => state.userStash ?? [],
  );
  const selectLoginInProgress = createSelector(selectJwtState, (state) => state.loginInProcess);
  const selectLoginAgainInProgress = createSelector(selectJwtState, (state) => state.loginAgainInProcess);
  const selectLoginAsInProgress = createSelector(selectJwtState, (state) => state.loginAsInProcess);
  const selectLogoutInProgress = createSelector(selectJwtState, (state) => state.logoutInProcess);
  return {
    name: JWT_FEATURE_KEY,
    reducer: combineReducers(reducers) as ActionReducer<JwtState>,
    selectJwtState,
    selectUser,
    selectIsLoggedIn: createSelector(selectUser, (user) => user !== null),
    selectStashedUsers,
    selectLoginAsDepth: createSelector(selectStashedUsers, (stashed) => stashed.length),
    selectMasterUser: createSelector(selectStashedUsers, selectUser, (stashed, user) => (stashed.length > 0 ? stashed[0] : user)),
    selectLoginInProgress,
    selectLoginAgainInProgress,
    selectLoginAsInProgress,
    selectLogoutInProgress,
    selectError: createSelector(selectJwtState, (state) => state.error ?? null),
    // The same selectors under their 1.2.x names, typed as 1.2.x typed them.
    selectJwtRootState: selectJwtState as unknown as JwtSelectors['selectJwtRootState'],
    selectJwtUser: createSelector(selectUser, (user) => user ?? undefined) as JwtSelectors['selectJwtUser'],
    selectJwtLoginInProcess: selectLoginInProgress,
    selectJwtLoginAgainInProcess: selectLoginAgainInProgress,
    selectJwtLoginAsInProcess: selectLoginAsInProgress,
    selectJwtLogoutInProcess: selectLogoutInProgress,
    selectUserStash: selectStashedUsers as unknown as JwtSelectors['selectUserStash'],
  };
}

/**
 * The package's reducer and selectors typed with your user type. There is one feature at run time
 * (`provideJwt()` registers it), so every call returns the same selectors.
 *
 * @example
 * export const authFeature = createJwtFeature(createJwtActions<Credentials, AuthResponse, User, string>());
 * readonly user = this.store.selectSignal(authFeature.selectUser); // Signal<User | null>
 */
export function createJwtFeature<Credentials = unknown, AuthResponse = unknown, UserInfo = unknown, UserId = unknown>(
  // Only its types are read: the actions are one set at run time.
  _actions?: JwtActions<Credentials, AuthResponse, UserInfo, UserId>,
): JwtFeature<UserInfo> {
  return jwtFeature as unknown as JwtFeature<UserInfo>;
}

/**
 * The 1.2.x way to get the selectors: the same ones `createJwtFeature()` gives.
 *
 * @deprecated Use `createJwtFeature<…>()` (or `inject(JWT_SELECTORS)`) instead; see MIGRATION.md.
 * @example
 * export const { selectJwtUser, selectJwtLoginInProcess } = jwtSelectors<User>();
 */
export function jwtSelectors<UserInfo>(): JwtSelectors<UserInfo> {
  return jwtFeature as unknown as JwtSelectors<UserInfo>;
}

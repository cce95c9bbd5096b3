import { type Action, type ActionCreator, createActionGroup, emptyProps, props } from '@ngrx/store';

/**
 * The source of every action of this package: their types read `[ngx-customapp-jwt] Login`, …
 *
 * @example
 * const fromJwt = (action: Action) => action.type.startsWith(`[${JWT_ACTIONS_SOURCE}]`);
 */
export const JWT_ACTIONS_SOURCE = 'ngx-customapp-jwt';

type Source = typeof JWT_ACTIONS_SOURCE;
type Type<Event extends string> = `[${Source}] ${Event}`;
type NoProps<Event extends string> = ActionCreator<Type<Event>, () => Action<Type<Event>>>;
type WithProps<Event extends string, Props extends object> = ActionCreator<
  Type<Event>,
  (props: Props) => Props & Action<Type<Event>>
>;

/**
 * The action creators of the package, typed with the app's own types. Listen to them with `ofType`;
 * dispatch `login`, `loginAgain`, `loginAs` and `logout`; the effects answer with the `…Succeed` /
 * `…Errored` ones. `setUser`, `stashUser` and `unstashUser` are internal: the effects dispatch them
 * to keep the store in step with `JwtService`.
 *
 * How a logout ends is told by `logoutSucceed`:
 * - `restoredMaster: false` — nobody is logged in any more (a full logout, or the session ended
 *   because no fresh token could be had);
 * - `restoredMaster: true` — a login-as ended and the user who started it (the master) is the current
 *   user again, with their own tokens; `unstashUser` was dispatched just before.
 */
export interface JwtActions<Credentials = unknown, AuthResponse = unknown, UserInfo = unknown, UserId = unknown> {
  /** Log in with credentials. */
  readonly login: WithProps<'Login', { credentials: Credentials }>;
  readonly loginSucceed: WithProps<'Login Succeed', { authResponse: AuthResponse; user: UserInfo }>;
  readonly loginErrored: WithProps<'Login Errored', { error: string }>;
  /** Log in again from the stored session (app start), refreshing the tokens first when they expire soon. */
  readonly loginAgain: NoProps<'Login Again'>;
  readonly loginAgainSucceed: WithProps<'Login Again Succeed', { user: UserInfo }>;
  readonly loginAgainErrored: WithProps<'Login Again Errored', { error: string }>;
  /** Act as another user (an admin feature); the current session is kept on a stack. */
  readonly loginAs: WithProps<'Login As', { userId: UserId }>;
  readonly loginAsSucceed: WithProps<'Login As Succeed', { authResponse: AuthResponse; user: UserInfo }>;
  readonly loginAsErrored: WithProps<'Login As Errored', { error: string }>;
  /**
   * Log out (`logout()`), end every session of the user (`logout({ fromAllDevices: true })`), or end
   * the session here only, without calling the server, when the server ended it already (a socket
   * closed with "logged out"): `logout({ localOnly: true })`.
   */
  readonly logout: ActionCreator<
    Type<'Logout'>,
    (props?: { fromAllDevices?: boolean; localOnly?: boolean }) => { fromAllDevices: boolean; localOnly: boolean } & Action<Type<'Logout'>>
  >;
  readonly logoutSucceed: WithProps<'Logout Succeed', { fromAllDevices: boolean; restoredMaster: boolean }>;
  readonly logoutErrored: WithProps<'Logout Errored', { error: string }>;
  /** Internal: the current user (and, when given, the stack of users below it) changed. */
  readonly setUser: WithProps<'Set User', { user: UserInfo | null; stashedUsers?: readonly UserInfo[] }>;
  /** Internal: the current user goes onto the stack (a login-as starts). */
  readonly stashUser: NoProps<'Stash User'>;
  /** Internal: the top of the stack becomes the current user again (a login-as ended). */
  readonly unstashUser: NoProps<'Unstash User'>;
}

const actions = createActionGroup({
  source: JWT_ACTIONS_SOURCE,
  events: {
    Login: props<{ credentials: unknown }>(),
    'Login Succeed': props<{ authResponse: unknown; user: unknown }>(),
    'Login Errored': props<{ error: string }>(),
    'Login Again': emptyProps(),
    'Login Again Succeed': props<{ user: unknown }>(),
    'Login Again Errored': props<{ error: string }>(),
    'Login As': props<{ userId: unknown }>(),
    'Login As Succeed': props<{ authResponse: unknown; user: unknown }>(),
    'Login As Errored': props<{ error: string }>(),
    Logout: (props: { fromAllDevices?: boolean; localOnly?: boolean } = {}) => ({
      fromAllDevices: props.fromAllDevices ?? false,
      localOnly: props.localOnly ?? false,
    }),
    'Logout Succeed': props<{ fromAllDevices: boolean; restoredMaster: boolean }>(),
    'Logout Errored': props<{ error: string }>(),
    'Set User': props<{ user: unknown; stashedUsers?: readonly unknown[] }>(),
    'Stash User': emptyProps(),
    'Unstash User': emptyProps(),
  },
});

// The compiler checks here that the group above has the shape of the interface.
const typed: JwtActions = actions;

/**
 * Returns the action creators typed with your app's types. There is one set at run time: the types
 * exist only for the compiler, so every call returns the same creators and `ofType` matches across
 * packages that never saw your types (they inject `JWT_ACTIONS`).
 *
 * @example
 * export const authActions = createJwtActions<Credentials, AuthResponse, User, string>();
 * store.dispatch(authActions.login({ credentials: { login: 'admin', password: 'admin-pass' } }));
 * actions$.pipe(ofType(authActions.logoutSucceed), filter(({ restoredMaster }) => !restoredMaster));
 */
export function createJwtActions<
  Credentials = unknown,
  AuthResponse = unknown,
  UserInfo = unknown,
  UserId = unknown,
>(): JwtActions<Credentials, AuthResponse, UserInfo, UserId> {
  return typed as JwtActions<Credentials, AuthResponse, UserInfo, UserId>;
}

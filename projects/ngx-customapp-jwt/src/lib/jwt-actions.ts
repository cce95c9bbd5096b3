import { type Action, type ActionCreator, createActionGroup, emptyProps, props } from '@ngrx/store';

/**
 * The source of every action of this package: their types read `[ngx-customapp-jwt] login`,
 * `[ngx-customapp-jwt] login succeed`, … (the type strings of 1.2.x).
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
type WithDefaults<Event extends string, Given extends object, Props extends object> = ActionCreator<
  Type<Event>,
  (props?: Given) => Props & Action<Type<Event>>
>;

/**
 * The action creators of the package, typed with the app's own types. Listen to them with `ofType`;
 * dispatch `login`, `loginAgain`, `loginAs` and `logout`; the effects answer with the `…Succeed` /
 * `…Errored` ones. `setUser`, `stashUser` and `unstashUser` are internal: the effects dispatch them
 * to keep the store in step with `JwtService`, always before the `…Succeed` action they belong to.
 *
 * How a logout ends is told by `logoutSucceed`:
 * - `restoredMaster: false` — nobody is logged in any more (a full logout, or the session ended
 *   because no fresh token could be had);
 * - `restoredMaster: true` — a login-as ended and the user who started it (the master) is the current
 *   user again, with their own tokens; `setUser` and `unstashUser` were dispatched just before.
 *
 * The creators also take the payloads of 1.2.x (`loginAgain({ credentials })`, `logoutSucceed()`,
 * `stashUser({ user })`), and their payloads carry the 1.2.x `response`.
 */
export interface JwtActions<Credentials = unknown, AuthResponse = unknown, UserInfo = unknown, UserId = unknown> {
  /** Log in with credentials. */
  readonly login: WithProps<'login', { credentials: Credentials }>;
  /** `response` is the answer of `JwtApi.login`; `user` is read from it (the effects always set it). */
  readonly loginSucceed: WithProps<'login succeed', { response: AuthResponse; user?: UserInfo }>;
  readonly loginErrored: WithProps<'login errored', { error: string }>;
  /**
   * Log in again at start-up. Without credentials, from the stored session, refreshing its tokens
   * first when they expire soon. With `credentials` (as 1.2.x's `JwtGuard` does, from the access
   * token), `JwtApi.login` is called with them and the session takes its user (and its tokens, if
   * the answer has any), keeping the login-as stack.
   */
  readonly loginAgain: WithDefaults<'login again', { credentials?: Credentials }, { credentials?: Credentials }>;
  /**
   * `user` is the user logged in again (the effects always set it). `response` is the answer of
   * `JwtApi.login` when `loginAgain` had credentials; it is `undefined` when the stored session was
   * used, or when another tab logged in (see `JwtService.otherTabChanges$`). It is typed as always
   * there, as 1.2.x typed it (its `loginAgain` always had credentials), so that 1.2.x listeners compile.
   */
  readonly loginAgainSucceed: ActionCreator<
    Type<'login again succeed'>,
    (props: { response?: AuthResponse; user?: UserInfo }) => { response: AuthResponse; user?: UserInfo } & Action<Type<'login again succeed'>>
  >;
  readonly loginAgainErrored: WithProps<'login again errored', { error: string }>;
  /** Act as another user (an admin feature); the current session is kept on a stack. */
  readonly loginAs: WithProps<'login as', { userId: UserId }>;
  /** `response` is the answer of `JwtApi.loginAs`; `user` is the target user (the effects always set it). */
  readonly loginAsSucceed: WithProps<'login as succeed', { response: AuthResponse; user?: UserInfo }>;
  readonly loginAsErrored: WithProps<'login as errored', { error: string }>;
  /**
   * Log out (`logout()`), end every session of the user (`logout({ fromAllDevices: true })`), or end
   * the session here only, without calling the server, when the server ended it already (a socket
   * closed with "logged out"): `logout({ localOnly: true })`.
   */
  readonly logout: WithDefaults<
    'logout',
    { fromAllDevices?: boolean; localOnly?: boolean },
    { fromAllDevices: boolean; localOnly: boolean }
  >;
  /** `logoutSucceed()` (as 1.2.x dispatched it) means `{ fromAllDevices: false, restoredMaster: false }`. */
  readonly logoutSucceed: WithDefaults<
    'logout succeed',
    { fromAllDevices?: boolean; restoredMaster?: boolean },
    { fromAllDevices: boolean; restoredMaster: boolean }
  >;
  readonly logoutErrored: WithProps<'logout errored', { error: string }>;
  /**
   * Internal: the current user changed (`null` or `undefined`: nobody, or a session whose user is not
   * known yet), and with `stashedUsers` the users below it too.
   */
  readonly setUser: WithProps<'set user', { user: UserInfo | null | undefined; stashedUsers?: readonly UserInfo[] }>;
  /** Internal: `user` (the current one) goes onto the stack, as a login-as starts. */
  readonly stashUser: WithProps<'stash user', { user: UserInfo }>;
  /** Internal: the top of the stack is dropped, as a login-as ends (after `setUser` with that user). */
  readonly unstashUser: NoProps<'unstash user'>;
}

const actions = createActionGroup({
  source: JWT_ACTIONS_SOURCE,
  events: {
    login: props<{ credentials: unknown }>(),
    'login succeed': props<{ response: unknown; user?: unknown }>(),
    'login errored': props<{ error: string }>(),
    'login again': (props: { credentials?: unknown } = {}) => props,
    // `response` is always there, `undefined` without one (see the interface).
    'login again succeed': (props: { response?: unknown; user?: unknown }) => ({ response: props.response, user: props.user }),
    'login again errored': props<{ error: string }>(),
    'login as': props<{ userId: unknown }>(),
    'login as succeed': props<{ response: unknown; user?: unknown }>(),
    'login as errored': props<{ error: string }>(),
    logout: (props: { fromAllDevices?: boolean; localOnly?: boolean } = {}) => ({
      fromAllDevices: props.fromAllDevices ?? false,
      localOnly: props.localOnly ?? false,
    }),
    'logout succeed': (props: { fromAllDevices?: boolean; restoredMaster?: boolean } = {}) => ({
      fromAllDevices: props.fromAllDevices ?? false,
      restoredMaster: props.restoredMaster ?? false,
    }),
    'logout errored': props<{ error: string }>(),
    'set user': props<{ user: unknown; stashedUsers?: readonly unknown[] }>(),
    'stash user': props<{ user: unknown }>(),
    'unstash user': emptyProps(),
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

/**
 * The 1.2.x name of `createJwtActions` (there `UserId` defaults to `number`). Returns the same
 * creators.
 *
 * @deprecated Use `createJwtActions` instead; see MIGRATION.md.
 * @example
 * export const { login, loginSucceed, logout } = jwtActions<Credentials, AuthResponse, User>();
 */
export function jwtActions<Credentials, AuthResponse, UserInfo, UserId = number>(): JwtActions<
  Credentials,
  AuthResponse,
  UserInfo,
  UserId
> {
  return createJwtActions<Credentials, AuthResponse, UserInfo, UserId>();
}

import type { ActionCreator } from '@ngrx/store';
import type { JwtApiConstructor } from './jwt-api';
import { jwtTokensOf, type JwtGroup, type JwtInfo } from './jwt-group';
import type { ResolvedJwtConfig } from './resolved-jwt-config';
import type { NoFreshJwtListenerConstructor } from './no-fresh-jwt-listener';

/**
 * Where a `LegacyJwtConfig` keeps the session when it names no `jwtStorageKey`, as in 1.2.x.
 *
 * @deprecated Use `provideJwt({ storageKey })` (default `'ngx-customapp-jwt'`) instead; see MIGRATION.md.
 */
export const defaultJwtStorageKey = 'userTokenStorage';

/**
 * The configuration of 1.2.x's `JwtModule.forRoot()`, still accepted by `JwtModule.forRoot()` and
 * `provideJwt()`, which map it onto `ProvideJwtConfig`: the `jwtApi` is called the 1.2.x way
 * (tokens as `JwtInfo`, `refresh` answering a `JwtGroup`), `authHeader` builds the interceptor's
 * header, `noFreshJwt.service` is called as `callWhen` says, `jwtGuard` makes the guard log in again
 * with credentials read from the access token. Tabs are not kept in step (1.2.x did not either);
 * move to `ProvideJwtConfig` for `syncTabs`, `loginUrl`, `onNoFreshJwt` and the rest.
 *
 * @deprecated Use `ProvideJwtConfig` instead; see MIGRATION.md.
 * @example
 * JwtModule.forRoot({
 *   authResponseToJwt: (r: AuthResponse) => r.tokens,
 *   authResponseToUserInfo: (r: AuthResponse) => r.user,
 *   authHeader: { name: 'Authorization', createValue: ({ token }) => `Bearer ${token}` },
 *   jwtApi: AuthApi,
 *   noFreshJwt: { service: ToLoginPage, callWhen: { interceptorNotFoundJwt: false, guardNotFoundJwt: true, loginAsJwtNotFound: true } },
 *   jwtGuard: { jwtToCredentials: ({ token }) => ({ token }) },
 * });
 */
export interface LegacyJwtConfig<Credentials, AuthResponse, UserInfo, UserId = number> {
  /** The tokens of an auth response; `undefined` (or a group without both tokens) when it has none. */
  authResponseToJwt: (authResponse: AuthResponse) => JwtGroup<JwtInfo> | undefined;
  authResponseToUserInfo: (authResponse: AuthResponse) => UserInfo;
  /** The header the interceptor sets, and its value for an access token. */
  authHeader: { name: string; createValue: (jwt: JwtInfo) => string };
  /** Requests the interceptor leaves alone: a string matches URLs that start with it, a RegExp those it matches. */
  excludeUrls?: (string | RegExp)[];
  /** Your `JwtApi`, injectable on its own (`providedIn: 'root'` or in your providers). */
  jwtApi: JwtApiConstructor<Credentials, AuthResponse, UserId>;
  /** Your `NoFreshJwtListener`, injectable on its own, and when to call it. */
  noFreshJwt: {
    service: NoFreshJwtListenerConstructor;
    callWhen: { interceptorNotFoundJwt: boolean; guardNotFoundJwt: boolean; loginAsJwtNotFound: boolean };
  };
  /** The storage key of the session. Default `defaultJwtStorageKey` (`'userTokenStorage'`). */
  jwtStorageKey?: string;
  /** Accepted and ignored, as 1.2.x ignored it (it never delayed anything). */
  actionToWaitUntilAuth?: ActionCreator;
  /**
   * How `JwtGuard` / `jwtGuard` logs in again after a reload: `loginAgain({ credentials:
   * jwtToCredentials(accessToken) })`, then it lets the route through on `actionAppReady` (default
   * `loginAgainSucceed`) and not on `actionAppNotReady` (default `loginAgainErrored`).
   */
  jwtGuard?: {
    jwtToCredentials: (jwt: JwtInfo) => Credentials;
    actionAppReady?: ActionCreator;
    actionAppNotReady?: ActionCreator;
  };
}

/** The 1.2.x config mapped onto `ResolvedJwtConfig`; `defaults` are those of a `ProvideJwtConfig` naming the same API. */
export function resolveLegacyJwtConfig<Credentials, AuthResponse, UserInfo, UserId>(
  config: LegacyJwtConfig<Credentials, AuthResponse, UserInfo, UserId>,
  defaults: ResolvedJwtConfig<AuthResponse, UserInfo>,
): ResolvedJwtConfig<AuthResponse, UserInfo> {
  const { authHeader, jwtGuard } = config;
  return {
    ...defaults,
    apiTakes: 'jwt-info',
    tokensFromResponse: (response) => jwtTokensOf(config.authResponseToJwt(response)),
    userFromResponse: (response) => config.authResponseToUserInfo(response),
    tokensFromRefresh: (answer) => jwtTokensOf(answer as JwtGroup<JwtInfo> | undefined),
    userFromRefresh: () => undefined,
    storageKey: config.jwtStorageKey ?? defaultJwtStorageKey,
    syncTabs: false,
    headerName: authHeader.name,
    headerValue: (access) => authHeader.createValue(access),
    excludedUrls: config.excludeUrls ?? [],
    sendWithoutFreshJwt: true,
    noFreshJwtCallWhen: { ...config.noFreshJwt.callWhen },
    guard: jwtGuard
      ? {
          credentialsFor: (access) => jwtGuard.jwtToCredentials(access),
          appReady: jwtGuard.actionAppReady ?? null,
          appNotReady: jwtGuard.actionAppNotReady ?? null,
        }
      : null,
  };
}

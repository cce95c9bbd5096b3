import type { HttpErrorResponse } from '@angular/common/http';
import type { Type } from '@angular/core';
import { InvalidAuthResponseError, type NoFreshJwtError, isJwtTokenExpiredResponse } from './errors';
import type { JwtActions } from './jwt-actions';
import type { JwtApi } from './jwt-api';
import type { JwtTokens } from './jwt-session';
import { resolveLegacyJwtConfig, type LegacyJwtConfig } from './legacy-jwt-config';
import type { ResolvedJwtConfig } from './resolved-jwt-config';

/**
 * The configuration of `provideJwt()` / `JwtModule.forRoot()`. Only `api` is required; the defaults
 * read an auth response shaped `{ accessToken, refreshToken, expiresAt?, user }`. (`JwtConfig` is this
 * or the 1.2.x shape, `LegacyJwtConfig`.)
 *
 * @example
 * provideJwt({
 *   api: AuthApi,
 *   actions: createJwtActions<Credentials, AuthResponse, User, string>(),
 *   excludedUrls: ['/api/auth/'],
 *   loginUrl: '/login',
 *   onNoFreshJwt: () => inject(Router).navigateByUrl('/login'),
 * });
 */
export interface ProvideJwtConfig<Credentials = unknown, AuthResponse = unknown, UserInfo = unknown, UserId = unknown> {
  /** Your implementation of `JwtApi`, instantiated by Angular (so it may `inject(HttpClient)`). */
  readonly api: Type<JwtApi<Credentials, AuthResponse, UserId>>;
  /**
   * Your typed actions from `createJwtActions<…>()`. They are the same creators at run time; passing
   * them only lets the compiler check the rest of the config against your types.
   */
  readonly actions?: JwtActions<Credentials, AuthResponse, UserInfo, UserId>;
  /** Reads the tokens out of an auth response. Default: its `accessToken`, `refreshToken` and `expiresAt`. */
  readonly tokensFromResponse?: (response: AuthResponse) => JwtTokens;
  /**
   * Reads the user out of an auth response. Default: its `user`. On a refresh, `undefined` keeps the
   * user the session had; on a login it is an error.
   */
  readonly userFromResponse?: (response: AuthResponse) => UserInfo | undefined;
  /**
   * Says whether a user read back from storage still has the shape the app expects; when it does not
   * (say, after an app update) the stored session is discarded. Default: anything but `null`.
   */
  readonly isUserInfo?: (value: unknown) => boolean;
  /**
   * Refresh when the access token expires within this many seconds, or, for a token that lives less
   * than twice this (from its `iat` claim), once it is past half its life, so short tokens are not
   * refreshed at every call: a token of 3 s is renewed 1.5 s before it expires. `JwtService.renewals$` renews proactively at the
   * same point. Default 30.
   */
  readonly skewSeconds?: number;
  /** The storage key of the session. Default `'ngx-customapp-jwt'`. */
  readonly storageKey?: string;
  /**
   * Follow the other tabs of the app: when one logs out, logs in (as someone else) or refreshes the
   * tokens in the shared storage, this tab does the same (see `JwtService.otherTabChanges$` for the
   * actions). Works with the default `localStorage`, or any `JWT_STORAGE_EVENTS` you provide.
   * Default `true`.
   */
  readonly syncTabs?: boolean;
  /** The header `jwtInterceptor` sets. Default `'Authorization'`. */
  readonly headerName?: string;
  /** What precedes the token in that header; `''` sends the bare token. Default `'Bearer'`. */
  readonly authScheme?: string;
  /**
   * Requests `jwtInterceptor` leaves alone: a string matches URLs that start with it, a RegExp
   * those it matches. Requests marked with `skipJwt()` are left alone too.
   */
  readonly excludedUrls?: readonly (string | RegExp)[];
  /**
   * Says whether a failed request that `jwtInterceptor` sent with the token failed because that
   * token expired. If so, the interceptor gets a fresh token (`freshJwt({ rejectedToken })`, one
   * refresh for all the requests that fail at once) and sends the request once more. Default
   * `isJwtTokenExpiredResponse`: a 401 with `{ error: { code: 'TOKEN_EXPIRED' } }`; a plain 401 is
   * not retried.
   */
  readonly isTokenExpiredResponse?: (error: HttpErrorResponse) => boolean;
  /** Where `jwtGuard` sends a visitor who is not (and cannot be again) logged in. Default: nowhere (`false`). */
  readonly loginUrl?: string;
  /**
   * Runs, in an injection context, when a session ends because no fresh token could be had (the
   * refresh failed or the refresh token expired), after the state is logged out.
   */
  readonly onNoFreshJwt?: (error: NoFreshJwtError) => void;
  /** Turns a failure into the `error` string of an errored action. Default `jwtErrorMessage`. */
  readonly errorMessage?: (error: unknown) => string;
}

/**
 * What `provideJwt()` and `JwtModule.forRoot()` take: `ProvideJwtConfig`, or the configuration of
 * 1.2.x (`LegacyJwtConfig`, told apart by its `jwtApi`), which is mapped onto it.
 *
 * @example
 * const config: JwtConfig<Credentials, AuthResponse, User, string> = { api: AuthApi, loginUrl: '/login' };
 */
export type JwtConfig<Credentials = unknown, AuthResponse = unknown, UserInfo = unknown, UserId = unknown> =
  | ProvideJwtConfig<Credentials, AuthResponse, UserInfo, UserId>
  | LegacyJwtConfig<Credentials, AuthResponse, UserInfo, UserId>;

/** True for the 1.2.x shape (it names `jwtApi`; `ProvideJwtConfig` names `api`). */
export function isLegacyJwtConfig<Credentials, AuthResponse, UserInfo, UserId>(
  config: JwtConfig<Credentials, AuthResponse, UserInfo, UserId>,
): config is LegacyJwtConfig<Credentials, AuthResponse, UserInfo, UserId> {
  return 'jwtApi' in config;
}

/** The app's `JwtApi` class, whichever shape of config names it. */
export function jwtApiClass(config: JwtConfig<any, any, any, any>): Type<JwtApi<any, any, any>> {
  return isLegacyJwtConfig(config) ? config.jwtApi : config.api;
}

export function resolveJwtConfig<Credentials, AuthResponse, UserInfo, UserId>(
  config: JwtConfig<Credentials, AuthResponse, UserInfo, UserId>,
): ResolvedJwtConfig<AuthResponse, UserInfo> {
  if (isLegacyJwtConfig(config)) return resolveLegacyJwtConfig(config, resolveJwtConfig({ api: config.jwtApi }));
  const authScheme = config.authScheme ?? 'Bearer';
  const tokensFromResponse = config.tokensFromResponse ?? defaultTokensFromResponse;
  const userFromResponse = config.userFromResponse ?? (defaultUserFromResponse as (response: AuthResponse) => UserInfo | undefined);
  return {
    apiTakes: 'token',
    tokensFromResponse,
    userFromResponse,
    tokensFromRefresh: (answer) => tokensFromResponse(answer as AuthResponse),
    userFromRefresh: (answer) => userFromResponse(answer as AuthResponse),
    isUserInfo: config.isUserInfo ?? ((value) => value !== null && value !== undefined),
    skewSeconds: config.skewSeconds ?? 30,
    storageKey: config.storageKey ?? 'ngx-customapp-jwt',
    syncTabs: config.syncTabs ?? true,
    headerName: config.headerName ?? 'Authorization',
    headerValue: ({ token }) => (authScheme ? `${authScheme} ${token}` : token),
    excludedUrls: config.excludedUrls ?? [],
    isTokenExpiredResponse: config.isTokenExpiredResponse ?? isJwtTokenExpiredResponse,
    loginUrl: config.loginUrl ?? null,
    onNoFreshJwt: config.onNoFreshJwt ?? null,
    errorMessage: config.errorMessage ?? null,
    sendWithoutFreshJwt: false,
    noFreshJwtCallWhen: null,
    guard: null,
  };
}
function defaultTokensFromResponse(response: unknown): JwtTokens {
  const record = (typeof response === 'object' && response !== null ? response : {}) as Record<string, unknown>;
  const accessToken = record['accessToken'];
  const refreshToken = record['refreshToken'];
  const expiresAt = record['expiresAt'];
  if (typeof accessToken !== 'string' || typeof refreshToken !== 'string') {
    throw new InvalidAuthResponseError(
      'The auth response has no string `accessToken` and `refreshToken`. ' +
        'Pass `tokensFromResponse` to provideJwt() to read the tokens out of your response.',
    );
  }
  return typeof expiresAt === 'number' ? { accessToken, refreshToken, expiresAt } : { accessToken, refreshToken };
}

function defaultUserFromResponse(response: unknown): unknown {
  return typeof response === 'object' && response !== null ? (response as Record<string, unknown>)['user'] : undefined;
}

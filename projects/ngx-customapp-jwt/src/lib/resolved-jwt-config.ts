import type { HttpErrorResponse } from '@angular/common/http';
import type { ActionCreator } from '@ngrx/store';
import type { NoFreshJwtError } from './errors';
import type { JwtInfo } from './jwt-group';
import type { JwtTokens } from './jwt-session';

/**
 * The config with every default filled in, as the package's services read it: `ProvideJwtConfig`
 * and the 1.2.x `LegacyJwtConfig` both come down to this.
 */
export interface ResolvedJwtConfig<AuthResponse = unknown, UserInfo = unknown> {
  /** How the app's `JwtApi` takes tokens: as strings (ours) or as `JwtInfo` (1.2.x). */
  readonly apiTakes: 'token' | 'jwt-info';
  /** The tokens of a login's answer; `null` when it has none (1.2.x: the session keeps its own). */
  readonly tokensFromResponse: (response: AuthResponse) => JwtTokens | null;
  readonly userFromResponse: (response: AuthResponse) => UserInfo | undefined;
  /** The tokens of a refresh's answer (an auth response, or 1.2.x's `JwtGroup`). */
  readonly tokensFromRefresh: (answer: unknown) => JwtTokens | null;
  /** The user of a refresh's answer; `undefined` keeps the session's. */
  readonly userFromRefresh: (answer: unknown) => UserInfo | undefined;
  readonly isUserInfo: (value: unknown) => boolean;
  readonly skewSeconds: number;
  readonly storageKey: string;
  readonly syncTabs: boolean;
  readonly headerName: string;
  readonly headerValue: (access: JwtInfo) => string;
  readonly excludedUrls: readonly (string | RegExp)[];
  readonly isTokenExpiredResponse: (error: HttpErrorResponse) => boolean;
  readonly loginUrl: string | null;
  readonly onNoFreshJwt: ((error: NoFreshJwtError) => void) | null;
  readonly errorMessage: ((error: unknown) => string) | null;
  /** When a logged-in user's token cannot be refreshed, the interceptor sends the request without it (1.2.x) instead of failing it. */
  readonly sendWithoutFreshJwt: boolean;
  /** When to call the 1.2.x `NoFreshJwtListener`; `null` without one. */
  readonly noFreshJwtCallWhen: {
    readonly interceptorNotFoundJwt: boolean;
    readonly guardNotFoundJwt: boolean;
    readonly loginAsJwtNotFound: boolean;
  } | null;
  /** 1.2.x's `jwtGuard`: log in again with credentials read from the access token, and the actions that end the wait. */
  readonly guard: {
    readonly credentialsFor: (access: JwtInfo) => unknown;
    readonly appReady: ActionCreator | null;
    readonly appNotReady: ActionCreator | null;
  } | null;
}

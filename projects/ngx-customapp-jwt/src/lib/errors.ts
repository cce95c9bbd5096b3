import { HttpErrorResponse } from '@angular/common/http';

/**
 * The base of every error this package throws, so `catchError` can tell ours from others.
 *
 * @example
 * jwt.freshJwt().pipe(catchError((error) => (error instanceof JwtError ? of(null) : throwError(() => error))));
 */
export class JwtError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Why `freshJwt()` could not give a token:
 * - `'not-logged-in'`: there is no session (nobody logged in, or it already ended);
 * - `'session-expired'`: the refresh token itself has expired, so refreshing is pointless;
 * - `'refresh-failed'`: the refresh call failed (revoked, rotated away, server down).
 *
 * @example
 * const ended = (reason: NoFreshJwtReason) => reason !== 'not-logged-in';
 */
export type NoFreshJwtReason = 'not-logged-in' | 'session-expired' | 'refresh-failed';

/**
 * `JwtService.freshJwt()` could not give a usable access token. On `'session-expired'` and
 * `'refresh-failed'` the session has already ended (logged out, `logoutSucceed` dispatched) and the
 * configured `onNoFreshJwt` hook has run.
 *
 * @example
 * jwt.freshJwt().subscribe({ error: (e) => e instanceof NoFreshJwtError && e.reason === 'refresh-failed' && showLogin() });
 */
export class NoFreshJwtError extends JwtError {
  constructor(
    readonly reason: NoFreshJwtReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The server refused a login for now, after too many failed ones: it answered HTTP 429 (the bundled
 * e2e-server does after 5 wrong passwords for one login, or 20 from one address, within a minute).
 * `retryAfterSeconds` is read from the `Retry-After` header; it is `null` when the answer had none,
 * or when a page on another origin may not read it (the server must list it in
 * `Access-Control-Expose-Headers`). The message says how long to wait, so `loginErrored` shows it.
 *
 * @example
 * jwt.login(credentials).subscribe({
 *   error: (e) => e instanceof LoginThrottledError && disableSignInFor(e.retryAfterSeconds ?? 60),
 * });
 */
export class LoginThrottledError extends JwtError {
  constructor(
    readonly retryAfterSeconds: number | null,
    options?: { cause?: unknown },
  ) {
    super(
      retryAfterSeconds === null
        ? 'Too many failed sign-ins; wait a minute and try again.'
        : `Too many failed sign-ins; try again in ${retryAfterSeconds} s.`,
      options,
    );
  }
}

/**
 * The LoginThrottledError a login's failure means (an HTTP 429), or null. `Retry-After` may be
 * whole seconds or an HTTP date, which is measured from `now` (ms since the epoch).
 */
export function loginThrottledError(error: unknown, now: number): LoginThrottledError | null {
  if (!(error instanceof HttpErrorResponse) || error.status !== 429) return null;
  return new LoginThrottledError(retryAfterSeconds(error.headers.get('Retry-After'), now), { cause: error });
}

function retryAfterSeconds(header: string | null, now: number): number | null {
  const value = header?.trim() ?? '';
  if (/^\d+$/.test(value)) return Math.max(1, Number(value));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(1, Math.ceil((date - now) / 1000));
}

/**
 * The app's auth response did not contain what the package needs (tokens or user), so the
 * `tokensFromResponse` / `userFromResponse` functions of the config need adjusting.
 *
 * @example
 * provideJwt({ api: MyApi, tokensFromResponse: (r: MyResponse) => ({ accessToken: r.jwt, refreshToken: r.refresh }) });
 */
export class InvalidAuthResponseError extends JwtError {}

/**
 * The package was set up wrongly (for example `JwtModule.forRoot()` or `provideJwt()` used twice, or
 * `loginAs` dispatched while `JwtApi.loginAs` is not implemented).
 *
 * @example
 * expect(() => TestBed.inject(JwtService)).toThrowError(JwtConfigError);
 */
export class JwtConfigError extends JwtError {}

/**
 * `loginAs` was asked for while nobody (or a session whose user is not known yet) is logged in, or
 * no fresh token could be had for it: there is no master to act for another user. A
 * `NoFreshJwtError`, so `reason` says which.
 *
 * @example
 * jwt.loginAs(userId).subscribe({ error: (e) => e instanceof LoginAsCalledWhenUnauthorized && showLogin() });
 */
export class LoginAsCalledWhenUnauthorized extends NoFreshJwtError {
  constructor(reason: NoFreshJwtReason = 'not-logged-in', options?: { cause?: unknown }) {
    super(reason, 'Log in before logging in as another user: login-as needs the fresh token of a logged-in user.', options);
  }
}

/**
 * `loginAs` was asked for, but the app's `JwtApi` has no `loginAs` method. A `JwtConfigError`.
 *
 * @example
 * expect(await firstValueFrom(jwt.loginAs('u-viewer')).catch((e) => e)).toBeInstanceOf(LoginAsMethodUnimplemented);
 */
export class LoginAsMethodUnimplemented extends JwtConfigError {
  constructor() {
    super('Login-as is not available: the JwtApi of the app has no loginAs method. Implement JwtApi.loginAs to use it.');
  }
}

/**
 * The answer of `JwtApi.loginAs` has no tokens, so there is nothing to act as the other user with.
 * An `InvalidAuthResponseError`.
 *
 * @example
 * store.select(selectError); // 'The answer of JwtApi.loginAs has no access and refresh token: …'
 */
export class LoginAsApiMethodDoesNotHaveJwtInAuthResponse extends InvalidAuthResponseError {
  constructor() {
    super('The answer of JwtApi.loginAs has no access and refresh token: the tokens of the other user are needed to act as them.');
  }
}

/**
 * Thrown by `JwtInterceptor` of 1.2.x for a request with `reportProgress`. Never thrown since
 * 1.3: such requests get the token like any other.
 *
 * @deprecated Nothing throws it any more; see MIGRATION.md.
 */
export class JwtInterceptorDropsReportProgress extends JwtError {
  constructor() {
    super('The JwtInterceptor of ngx-customapp-jwt did not send a request with reportProgress (1.2.x only).');
  }
}

/**
 * Turns anything thrown by a `JwtApi` (usually an `HttpErrorResponse`) into a sentence for a person:
 * the server's own message when the body is `{ error: { message } }`, `{ message }` or `{ error: '...' }`,
 * else a description of the failure. This is what errored actions carry as `error`.
 *
 * @example
 * jwtErrorMessage(new HttpErrorResponse({ status: 401, error: { error: { code: 'X', message: 'Wrong password.' } } }));
 * // 'Wrong password.'
 */
export function jwtErrorMessage(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    const fromBody = messageInBody(error.error);
    if (fromBody) return fromBody;
    if (error.status === 0) {
      return `The server could not be reached${error.url ? ` at ${error.url}` : ''}. Check the connection and try again.`;
    }
    return `The server answered ${error.status}${error.statusText ? ` ${error.statusText}` : ''}${error.url ? ` for ${error.url}` : ''}.`;
  }
  if (error instanceof Error) return error.message || error.name;
  return messageInBody(error) ?? 'Unknown error.';
}

function messageInBody(body: unknown): string | null {
  if (typeof body === 'string') return body.trim() || null;
  if (typeof body !== 'object' || body === null) return null;
  const record = body as Record<string, unknown>;
  if (typeof record['message'] === 'string' && record['message']) return record['message'];
  const inner = record['error'];
  if (typeof inner === 'string' && inner) return inner;
  if (typeof inner === 'object' && inner !== null) {
    const innerRecord = inner as Record<string, unknown>;
    if (typeof innerRecord['message'] === 'string' && innerRecord['message']) return innerRecord['message'];
    if (typeof innerRecord['code'] === 'string' && innerRecord['code']) return innerRecord['code'];
  }
  return null;
}

/** True for the answers that mean "this token is no longer valid": HTTP 401. */
export function isUnauthorized(error: unknown): boolean {
  return error instanceof HttpErrorResponse && error.status === 401;
}

/**
 * The default of `isTokenExpiredResponse`: true for a 401 whose body is
 * `{ error: { code: 'TOKEN_EXPIRED' } }` (as the bundled e2e-server answers), also when the body came
 * as JSON text. Any other 401 (a revoked session, a token the server never signed) is not worth
 * a refresh and a second try, so it is false; configure `isTokenExpiredResponse` to widen it.
 *
 * @example
 * provideJwt({
 *   api: AuthApi,
 *   // also retry after a 419, which this backend sends for an expired token
 *   isTokenExpiredResponse: (error) => isJwtTokenExpiredResponse(error) || error.status === 419,
 * });
 */
export function isJwtTokenExpiredResponse(error: HttpErrorResponse): boolean {
  if (error.status !== 401) return false;
  let body: unknown = error.error;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return false;
    }
  }
  const inner = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['error'] : undefined;
  return typeof inner === 'object' && inner !== null && (inner as Record<string, unknown>)['code'] === 'TOKEN_EXPIRED';
}

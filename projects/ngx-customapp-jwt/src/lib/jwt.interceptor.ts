import { HttpContext, HttpContextToken, HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, switchMap, throwError } from 'rxjs';
import { JwtService } from './jwt.service';
import { JWT_CONFIG } from './tokens';

/**
 * Marks a request that `jwtInterceptor` must leave alone. Prefer `skipJwt()`.
 *
 * @example
 * http.post(url, body, { context: new HttpContext().set(JWT_SKIP, true) });
 */
export const JWT_SKIP = new HttpContextToken<boolean>(() => false);

/**
 * An `HttpContext` (a new one, or the given one) that tells `jwtInterceptor` to leave the request
 * alone: use it for the calls of your `JwtApi`, or anything that must go without the token.
 *
 * @example
 * http.post<AuthResponse>('/api/auth/refresh', { refreshToken }, { context: skipJwt() });
 */
export function skipJwt(context: HttpContext = new HttpContext()): HttpContext {
  return context.set(JWT_SKIP, true);
}

/**
 * Adds `Authorization: Bearer <fresh token>` to every request while someone is logged in, waiting
 * for a refresh when the token expires soon (all requests share one refresh). It leaves alone the
 * requests marked with `skipJwt()`, those whose URL matches `excludedUrls`, those that already
 * carry the header, and the calls `JwtService` makes to your `JwtApi`. When no fresh token can be
 * had the request fails with `NoFreshJwtError`.
 *
 * When a request it sent with a token fails because that token expired (`isTokenExpiredResponse`;
 * by default a 401 with `{ error: { code: 'TOKEN_EXPIRED' } }`), it gets a fresh token with
 * `freshJwt({ rejectedToken })` — one refresh for every request that fails at once — and sends
 * the request once more. A second failure reaches the caller as it is; so does the first one when
 * the refresh fails (the session has then ended).
 *
 * @example
 * bootstrapApplication(App, {
 *   providers: [provideHttpClient(withInterceptors([jwtInterceptor])), provideJwt({ api: AuthApi })],
 * });
 */
export const jwtInterceptor: HttpInterceptorFn = (request, next) => {
  const jwt = inject(JwtService);
  const { headerName, authScheme, excludedUrls, isTokenExpiredResponse } = inject(JWT_CONFIG);
  const excluded = excludedUrls.some((pattern) =>
    typeof pattern === 'string' ? request.url.startsWith(pattern) : pattern.test(request.url),
  );
  if (
    excluded ||
    request.context.get(JWT_SKIP) ||
    request.headers.has(headerName) ||
    jwt.sendingOwnCall ||
    !jwt.isLoggedIn
  ) {
    return next(request);
  }
  const send = (token: string) =>
    next(request.clone({ setHeaders: { [headerName]: authScheme ? `${authScheme} ${token}` : token } }));
  return jwt.freshJwt().pipe(
    switchMap((token) =>
      send(token).pipe(
        catchError((error: unknown) => {
          if (!(error instanceof HttpErrorResponse) || !isTokenExpiredResponse(error)) return throwError(() => error);
          return jwt.freshJwt({ rejectedToken: token }).pipe(
            // The refresh failed and the session has ended: the caller learns of the request's own failure.
            catchError(() => throwError(() => error)),
            switchMap((freshToken) => send(freshToken)),
          );
        }),
      ),
    ),
  );
};

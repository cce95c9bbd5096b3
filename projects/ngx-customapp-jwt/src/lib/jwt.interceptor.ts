import {
  HttpContext,
  HttpContextToken,
  HttpErrorResponse,
  type HttpEvent,
  type HttpHandler,
  type HttpInterceptor,
  type HttpInterceptorFn,
  type HttpRequest,
} from '@angular/common/http';
import { Injectable, Injector, inject } from '@angular/core';
import { type Observable, catchError, map, of, switchMap, throwError } from 'rxjs';
import { NoFreshJwtError } from './errors';
import { jwtInfoOf, type JwtInfo } from './jwt-group';
import { JwtService } from './jwt.service';
import { NoFreshJwtNotice } from './no-fresh-jwt-notice';
import type { ResolvedJwtConfig } from './resolved-jwt-config';
import { RESOLVED_JWT_CONFIG } from './tokens';

/**
 * Marks a request that `jwtInterceptor` must leave alone. Prefer `skipJwt()`.
 *
 * @example
 * http.post(url, body, { context: new HttpContext().set(JWT_SKIP, true) });
 */
export const JWT_SKIP = new HttpContextToken<boolean>(() => false);

/**
 * The 1.2.x name of `JWT_SKIP` (the same token).
 *
 * @deprecated Use `skipJwt()` (or `JWT_SKIP`) instead; see MIGRATION.md.
 * @example
 * http.post(url, body, { context: new HttpContext().set(disableJwtInterception, true) });
 */
export const disableJwtInterception = JWT_SKIP;

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
 * had the request fails with `NoFreshJwtError` (with a 1.2.x `LegacyJwtConfig`: it is sent without
 * the token, and the `NoFreshJwtListener` is told when `callWhen.interceptorNotFoundJwt`).
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
export const jwtInterceptor: HttpInterceptorFn = (request, next) =>
  interceptWithJwt(request, next, inject(JwtService), inject(RESOLVED_JWT_CONFIG), inject(NoFreshJwtNotice));

/**
 * `jwtInterceptor` as the class 1.2.x registered in `HTTP_INTERCEPTORS` (it needs
 * `withInterceptorsFromDi()`, or `HttpClientModule`).
 *
 * @deprecated Use `provideHttpClient(withInterceptors([jwtInterceptor]))` instead; see MIGRATION.md.
 * @example
 * providers: [{ provide: HTTP_INTERCEPTORS, useClass: JwtInterceptor, multi: true }]
 */
@Injectable()
export class JwtInterceptor<Credentials = unknown, AuthResponse = unknown, UserInfo = unknown, UserId = unknown>
  implements HttpInterceptor
{
  // JwtService is read at the first request, not here: it needs the app's JwtApi, which needs HttpClient.
  private readonly injector = inject(Injector);
  private readonly config = inject(RESOLVED_JWT_CONFIG);

  intercept(req: HttpRequest<any>, next: HttpHandler): Observable<HttpEvent<any>> {
    const jwt = this.injector.get(JwtService);
    return interceptWithJwt(req, (request) => next.handle(request), jwt, this.config, this.injector.get(NoFreshJwtNotice));
  }

  /** `req` with the configured header carrying `accessJwt`. */
  addAccessToken(req: HttpRequest<any>, accessJwt: JwtInfo): HttpRequest<any> {
    return withAccessToken(req, accessJwt, this.config);
  }
}

function interceptWithJwt(
  request: HttpRequest<unknown>,
  next: (request: HttpRequest<unknown>) => Observable<HttpEvent<unknown>>,
  jwt: JwtService,
  config: ResolvedJwtConfig,
  notice: NoFreshJwtNotice,
): Observable<HttpEvent<unknown>> {
  const excluded = config.excludedUrls.some((pattern) =>
    typeof pattern === 'string' ? request.url.startsWith(pattern) : pattern.test(request.url),
  );
  if (excluded || request.context.get(JWT_SKIP) || request.headers.has(config.headerName) || jwt.sendingOwnCall) {
    return next(request);
  }
  if (!jwt.isLoggedIn) {
    notice.notify('interceptorNotFoundJwt', `JwtInterceptor: nobody is logged in to send ${request.url} with a token.`);
    return next(request);
  }
  const send = (token: string) => {
    const current = jwt.jwt?.accessToken;
    return next(withAccessToken(request, current?.token === token ? current : jwtInfoOf(token), config));
  };
  return jwt.freshJwt().pipe(
    map((token): string | null => token),
    catchError((error: unknown) => {
      if (!(error instanceof NoFreshJwtError)) return throwError(() => error);
      notice.notify('interceptorNotFoundJwt', `JwtInterceptor: no fresh token for ${request.url}: ${error.message}`);
      return config.sendWithoutFreshJwt ? of(null) : throwError(() => error);
    }),
    switchMap((token) =>
      token === null
        ? next(request)
        : send(token).pipe(
            catchError((error: unknown) => {
              if (!(error instanceof HttpErrorResponse) || !config.isTokenExpiredResponse(error)) return throwError(() => error);
              return jwt.freshJwt({ rejectedToken: token }).pipe(
                // The refresh failed and the session has ended: the caller learns of the request's own failure.
                catchError(() => throwError(() => error)),
                switchMap((freshToken) => send(freshToken)),
              );
            }),
          ),
    ),
  );
}

function withAccessToken<T>(request: HttpRequest<T>, access: JwtInfo, config: ResolvedJwtConfig): HttpRequest<T> {
  return request.clone({ setHeaders: { [config.headerName]: config.headerValue(access) } });
}

import { Observable, type ObservableInput, defaultIfEmpty, from, take, throwIfEmpty } from 'rxjs';
import { JwtError } from './errors';
import type { JwtApi } from './jwt-api';
import type { JwtInfo } from './jwt-group';
import type { ResolvedJwtConfig } from './resolved-jwt-config';

/**
 * The app's `JwtApi` as `JwtService` calls it: tokens given as `JwtInfo` (passed on as they are to a
 * 1.2.x implementation, as their `token` string to ours), only the first answer taken, and every call
 * made with `sending` set.
 */
export class JwtBackend<Credentials, AuthResponse, UserId> {
  private calls = 0;

  constructor(
    private readonly api: JwtApi<Credentials, AuthResponse, UserId>,
    private readonly takes: ResolvedJwtConfig['apiTakes'],
  ) {}

  /**
   * True while one of these calls is being sent (synchronously, as HttpClient runs its
   * interceptors while it is subscribed): `jwtInterceptor` then lets the call through untouched,
   * since a refresh request that waited for a fresh token would wait for itself.
   */
  get sending(): boolean {
    return this.calls > 0;
  }

  login(credentials: Credentials): Observable<AuthResponse> {
    return this.answer('login', () => this.api.login(credentials));
  }

  /** Answers an auth response (ours) or a `JwtGroup<JwtInfo>` (1.2.x): `ResolvedJwtConfig.tokensFromRefresh` reads either. */
  refresh(refreshToken: JwtInfo): Observable<unknown> {
    return this.answer<unknown>('refresh', () => this.api.refresh(this.token(refreshToken)));
  }

  /** Completes after the first answer, or at once when the call answers nothing. */
  logout(accessToken: JwtInfo, fromAllDevices: boolean): Observable<unknown> {
    return this.send(() => this.api.logout(this.token(accessToken), fromAllDevices)).pipe(take(1), defaultIfEmpty(null));
  }

  /** The login-as call, or `null` when the app's `JwtApi` has none. */
  loginAs(): ((masterAccessToken: JwtInfo, userId: UserId) => Observable<AuthResponse>) | null {
    const loginAs = this.api.loginAs;
    if (!loginAs) return null;
    return (masterAccessToken, userId) => this.answer('loginAs', () => loginAs.call(this.api, this.token(masterAccessToken), userId));
  }

  private token(info: JwtInfo): string | JwtInfo {
    return this.takes === 'jwt-info' ? info : info.token;
  }

  private answer<T>(method: string, request: () => ObservableInput<T>): Observable<T> {
    return this.send(request).pipe(
      take(1),
      throwIfEmpty(() => new JwtError(`JwtApi.${method} completed without an answer.`)),
    );
  }

  private send<T>(request: () => ObservableInput<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      this.calls += 1;
      try {
        return from(request()).subscribe(subscriber);
      } finally {
        this.calls -= 1;
      }
    });
  }
}

import type { ObservableInput } from 'rxjs';

/**
 * What the package needs from your backend. Implement it with `HttpClient` and pass the class to
 * `provideJwt({ api })`. Each method may return an Observable (only its first value is used) or a
 * Promise. Throw or error with the server's answer (an `HttpErrorResponse` is fine): its message
 * becomes the `error` string of the errored action.
 *
 * `jwtInterceptor` leaves these calls alone when `JwtService` makes them (they set their own
 * `Authorization` header where one is needed); marking them with `skipJwt()` as below also keeps it
 * off them when you call them yourself.
 *
 * @example
 * @Injectable()
 * export class AuthApi extends JwtApi<Credentials, AuthResponse, string> {
 *   private readonly http = inject(HttpClient);
 *   private readonly context = skipJwt();
 *   login(credentials: Credentials) {
 *     return this.http.post<AuthResponse>('/api/auth/login', credentials, { context: this.context });
 *   }
 *   refresh(refreshToken: string) {
 *     return this.http.post<AuthResponse>('/api/auth/refresh', { refreshToken }, { context: this.context });
 *   }
 *   logout(accessToken: string, fromAllDevices: boolean) {
 *     const headers = { Authorization: `Bearer ${accessToken}` };
 *     return this.http.post('/api/auth/logout', { fromAllDevices }, { headers, context: this.context });
 *   }
 *   override loginAs(masterAccessToken: string, userId: string) {
 *     const headers = { Authorization: `Bearer ${masterAccessToken}` };
 *     return this.http.post<AuthResponse>('/api/auth/login-as', { userId }, { headers, context: this.context });
 *   }
 * }
 */
export abstract class JwtApi<Credentials = unknown, AuthResponse = unknown, UserId = unknown> {
  /** Exchanges credentials for an auth response (tokens and user). */
  abstract login(credentials: Credentials): ObservableInput<AuthResponse>;

  /** Exchanges a refresh token for a new auth response (the server may rotate the refresh token). */
  abstract refresh(refreshToken: string): ObservableInput<AuthResponse>;

  /**
   * Ends the session of `accessToken` on the server, or every session of its user when
   * `fromAllDevices` is true. A 401 answer counts as done: the session was already over.
   */
  abstract logout(accessToken: string, fromAllDevices: boolean): ObservableInput<unknown>;

  /**
   * Optional: lets the user of `masterAccessToken` (an admin) act as `userId`. Without it,
   * `loginAs` ends in `loginAsErrored`.
   */
  loginAs?(masterAccessToken: string, userId: UserId): ObservableInput<AuthResponse>;
}

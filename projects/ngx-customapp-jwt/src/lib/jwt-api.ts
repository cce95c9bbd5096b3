import type { Observable, ObservableInput } from 'rxjs';
import type { JwtGroup, JwtInfo } from './jwt-group';

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
 * The methods take the tokens as strings. A 1.2.x implementation, given to `JwtModule.forRoot()`
 * as `jwtApi` (function-typed properties that take `JwtInfo` and a `refresh` that answers a
 * `JwtGroup`), compiles against this class too, and is called the 1.2.x way.
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
 *   loginAs(masterAccessToken: string, userId: string) {
 *     const headers = { Authorization: `Bearer ${masterAccessToken}` };
 *     return this.http.post<AuthResponse>('/api/auth/login-as', { userId }, { headers, context: this.context });
 *   }
 * }
 */
export abstract class JwtApi<Credentials = unknown, AuthResponse = unknown, UserId = unknown> {
  // Methods, not properties, so that both method and property implementations compile (TypeScript
  // lets a property implement an abstract method, not a method implement a property), and the
  // token parameters compare bivariantly: `string` (ours) or `JwtInfo` (1.2.x).

  /** Exchanges credentials for an auth response (tokens and user). */
  abstract login(credentials: Credentials): ObservableInput<AuthResponse>;

  /**
   * Exchanges a refresh token for a new auth response (the server may rotate the refresh token).
   * 1.2.x: takes a `JwtInfo` and answers the new tokens as a `JwtGroup<JwtInfo>`.
   */
  abstract refresh(refreshToken: string | JwtInfo): ObservableInput<AuthResponse> | Observable<JwtGroup<JwtInfo>>;

  /**
   * Ends the session of `accessToken` on the server, or every session of its user when
   * `fromAllDevices` is true. A 401 answer counts as done: the session was already over.
   * 1.2.x: takes a `JwtInfo`.
   */
  abstract logout(accessToken: string | JwtInfo, fromAllDevices: boolean): ObservableInput<unknown>;

  /**
   * Lets the user of `masterAccessToken` (an admin) act as `userId`. Optional: a class without
   * login-as declares `loginAs = undefined`, and `loginAs` then ends in `loginAsErrored`
   * (`LoginAsMethodUnimplemented`). 1.2.x: takes a `JwtInfo`.
   */
  abstract loginAs?(masterAccessToken: string | JwtInfo, userId: UserId): ObservableInput<AuthResponse>;
}

/**
 * A class that implements `JwtApi`, as 1.2.x's `JwtConfig.jwtApi` took it.
 *
 * @deprecated Use `Type<JwtApi<…>>` (what `provideJwt({ api })` takes) instead; see MIGRATION.md.
 */
export interface JwtApiConstructor<Credentials, AuthResponse, UserId = number> {
  new (...args: any[]): JwtApi<Credentials, AuthResponse, UserId>;
}

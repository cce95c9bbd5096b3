/**
 * 1.2.x's hook for "a token was needed and none could be had", given to `JwtModule.forRoot()` as
 * `noFreshJwt.service`. It is called as `noFreshJwt.callWhen` says: by `JwtInterceptor` /
 * `jwtInterceptor` (`interceptorNotFoundJwt`), `JwtGuard` / `jwtGuard` (`guardNotFoundJwt`), `loginAs`
 * (`loginAsJwtNotFound`), and by `JwtService.freshJwt(false)` / `withFreshJwt()` when any of the
 * three is set. With all three `false` it is never called. `message` says where it was called from.
 *
 * @deprecated Use `provideJwt({ onNoFreshJwt })`, which runs once when a session ends; see MIGRATION.md.
 * @example
 * @Injectable({ providedIn: 'root' })
 * export class ToLoginPage implements NoFreshJwtListener {
 *   private readonly router = inject(Router);
 *   noFreshJwt(message: string) { this.router.navigateByUrl('/login'); }
 * }
 */
export abstract class NoFreshJwtListener {
  // A method, so that both method and property implementations compile.
  abstract noFreshJwt(message: string): void;
}

/**
 * A class that implements `NoFreshJwtListener`, as 1.2.x's `JwtConfig.noFreshJwt.service` took it.
 *
 * @deprecated Use `provideJwt({ onNoFreshJwt })` instead; see MIGRATION.md.
 */
export interface NoFreshJwtListenerConstructor {
  new (...args: any[]): NoFreshJwtListener;
}

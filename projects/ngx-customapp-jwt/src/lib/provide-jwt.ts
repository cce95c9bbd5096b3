import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';
import { provideState } from '@ngrx/store';
import type { JwtConfig } from './jwt-config';
import { jwtFeature } from './jwt-feature';
import { jwtCoreProviders } from './jwt-providers';
import { jwtEffects } from './jwt.effects';

/**
 * Sets the package up in a standalone app: `JwtService`, your `JwtApi`, the `jwt` store feature and
 * the effects. Needs `provideStore()` and `provideEffects()` (the root ones) before it; add
 * `jwtInterceptor` to `provideHttpClient()` yourself. Call it once, in the root providers.
 *
 * @example
 * bootstrapApplication(App, {
 *   providers: [
 *     provideHttpClient(withInterceptors([jwtInterceptor])),
 *     provideRouter(routes),
 *     provideStore(),
 *     provideEffects(),
 *     provideJwt({ api: AuthApi, excludedUrls: ['/api/auth/'], loginUrl: '/login' }),
 *   ],
 * });
 */
export function provideJwt<Credentials, AuthResponse, UserInfo, UserId>(
  config: JwtConfig<Credentials, AuthResponse, UserInfo, UserId>,
): EnvironmentProviders {
  return makeEnvironmentProviders([
    jwtCoreProviders(config, 'provideJwt()'),
    provideState(jwtFeature),
    provideEffects(jwtEffects),
  ]);
}

import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';
import { provideState } from '@ngrx/store';
import type { JwtConfig } from './jwt-config';
import { jwtFeature } from './jwt-feature';
import { jwtCoreProviders } from './jwt-providers';
import { JwtEffects } from './jwt.effects';

/**
 * Sets the package up in a standalone app: `JwtService`, your `JwtApi`, the store feature (under
 * `JWT_FEATURE_KEY`) and the effects. Takes a `ProvideJwtConfig`, or 1.2.x's `LegacyJwtConfig`. Needs `provideStore()` and `provideEffects()` (the root ones) before it; add
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
export function provideJwt<Credentials, AuthResponse, UserInfo, UserId = unknown>(
  config: JwtConfig<Credentials, AuthResponse, UserInfo, UserId>,
): EnvironmentProviders {
  return makeEnvironmentProviders([
    jwtCoreProviders(config, 'provideJwt()'),
    provideState(jwtFeature),
    provideEffects(JwtEffects),
  ]);
}

import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';
import { provideState } from '@ngrx/store';
import { authBeforeSocketCoreProviders } from './auth-before-socket-providers';
import { loginAndInitEffects } from './login-and-init.effects';
import type { AuthBeforeSocketConfig } from './socket-config';
import { socketsFeature } from './sockets-feature';
import { SocketsEffects } from './sockets.effects';

/**
 * Sets the package up in a standalone app: `WebSocketsOwnerService` with the chain's sockets, the
 * store feature under `socketsFeatureKey`, and the effects that open the sockets after every login
 * and close them after logout. Needs `provideStore()`, `provideEffects()` and `provideJwt()` (from
 * `ngx-customapp-jwt`) before it. Call it once, in the root providers.
 *
 * @example
 * bootstrapApplication(App, {
 *   providers: [
 *     provideHttpClient(withInterceptors([jwtInterceptor])),
 *     provideStore(),
 *     provideEffects(),
 *     provideJwt({ api: AuthApi }),
 *     provideAuthBeforeSocket(socketsConfig),
 *   ],
 * });
 */
export function provideAuthBeforeSocket<Req, Res, Data, UserInfo>(config: AuthBeforeSocketConfig<Req, Res, Data, UserInfo>): EnvironmentProviders {
  return makeEnvironmentProviders([
    authBeforeSocketCoreProviders(config, 'provideAuthBeforeSocket()'),
    provideState(socketsFeature),
    provideEffects(SocketsEffects, loginAndInitEffects),
  ]);
}

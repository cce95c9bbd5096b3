import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';
import { provideState } from '@ngrx/store';
import { authBeforeSocketCoreProviders } from './auth-before-socket-providers';
import { loginAndInitEffects } from './login-and-init.effects';
import type { AuthBeforeSocketConfig } from './socket-config';
import type { WebSocketChain } from './web-socket-chain';
import { socketsFeature } from './sockets-feature';
import { SocketsEffects } from './sockets.effects';

/**
 * `provideAuthBeforeSocket()` (see the next overload) for a chain in the 1.2.x shape, whose callbacks get the tokens as a `JwtGroup<JwtInfo>`.
 * (This overload comes first so that TypeScript types the callbacks of a 1.2.x chain written inline
 * by it; a configuration with any option 1.3 added does not match it.)
 *
 * @deprecated Pass an AuthBeforeSocketConfig instead; see MIGRATION.md.
 */
export function provideAuthBeforeSocket<Req, Res, Data, UserInfo>(chain: WebSocketChain<Req, Res, Data, UserInfo>): EnvironmentProviders;
/**
 * Sets the package up in a standalone app: `WebSocketsOwnerService` with the chain's sockets, the
 * store feature under `socketsFeatureKey`, and the effects that open the sockets after every login
 * and close them after logout. Needs `provideStore()`, `provideEffects()` and `provideJwt()` (from
 * `ngx-customapp-jwt`) before it. Call it once, in the root providers. It also takes a 1.2.x
 * `WebSocketChain` (see MIGRATION.md for how one is told from an `AuthBeforeSocketConfig`).
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
export function provideAuthBeforeSocket<Req, Res, Data, UserInfo>(config: AuthBeforeSocketConfig<Req, Res, Data, UserInfo>): EnvironmentProviders;
export function provideAuthBeforeSocket<Req, Res, Data, UserInfo>(
  config: AuthBeforeSocketConfig<Req, Res, Data, UserInfo> | WebSocketChain<Req, Res, Data, UserInfo>,
): EnvironmentProviders {
  return makeEnvironmentProviders([
    authBeforeSocketCoreProviders(config, 'provideAuthBeforeSocket()'),
    provideState(socketsFeature),
    provideEffects(SocketsEffects, loginAndInitEffects),
  ]);
}

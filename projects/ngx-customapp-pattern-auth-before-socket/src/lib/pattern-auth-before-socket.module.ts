import { importProvidersFrom, inject, type ModuleWithProviders, NgModule } from '@angular/core';
import { EffectsModule } from '@ngrx/effects';
import { StoreModule } from '@ngrx/store';
import { authBeforeSocketCoreProviders } from './auth-before-socket-providers';
import { AuthBeforeSocketConfigError } from './errors';
import { loginAndInitEffects } from './login-and-init.effects';
import type { AuthBeforeSocketConfig } from './socket-config';
import { socketsFeature } from './sockets-feature';
import { SocketsEffects } from './sockets.effects';
import { AUTH_BEFORE_SOCKET_CONFIG } from './tokens';

/**
 * Sets the package up in an NgModule app: the same providers as `provideAuthBeforeSocket()`, with the
 * store feature and effects registered through `StoreModule.forFeature` / `EffectsModule.forFeature`.
 * Needs `StoreModule.forRoot()`, `EffectsModule.forRoot()` and `JwtModule.forRoot()` in the same app.
 * Import it once, with `forRoot`, in the root module; a second `forRoot` is an error, and so is the
 * module without `forRoot`.
 *
 * @example
 * @NgModule({
 *   imports: [
 *     StoreModule.forRoot({}),
 *     EffectsModule.forRoot([]),
 *     JwtModule.forRoot({ api: AuthApi }),
 *     PatternAuthBeforeSocketModule.forRoot(socketsConfig),
 *   ],
 * })
 * export class AppModule {}
 */
// The module imports nothing: the feature modules come with forRoot's providers, after the config. So
// the module without forRoot fails here, with a sentence, before any effect asks for the chain, and
// its compiled declaration names no class of the package that the entry point does not export.
@NgModule({})
export class PatternAuthBeforeSocketModule {
  constructor() {
    if (!inject(AUTH_BEFORE_SOCKET_CONFIG, { optional: true })) {
      throw new AuthBeforeSocketConfigError(
        'PatternAuthBeforeSocketModule was imported without configuration: import PatternAuthBeforeSocketModule.forRoot(config) instead.',
      );
    }
  }

  /** The module with its providers; see the class documentation. */
  static forRoot<Req, Res, Data, UserInfo>(
    config: AuthBeforeSocketConfig<Req, Res, Data, UserInfo>,
  ): ModuleWithProviders<PatternAuthBeforeSocketModule> {
    return {
      ngModule: PatternAuthBeforeSocketModule,
      providers: [
        authBeforeSocketCoreProviders(config, 'PatternAuthBeforeSocketModule.forRoot()'),
        importProvidersFrom(StoreModule.forFeature(socketsFeature), EffectsModule.forFeature(SocketsEffects, loginAndInitEffects)),
      ],
    };
  }
}

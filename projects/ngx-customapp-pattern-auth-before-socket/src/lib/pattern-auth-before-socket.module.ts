import { importProvidersFrom, inject, type ModuleWithProviders, NgModule } from '@angular/core';
import { EffectsModule } from '@ngrx/effects';
import { StoreModule } from '@ngrx/store';
import { authBeforeSocketCoreProviders } from './auth-before-socket-providers';
import { AuthBeforeSocketConfigError } from './errors';
import { loginAndInitEffects } from './login-and-init.effects';
import type { AuthBeforeSocketConfig } from './socket-config';
import type { WebSocketChain } from './web-socket-chain';
import { socketsFeature } from './sockets-feature';
import { SocketsEffects } from './sockets.effects';
import { AUTH_BEFORE_SOCKET_CONFIG } from './tokens';

/**
 * Sets the package up in an NgModule app: the same providers as `provideAuthBeforeSocket()`, with the
 * store feature and effects registered through `StoreModule.forFeature` / `EffectsModule.forFeature`.
 * Needs `StoreModule.forRoot()`, `EffectsModule.forRoot()` and `JwtModule.forRoot()` in the same app.
 * Import it once, with `forRoot`, in the root module; a second `forRoot` is an error, and so is the
 * module without `forRoot`. `forRoot` also takes a 1.2.x `WebSocketChain` (see MIGRATION.md).
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

  /**
   * The module for a chain in the 1.2.x shape, whose callbacks get the tokens as a `JwtGroup<JwtInfo>`.
   * (This overload comes first so that TypeScript types the callbacks of a 1.2.x chain written inline
   * by it; a configuration with any option 1.3 added does not match it.)
   *
   * @deprecated Pass an AuthBeforeSocketConfig instead; see MIGRATION.md.
   */
  static forRoot<Req, Res, Data, UserInfo>(chain: WebSocketChain<Req, Res, Data, UserInfo>): ModuleWithProviders<PatternAuthBeforeSocketModule>;
  /** The module with its providers; see the class documentation. */
  static forRoot<Req, Res, Data, UserInfo>(
    config: AuthBeforeSocketConfig<Req, Res, Data, UserInfo>,
  ): ModuleWithProviders<PatternAuthBeforeSocketModule>;
  static forRoot<Req, Res, Data, UserInfo>(
    config: AuthBeforeSocketConfig<Req, Res, Data, UserInfo> | WebSocketChain<Req, Res, Data, UserInfo>,
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

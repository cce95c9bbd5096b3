import { type ModuleWithProviders, NgModule, inject } from '@angular/core';
import { EffectsModule } from '@ngrx/effects';
import { StoreModule } from '@ngrx/store';
import { JwtConfigError } from './errors';
import type { JwtConfig } from './jwt-config';
import { jwtFeature } from './jwt-feature';
import { jwtCoreProviders } from './jwt-providers';
import { JwtEffects } from './jwt.effects';
import { JWT_CONFIG } from './tokens';

/**
 * Imported first by `JwtModule`, so a missing `forRoot` is reported before the effects need the config.
 * Exported (as `ɵJwtConfigCheckModule`) only because the compiled declarations of `JwtModule` name it.
 */
@NgModule({})
export class JwtConfigCheckModule {
  constructor() {
    if (!inject(JWT_CONFIG, { optional: true })) {
      throw new JwtConfigError('JwtModule was imported without configuration: import JwtModule.forRoot({ api, ... }) instead.');
    }
  }
}

/**
 * Sets the package up in an NgModule app: the same providers as `provideJwt()`, with the store
 * feature and effects registered through `StoreModule.forFeature` / `EffectsModule.forFeature`, so
 * it needs `StoreModule.forRoot()` and `EffectsModule.forRoot()` in the same app. Import it once, with
 * `forRoot`, in the root module; a second `forRoot` is an error.
 *
 * @example
 * @NgModule({
 *   imports: [StoreModule.forRoot({}), EffectsModule.forRoot([]), JwtModule.forRoot({ api: AuthApi, loginUrl: '/login' })],
 *   providers: [provideHttpClient(withInterceptors([jwtInterceptor]))],
 * })
 * export class AppModule {}
 */
@NgModule({
  imports: [JwtConfigCheckModule, StoreModule.forFeature(jwtFeature), EffectsModule.forFeature([JwtEffects])],
})
export class JwtModule {
  /**
   * The module with its providers; see the class documentation. Takes a `ProvideJwtConfig`, or the
   * configuration of 1.2.x (`LegacyJwtConfig`, told apart by its `jwtApi`).
   */
  static forRoot<Credentials, AuthResponse, UserInfo, UserId = number>(
    config: JwtConfig<Credentials, AuthResponse, UserInfo, UserId>,
  ): ModuleWithProviders<JwtModule> {
    return { ngModule: JwtModule, providers: [jwtCoreProviders(config, 'JwtModule.forRoot()')] };
  }
}

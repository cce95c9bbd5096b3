import { type EnvironmentProviders, InjectionToken, type Provider, inject, provideEnvironmentInitializer } from '@angular/core';
import { JwtConfigError } from './errors';
import { JwtApi } from './jwt-api';
import { type JwtConfig, isLegacyJwtConfig, resolveJwtConfig } from './jwt-config';
import { JwtService } from './jwt.service';
import { NoFreshJwtListener } from './no-fresh-jwt-listener';
import { JWT_CONFIG, RESOLVED_JWT_CONFIG } from './tokens';

/** One entry per setup of the package in an injector, naming how it was set up. */
const JWT_SETUPS = new InjectionToken<readonly string[]>('ngx-customapp-jwt setups');

/**
 * The providers `provideJwt()` and `JwtModule.forRoot()` share (everything but the store feature and
 * the effects, which each registers its own way), with a check that the package is set up once.
 * A 1.2.x config's `jwtApi` and `noFreshJwt.service` are only aliased, as 1.2.x did: those classes
 * are injectable on their own (`providedIn: 'root'`), and providing them here would make a second
 * instance beside the app's.
 */
export function jwtCoreProviders<Credentials, AuthResponse, UserInfo, UserId>(
  config: JwtConfig<Credentials, AuthResponse, UserInfo, UserId>,
  setup: string,
): (Provider | EnvironmentProviders)[] {
  const apiProviders: Provider[] = isLegacyJwtConfig(config)
    ? [
        { provide: JwtApi, useExisting: config.jwtApi },
        { provide: NoFreshJwtListener, useExisting: config.noFreshJwt.service },
      ]
    : [config.api, { provide: JwtApi, useExisting: config.api }];
  return [
    { provide: JWT_SETUPS, multi: true, useValue: setup },
    { provide: JWT_CONFIG, useValue: config },
    { provide: RESOLVED_JWT_CONFIG, useValue: resolveJwtConfig(config) },
    apiProviders,
    JwtService,
    provideEnvironmentInitializer(() => {
      const setups = inject(JWT_SETUPS);
      if (setups.length > 1) {
        throw new JwtConfigError(
          `ngx-customapp-jwt is set up ${setups.length} times in one injector (${setups.join(', ')}): ` +
            'call provideJwt() or JwtModule.forRoot() once, in the root providers.',
        );
      }
      const parent = inject(JWT_SETUPS, { skipSelf: true, optional: true });
      if (parent) {
        throw new JwtConfigError(
          `ngx-customapp-jwt is already set up by ${parent.join(', ')} in a parent injector; ${setup} here would ` +
            'make a second JwtService with its own tokens. Set it up once, in the root providers.',
        );
      }
    }),
  ];
}

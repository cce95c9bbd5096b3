import { type EnvironmentProviders, inject, provideEnvironmentInitializer, type Provider } from '@angular/core';
import { AuthBeforeSocketConfigError } from './errors';
import type { WebSocketChain } from './socket-config';
import { AUTH_BEFORE_SOCKET_CONFIG, AUTH_BEFORE_SOCKET_SETUPS } from './tokens';
import { WebSocketsOwnerService } from './websockets-owner.service';

/**
 * The providers `provideAuthBeforeSocket()` and `PatternAuthBeforeSocketModule.forRoot()` share
 * (everything but the store feature and the effects), with a check that the package is set up once.
 */
export function authBeforeSocketCoreProviders<Req, Res, Data, UserInfo>(
  config: WebSocketChain<Req, Res, Data, UserInfo>,
  setup: string,
): (Provider | EnvironmentProviders)[] {
  return [
    { provide: AUTH_BEFORE_SOCKET_SETUPS, multi: true, useValue: setup },
    { provide: AUTH_BEFORE_SOCKET_CONFIG, useValue: config },
    WebSocketsOwnerService,
    provideEnvironmentInitializer(() => {
      const setups = inject(AUTH_BEFORE_SOCKET_SETUPS);
      if (setups.length > 1) {
        throw new AuthBeforeSocketConfigError(
          `ngx-customapp-pattern-auth-before-socket is set up ${setups.length} times in one injector (${setups.join(', ')}): ` +
            'call provideAuthBeforeSocket() or PatternAuthBeforeSocketModule.forRoot() once, in the root providers.',
        );
      }
      const parent = inject(AUTH_BEFORE_SOCKET_SETUPS, { skipSelf: true, optional: true });
      if (parent) {
        throw new AuthBeforeSocketConfigError(
          `ngx-customapp-pattern-auth-before-socket is already set up by ${parent.join(', ')} in a parent injector; ` +
            `${setup} here would open a second set of sockets. Set it up once, in the root providers.`,
        );
      }
    }),
  ];
}

import { type EnvironmentProviders, inject, provideEnvironmentInitializer, type Provider } from '@angular/core';
import { JwtService } from 'ngx-customapp-jwt';
import { AuthBeforeSocketConfigError } from './errors';
import type { AuthBeforeSocketConfig } from './socket-config';
import { AUTH_BEFORE_SOCKET_CONFIG, AUTH_BEFORE_SOCKET_SETUPS } from './tokens';
import type { WebSocketChain } from './web-socket-chain';
import { fromWebSocketChain, isWebSocketChain } from './web-socket-chain-adapter';
import { WebSocketsOwnerService } from './websockets-owner.service';

/**
 * The providers `provideAuthBeforeSocket()` and `PatternAuthBeforeSocketModule.forRoot()` share
 * (everything but the store feature and the effects, which each registers the way its kind of app
 * registers them), with a check that the package is set up once.
 */
export function authBeforeSocketCoreProviders<Req, Res, Data, UserInfo>(
  config: AuthBeforeSocketConfig<Req, Res, Data, UserInfo> | WebSocketChain<Req, Res, Data, UserInfo>,
  setup: string,
): (Provider | EnvironmentProviders)[] {
  validateChain(config as AuthBeforeSocketConfig<unknown, unknown, unknown, unknown>, setup);
  return [
    { provide: AUTH_BEFORE_SOCKET_SETUPS, multi: true, useValue: setup },
    isWebSocketChain(config)
      ? { provide: AUTH_BEFORE_SOCKET_CONFIG, useFactory: () => fromWebSocketChain(config, inject(JwtService)) }
      : { provide: AUTH_BEFORE_SOCKET_CONFIG, useValue: config },
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

/** Throws on a chain that cannot work, when the app is configured rather than at the first login. */
function validateChain(config: AuthBeforeSocketConfig<unknown, unknown, unknown, unknown>, setup: string): void {
  const first = config?.chain?.sockets;
  if (!first || first.length === 0) {
    throw new AuthBeforeSocketConfigError(
      `${setup}: the chain has no sockets. Give chain.sockets at least one SocketConfig.`,
    );
  }
  const ids = first.map(({ socketId }) => socketId);
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated !== undefined) {
    throw new AuthBeforeSocketConfigError(`${setup}: two sockets of the chain's first link have the id "${repeated}". Give each its own.`);
  }
}

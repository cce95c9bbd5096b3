import { InjectionToken } from '@angular/core';
import type { WebSocketCtor } from 'customapp-rxjs-websocket';
import type { AuthBeforeSocketConfig } from './socket-config';

/**
 * The chain given to `provideAuthBeforeSocket()` / `PatternAuthBeforeSocketModule.forRoot()`.
 *
 * @example
 * const chain = inject(AUTH_BEFORE_SOCKET_CONFIG);
 */
export const AUTH_BEFORE_SOCKET_CONFIG = new InjectionToken<AuthBeforeSocketConfig<unknown, unknown, unknown, unknown>>(
  'ngx-customapp-pattern-auth-before-socket config (set up the package with provideAuthBeforeSocket() or PatternAuthBeforeSocketModule.forRoot())',
);

/**
 * A WebSocket constructor that every socket uses instead of the one in the config: scripted sockets
 * in tests (see `provideAuthBeforeSocketTesting()` in the `testing` entry point), `ws` under SSR.
 *
 * @example
 * providers: [{ provide: SOCKETS_WEBSOCKET_CTOR, useValue: new FakeSockets().Ctor }];
 */
export const SOCKETS_WEBSOCKET_CTOR = new InjectionToken<WebSocketCtor>('ngx-customapp-pattern-auth-before-socket WebSocket constructor');

/** One entry per setup of the package in an injector, naming how it was set up. */
export const AUTH_BEFORE_SOCKET_SETUPS = new InjectionToken<readonly string[]>('ngx-customapp-pattern-auth-before-socket setups');

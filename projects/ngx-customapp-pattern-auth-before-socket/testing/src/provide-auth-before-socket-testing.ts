import { type EnvironmentProviders, inject, makeEnvironmentProviders } from '@angular/core';
import { SOCKETS_WEBSOCKET_CTOR } from 'ngx-customapp-pattern-auth-before-socket';
import { SocketsTestingController } from './sockets-testing-controller';

/**
 * Swaps the real WebSockets of the package for scripted ones, for an app's own tests. Add it after
 * `provideAuthBeforeSocket()` (or the module's `forRoot`); script the server side through
 * `SocketsTestingController`.
 *
 * @example
 * TestBed.configureTestingModule({
 *   providers: [provideStore(), provideEffects(), provideFakeJwt(), provideAuthBeforeSocket(config), provideAuthBeforeSocketTesting()],
 * });
 * const server = TestBed.inject(SocketsTestingController);
 */
export function provideAuthBeforeSocketTesting(): EnvironmentProviders {
  return makeEnvironmentProviders([
    SocketsTestingController,
    { provide: SOCKETS_WEBSOCKET_CTOR, useFactory: () => inject(SocketsTestingController).Ctor },
  ]);
}

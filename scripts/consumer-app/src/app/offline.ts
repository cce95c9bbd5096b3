import type { EnvironmentProviders, Provider } from '@angular/core';
import { FakeSockets, type FakeWebSocket } from 'customapp-rxjs-websocket/testing';
import { FAKE_JWT_USERS, provideFakeJwt } from 'ngx-customapp-jwt/testing';
import { provideAuthBeforeSocketTesting } from 'ngx-customapp-pattern-auth-before-socket/testing';
import { authActions, isUser } from './auth';
import { ROOMS_WEBSOCKET_CTOR } from './rooms';
import type { ApiRequest, ApiResponse } from './sockets';

/** The offline mode: an in-memory auth backend and scripted sockets, answered by `answerOffline`. */
export function provideOfflineBackend(): (Provider | EnvironmentProviders)[] {
  return [
    provideFakeJwt({ actions: authActions, isUserInfo: isUser }),
    provideAuthBeforeSocketTesting(),
    { provide: ROOMS_WEBSOCKET_CTOR, useValue: new FakeSockets().Ctor },
  ];
}

/** The seeded sign-ins of the offline backend. */
export const offlineLogins = FAKE_JWT_USERS.map(({ login, password }) => ({ login, password }));

/** Plays the server of a scripted socket: accepts it and answers every request it sent. */
export function answerOffline(socket: FakeWebSocket): void {
  if (socket.readyState === 0) socket.accept(); // CONNECTING
  for (const frame of socket.sentJson as ApiRequest[]) {
    const answer: ApiResponse = frame.auth ? { id: frame.id, auth: { user: FAKE_JWT_USERS[0] } } : { id: frame.id };
    socket.receiveJson(answer);
  }
}

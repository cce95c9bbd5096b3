// A small JSON protocol for the unit specs, spoken by scripted sockets (SocketsTestingController):
// the same shape as the e2e-server's JSON frames, so the specs read like the real thing.
import type { FakeWebSocket } from 'customapp-rxjs-websocket/testing';
import type { FakeJwtUser } from 'ngx-customapp-jwt/testing';
import { decodeJwtPayload } from 'ngx-customapp-jwt';
import type { SocketConfig, AuthBeforeSocketConfig } from '../public-api';

export interface JsonRequest {
  id: number;
  auth?: { accessToken: string };
  sub?: { kind: string };
  menuAdd?: { name: string };
}

export interface JsonResponse {
  id?: number;
  error?: { code: string; message: string };
  auth?: { userId: string };
  subscribed?: { kind: string };
  menuAdd?: { category: { id: string; name: string } };
  sub?: { kind: string; categoryUpdate?: { id: string; name: string } };
}

export type FakeChain = AuthBeforeSocketConfig<JsonRequest, JsonResponse, string, FakeJwtUser>;
export type FakeSocketConfig = SocketConfig<JsonRequest, JsonResponse, string, FakeJwtUser>;

export const MAIN_URL = 'ws://fake.test/categories';
export const NOTIFICATIONS_URL = 'ws://fake.test/notifications';

/** A socket that authorizes with the token and subscribes to one kind. */
export function fakeSocket(socketId: string, url: string | (() => string), kind: string): FakeSocketConfig {
  return {
    socketId,
    url,
    authorize: {
      createRequest: (_user, jwt) => ({ id: 0, auth: { accessToken: jwt } }),
      isTokenExpiredResponse: (response) => response.error?.code === 'TOKEN_EXPIRED',
    },
    subscribe: { createRequests: () => [{ id: 0, sub: { kind } }] },
  };
}

/** Two sockets in one link, reconnecting after 10 ms; the default close codes (the e2e-server's). */
export function fakeChain(overrides: Partial<FakeChain> = {}): FakeChain {
  return {
    commonConfig: {
      isErrorResponse: (response) => !!response.error,
      describeError: (response) => response.error?.message ?? 'error',
      closeTimeout: 200,
    },
    commonOpenOptions: { autoReconnect: { interval: () => 10 } },
    chain: { sockets: [fakeSocket('main', MAIN_URL, 'CATEGORIES'), fakeSocket('notifications', NOTIFICATIONS_URL, 'NOTIFICATIONS')] },
    ...overrides,
  };
}

/** The requests a socket sent, parsed. */
export function sent(socket: FakeWebSocket): JsonRequest[] {
  return socket.sentJson as JsonRequest[];
}

/** The access token of the socket's last auth request. */
export function lastAuthToken(socket: FakeWebSocket): string | undefined {
  return sent(socket)
    .filter((request) => request.auth)
    .pop()?.auth?.accessToken;
}

/**
 * Plays the server for one socket: completes the handshake, accepts (or refuses) the auth request
 * and acknowledges every subscription.
 */
export function serve(socket: FakeWebSocket, options: { refuseAuth?: { code: string; message: string } } = {}): void {
  if (socket.readyState === 0) socket.accept();
  const auth = sent(socket).filter((request) => request.auth).pop();
  if (!auth) throw new Error(`${socket.url} sent no auth request`);
  if (options.refuseAuth) {
    socket.receiveJson({ id: auth.id, error: options.refuseAuth });
    return;
  }
  const userId = String(decodeJwtPayload(auth.auth!.accessToken)?.['sub']);
  socket.receiveJson({ id: auth.id, auth: { userId } });
  const subs = sent(socket).slice(sent(socket).indexOf(auth)).filter((request) => request.sub);
  for (const sub of subs) socket.receiveJson({ id: sub.id, subscribed: { kind: sub.sub!.kind } });
}

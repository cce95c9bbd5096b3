import { DEFAULT_FATAL_CLOSE_CODES } from 'customapp-rxjs-websocket';
import type { AuthBeforeSocketConfig } from 'ngx-customapp-pattern-auth-before-socket';
import type { User } from './auth';

/** A request of the app's JSON protocol; the socket stamps its `id`. */
export interface ApiRequest {
  readonly id: number;
  readonly auth?: { readonly accessToken: string };
  readonly sub?: { readonly kind: 'CATEGORIES' | 'NOTIFICATIONS' };
  readonly menuAdd?: { readonly name: string };
}

/** A response or a push. */
export interface ApiResponse {
  readonly id?: number;
  readonly error?: { readonly code: string; readonly message: string };
  readonly auth?: { readonly user: User };
  readonly menuAdd?: { readonly category: { readonly id: string; readonly name: string } };
  readonly push?: { readonly kind: string; readonly payload: unknown };
}

export const mainSocketId = 'main';

/** The sockets opened after every sign-in. */
export const socketsConfig: AuthBeforeSocketConfig<ApiRequest, ApiResponse, string, User> = {
  commonConfig: {
    serializer: (request) => JSON.stringify(request),
    deserializer: (event) => JSON.parse(event.data) as ApiResponse,
    isErrorResponse: (response) => !!response.error,
    describeError: (response) => response.error?.message ?? 'The server refused the request.',
    fatalCloseCodes: [...DEFAULT_FATAL_CLOSE_CODES, 4401],
    tokenExpiredCloseCodes: [4419],
  },
  commonOpenOptions: { autoReconnect: { interval: ({ attempt }) => Math.min(10_000, 250 * 2 ** attempt) } },
  chain: {
    sockets: [
      {
        socketId: mainSocketId,
        url: () => `${location.origin.replace(/^http/, 'ws')}/ws`,
        authorize: {
          createRequest: (_user, jwt) => ({ id: 0, auth: { accessToken: jwt } }),
          isTokenExpiredResponse: (response) => response.error?.code === 'TOKEN_EXPIRED',
        },
        subscribe: {
          createRequests: (user) => [
            { id: 0, sub: { kind: 'NOTIFICATIONS' } },
            ...(user.role === 'VIEWER' ? [] : [{ id: 0, sub: { kind: 'CATEGORIES' } } as const]),
          ],
        },
      },
    ],
  },
};

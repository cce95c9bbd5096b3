import { api, CLIENT_CLOSE_POLICY, CLIENT_RECOVERY, decodeResponse, encodeRequest, Subprotocol } from '@e2e-server/protocol';
import type { AuthBeforeSocketConfig } from 'ngx-customapp-pattern-auth-before-socket';
import type { User } from '../auth/auth';
import type { DemoConfig } from '../demo-config';

/** A request as the app writes it (protobuf properties); the socket stamps its `id`. */
export type SocketRequest = api.Request.$Properties;
/** A decoded response or push. */
export type SocketResponse = api.Response;
/** A binary frame (the sockets use binaryType 'arraybuffer'). */
export type SocketFrame = ArrayBuffer;

/** The two sockets of the app. */
export const SocketId = {
  /** `/ws`: the menu (requests, the CATEGORIES subscription, and AUDIT_LOG for admins). */
  main: 'main',
  /** `/ws/notifications`: the NOTIFICATIONS subscription. */
  notifications: 'notifications',
} as const;
export type SocketId = (typeof SocketId)[keyof typeof SocketId];

const authorize = {
  createRequest: (_user: User, jwt: string): SocketRequest => ({ id: 0, auth: { accessToken: jwt } }),
  // The token aged between the refresh and the auth: the socket refreshes it once more and retries.
  isTokenExpiredResponse: (response: SocketResponse) => response.error?.code === api.ErrorCode.TOKEN_EXPIRED,
};

// Each token JwtService renews (ahead of its expiry) goes to the open socket, which stays up; a server
// that refuses it gets a reconnect with the new token instead.
const reauthorize = {
  createRequest: (_user: User, jwt: string): SocketRequest => ({ id: 0, reauth: { accessToken: jwt } }),
};

const subscribeTo = (kind: api.SubKind): SocketRequest => ({ id: 0, sub: { kind } });

/**
 * The sockets the app opens after every sign-in: both at once, each authorizing with the current
 * access token and then subscribing; both renew their token in band, and resume their subscriptions
 * after a reconnect from the last push they got.
 */
export function createSocketChain(config: DemoConfig): AuthBeforeSocketConfig<SocketRequest, SocketResponse, SocketFrame, User> {
  return {
    commonConfig: {
      binaryType: 'arraybuffer',
      // protobufjs may hand back a view of a larger buffer: slice() gives the frame its own.
      serializer: (request) => encodeRequest(request).slice().buffer,
      deserializer: (event) => decodeResponse(new Uint8Array(event.data)),
      isErrorResponse: (response) => !!response.error,
      describeError: (response) => response.error?.message || 'The server refused the request.',
      requestTimeout: 10_000,
      // The server's close policy, which is customapp-rxjs-websocket's default lists (one place for
      // every close code): stop for good where a reconnect would be refused the same way (the session
      // logged out or refused, a protocol the server will not take), refresh the token and reconnect
      // at once when it expired, reconnect with backoff after any other close.
      ...CLIENT_CLOSE_POLICY,
      // Browsers cannot send ping frames: an application ping notices a dead connection.
      heartbeat: { createRequest: () => ({ id: 0, ping: { clientTime: Date.now() } }), interval: 25_000, timeout: 10_000 },
      // After a reconnect each subscription asks for the pushes missed meanwhile (see socketRecovered).
      recovery: CLIENT_RECOVERY,
    },
    commonOpenOptions: {
      autoReconnect: { interval: ({ attempt }) => Math.min(10_000, 250 * 2 ** (attempt - 1)) },
    },
    chain: {
      sockets: [
        {
          socketId: SocketId.main,
          url: config.wsUrl,
          protocol: Subprotocol.Protobuf,
          authorize,
          reauthorize,
          subscribe: {
            // What the server says about who we are decides the subscriptions: only admins get the audit log.
            createRequests: (_user, _jwt, authResponse) => [
              subscribeTo(api.SubKind.CATEGORIES),
              ...(authResponse?.auth?.user?.role === api.Role.ADMIN ? [subscribeTo(api.SubKind.AUDIT_LOG)] : []),
            ],
          },
        },
        {
          socketId: SocketId.notifications,
          url: config.notificationsUrl,
          protocol: Subprotocol.Protobuf,
          authorize,
          reauthorize,
          subscribe: { createRequests: () => [subscribeTo(api.SubKind.NOTIFICATIONS)] },
        },
      ],
    },
  };
}

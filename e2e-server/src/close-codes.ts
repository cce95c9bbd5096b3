// The close codes of the e2e-server's sockets and a client's policy for them. Apart from codes.ts so
// that a client can take them without the generated protocol code (see protocol-lean.ts).
import { DEFAULT_FATAL_CLOSE_CODES, DEFAULT_TOKEN_EXPIRED_CLOSE_CODES } from '../../projects/customapp-rxjs-websocket/src/lib/config.js';

/**
 * The close codes of the e2e-server's sockets. A client decides from the code alone whether to
 * reconnect, refresh its token first, or stop for good.
 *
 * @example
 * socket.addEventListener('close', (e) => { if (e.code === CloseCode.TokenExpired) refreshAndReconnect(); });
 */
export enum CloseCode {
  /** Closed on purpose by the client (or by the server when nothing went wrong); nothing to retry. */
  Normal = 1000,
  /** The server is shutting down (SIGINT/SIGTERM or `close()`): reconnect later. */
  GoingAway = 1001,
  /** The bytes broke the WebSocket protocol itself (RFC 6455: unmasked frame, bad opcode…); sent by `ws`. */
  ProtocolError = 1002,
  /** Dialect endpoints only: more messages waited behind a slow one (a token check) than a socket may queue. */
  PolicyViolation = 1008,
  /** A frame was larger than `maxPayload` (default 64 KiB); sent by `ws`. Other sockets are unaffected. */
  MessageTooBig = 1009,
  /** The server failed while handling a request (an `error` INTERNAL precedes it): reconnect. */
  InternalError = 1011,
  /** The server restarted its sockets (fault injection `restart`, `reset`): reconnect, the token still works. */
  ServiceRestart = 1012,
  /** Protocol violation: anything but `auth` before auth, or an undecodable frame before auth. */
  ProtocolViolation = 4400,
  /**
   * Auth refused: the token is invalid or its session was revoked, or a `reauth` carried a token of
   * another user or sign-in session. Fatal: sign in again.
   */
  AuthRefused = 4401,
  /** The browser's Origin is not on the allow-list (the socket is accepted and closed at once). */
  OriginNotAllowed = 4403,
  /** No `auth` message arrived within `authTimeoutMs` (default 5 s). */
  AuthTimeout = 4408,
  /** The access token expired (at auth, or while the socket was open): refresh it, then reconnect. */
  TokenExpired = 4419,
  /** This session was logged out (HTTP logout): do not reconnect. */
  SessionLoggedOut = 4440,
  /** The user logged out from every device: do not reconnect. */
  LoggedOutEverywhere = 4441,
}

/**
 * For clients: the close codes after which reconnecting would fail the same way (the session is
 * refused, logged out, or the client speaks something else), and the one that asks for a renewed
 * token, in the shape a socket controller takes (`fatalCloseCodes` / `tokenExpiredCloseCodes`).
 * They are customapp-rxjs-websocket's defaults, read from the library rather than copied: the
 * library decides what its controller does with a code, and this server sends no code the library
 * would decide otherwise (test/close-policy.test.ts checks each).
 *
 * @example
 * new WebSocketController({ url, ...CLIENT_CLOSE_POLICY });
 */
export const CLIENT_CLOSE_POLICY = {
  fatalCloseCodes: DEFAULT_FATAL_CLOSE_CODES,
  tokenExpiredCloseCodes: DEFAULT_TOKEN_EXPIRED_CLOSE_CODES,
} as const;

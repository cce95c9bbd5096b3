// Every code the e2e-server sends, in one place: WebSocket close codes, the error codes of `error`
// responses on a socket, and the error codes of the HTTP API. Browser-safe (no Node imports).
import { api } from '../generated/api.js';

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
 * token. Pass them as a socket controller's `fatalCloseCodes` / `tokenExpiredCloseCodes`.
 *
 * @example
 * new WebSocketController({ url, ...CLIENT_CLOSE_POLICY });
 */
export const CLIENT_CLOSE_POLICY = {
  fatalCloseCodes: [
    CloseCode.ProtocolError,
    CloseCode.ProtocolViolation,
    CloseCode.AuthRefused,
    CloseCode.OriginNotAllowed,
    CloseCode.SessionLoggedOut,
    CloseCode.LoggedOutEverywhere,
  ] as readonly number[],
  tokenExpiredCloseCodes: [CloseCode.TokenExpired] as readonly number[],
} as const;

/**
 * The error codes of `error` responses on a socket; the enum comes from `api.proto`, where each
 * value has its comment (MALFORMED, UNKNOWN_MESSAGE, UNAUTHENTICATED, TOKEN_INVALID, TOKEN_EXPIRED,
 * TOKEN_REVOKED, FORBIDDEN, NOT_FOUND, BAD_REQUEST, ALREADY_AUTHORIZED, INTERNAL).
 */
export const ErrorCode = api.ErrorCode;
export type ErrorCode = api.ErrorCode;

/** The `error.code` values of the HTTP API's `{error: {code, message}}` bodies. */
export const HttpErrorCode = {
  /** 400: the body is not JSON, or a field is missing or of the wrong type. */
  BAD_REQUEST: 'BAD_REQUEST',
  /** 401: login and password do not match a user. */
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  /** 401: no `Authorization: Bearer` header on a request that needs one. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** 401: the access token is not one this server signed, or is not an access token. */
  TOKEN_INVALID: 'TOKEN_INVALID',
  /** 401: the token is past its expiry (for an access token: refresh it). */
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  /** 401: the token's session was ended by a logout. */
  TOKEN_REVOKED: 'TOKEN_REVOKED',
  /** 401: the refresh token is not valid: not ours, not a refresh token, or already rotated. */
  REFRESH_INVALID: 'REFRESH_INVALID',
  /** 403: the user's role does not allow this, or the browser's Origin is not allowed. */
  FORBIDDEN: 'FORBIDDEN',
  /** 404: no such route, or no such user. */
  NOT_FOUND: 'NOT_FOUND',
  /** 405: the route exists but not with this method. */
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  /** 413: the body is larger than `maxPayload`. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /**
   * 429: too many failed sign-ins with this login, or from this address, lately. Sent before the
   * password is checked; the `Retry-After` header says in how many seconds to try again.
   */
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  /** 503: the server is shutting down, or refuses upgrades for now (fault injection `refuse`). */
  UNAVAILABLE: 'UNAVAILABLE',
  /** 500: the server failed. */
  INTERNAL: 'INTERNAL',
} as const;
export type HttpErrorCode = (typeof HttpErrorCode)[keyof typeof HttpErrorCode];

// Every code the e2e-server sends, in one place: WebSocket close codes (kept in close-codes.ts), the
// error codes of `error` responses on a socket, and the error codes of the HTTP API. Browser-safe (no
// Node imports).
import { api } from '../generated/api.js';

export { CLIENT_CLOSE_POLICY, CloseCode } from './close-codes.js';

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

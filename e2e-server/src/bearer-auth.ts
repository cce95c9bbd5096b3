// The signed-in user behind an `Authorization: Bearer` header, for the HTTP API and the HTTP routes
// of dialects alike, and the messages of refused access tokens.
import type { IncomingMessage } from 'node:http';
import type { AccessFailure, AuthService, Principal } from './auth-service.js';
import { HttpError, bearerToken } from './http-util.js';

/** The messages of refused access tokens, for sockets and HTTP alike. */
export const ACCESS_FAILURE_MESSAGES: Readonly<Record<AccessFailure, string>> = {
  TOKEN_INVALID: 'The access token is not valid here: sign in again.',
  TOKEN_EXPIRED: 'The access token has expired: refresh it.',
  TOKEN_REVOKED: 'The session of this token was logged out: sign in again.',
};

/** The principal of the request's Bearer token; an HttpError 401 otherwise. */
export async function principalOf(auth: AuthService, request: IncomingMessage): Promise<Principal> {
  const token = bearerToken(request);
  if (!token) throw new HttpError(401, 'UNAUTHENTICATED', 'Send the access token as "Authorization: Bearer <token>".');
  const result = await auth.authenticate(token);
  if (!result.ok) throw new HttpError(401, result.code, ACCESS_FAILURE_MESSAGES[result.code]);
  return result.value;
}

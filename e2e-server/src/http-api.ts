// The HTTP API: login, refresh, logout (which closes sockets), login-as, the user list and health.
import type { IncomingMessage } from 'node:http';
import type { AuthService, Grant, RefreshFailure } from './auth-service.js';
import { ACCESS_FAILURE_MESSAGES, principalOf } from './bearer-auth.js';
import { CloseCode } from './codes.js';
import type { ConnectionRegistry } from './connection-registry.js';
import type { Reply, Routes } from './http-util.js';
import { HttpError, readJsonObject } from './http-util.js';
import { LoginThrottle } from './login-throttle.js';

export interface HttpApiOptions {
  auth: AuthService;
  registry: ConnectionRegistry;
  /** The largest body accepted. */
  maxPayload: number;
  /** Counts failed sign-ins; default: one with the default limits. */
  loginThrottle?: LoginThrottle;
}

const REFRESH_FAILURE_MESSAGES: Readonly<Record<RefreshFailure, string>> = {
  REFRESH_INVALID: 'The refresh token is not valid (already used, or not a refresh token): sign in again.',
  TOKEN_EXPIRED: 'The refresh token has expired: sign in again.',
  TOKEN_REVOKED: ACCESS_FAILURE_MESSAGES.TOKEN_REVOKED,
};

export function httpApiRoutes({ auth, registry, maxPayload, loginThrottle = new LoginThrottle() }: HttpApiOptions): Routes {
  // Every body of this API is text a person or a token wrote: refuse any that is not well-formed.
  const readBody = (request: IncomingMessage): Promise<Record<string, unknown>> => readJsonObject(request, maxPayload, { wellFormed: true });

  return {
    '/api/health': { GET: async () => ({ status: 200, body: { ok: true } }) },

    '/api/auth/login': {
      POST: async (request) => {
        const body = await readBody(request);
        const login = stringField(body, 'login');
        const password = stringField(body, 'password');
        // Asked before the password is checked, so that a refusal tells nothing about the password.
        const attempt = loginThrottle.attempt(login, request.socket.remoteAddress);
        if (!attempt.allowed) {
          const seconds = attempt.retryAfterSeconds;
          const message = `Too many failed sign-ins; try again in ${seconds} s.`;
          throw new HttpError(429, 'TOO_MANY_REQUESTS', message, { 'Retry-After': String(seconds) });
        }
        const grant = await auth.login(login, password);
        if (!grant) throw new HttpError(401, 'INVALID_CREDENTIALS', 'Login or password is wrong.');
        attempt.succeeded();
        return grantReply(grant);
      },
    },

    '/api/auth/refresh': {
      POST: async (request) => {
        const body = await readBody(request);
        const result = await auth.refresh(stringField(body, 'refreshToken'));
        if (!result.ok) throw new HttpError(401, result.code, REFRESH_FAILURE_MESSAGES[result.code]);
        return grantReply(result.value);
      },
    },

    '/api/auth/logout': {
      POST: async (request) => {
        const principal = await principalOf(auth, request);
        const body = await readBody(request);
        const everywhere = body['fromAllDevices'] ?? false;
        if (typeof everywhere !== 'boolean') throw new HttpError(400, 'BAD_REQUEST', 'fromAllDevices must be a boolean.');
        const ended = auth.logout(principal, everywhere).map((session) => session.id);
        // Every socket of the user, also those of a session that was ended before without a word to them.
        if (everywhere) registry.closeUser(principal.user.id, CloseCode.LoggedOutEverywhere, 'logged out from every device');
        else registry.closeSessions(ended, CloseCode.SessionLoggedOut, 'session logged out');
        return { status: 204 };
      },
    },

    '/api/auth/login-as': {
      POST: async (request) => {
        const principal = await principalOf(auth, request);
        const body = await readBody(request);
        const result = await auth.loginAs(principal, stringField(body, 'userId'));
        if (!result.ok) {
          throw result.code === 'FORBIDDEN'
            ? new HttpError(403, 'FORBIDDEN', 'Only an ADMIN may log in as another user.')
            : new HttpError(404, 'NOT_FOUND', 'There is no user with this id.');
        }
        return grantReply(result.value);
      },
    },

    '/api/users': {
      GET: async (request) => {
        await principalOf(auth, request);
        return { status: 200, body: auth.listUsers() };
      },
    },
  };
}

function grantReply(grant: Grant): Reply {
  return { status: 200, body: grant };
}

function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') throw new HttpError(400, 'BAD_REQUEST', `The body needs "${name}" as a non-empty string.`);
  return value;
}

// The server side of the property spec (jwt.service.properties.spec.ts): it reads the calls that
// HttpTestingController holds, issues tokens that name their session (`sid`, kept by a refresh, as
// the e2e-server does) and answers each call with the outcome a step chose.
import type { TestRequest } from '@angular/common/http/testing';
import { type FakeJwtAuthResponse, type FakeJwtUser, type ManualJwtClock, createFakeJwt } from 'ngx-customapp-jwt/testing';
import { decodeJwtPayload } from '../public-api';
import { admin, manager, viewer } from './set-up';

export const USERS: readonly FakeJwtUser[] = [admin, manager, viewer];

/**
 * How the server answers a call: `ok` as the e2e-server would (a login with a wrong password is then
 * refused with 401), `token-less` an auth answer with the user and no tokens (a 1.2.x login by
 * token; for a refresh, a logout or an app call it is `ok`), or one of the failures.
 */
export type Outcome = 'ok' | 'token-less' | 'expired' | 'revoked' | 'forbidden' | 'throttled' | 'failed';

export const FAILURES: Readonly<Record<Exclude<Outcome, 'ok' | 'token-less'>, readonly [status: number, code: string]>> = {
  expired: [401, 'TOKEN_EXPIRED'],
  revoked: [401, 'TOKEN_REVOKED'],
  forbidden: [403, 'FORBIDDEN'],
  throttled: [429, 'TOO_MANY_REQUESTS'],
  failed: [500, 'INTERNAL'],
};

/** A call the service (or the app through the interceptor) made, as the server reads it. */
export type Call =
  | { readonly kind: 'login'; readonly op: number; readonly user: FakeJwtUser | null }
  | { readonly kind: 'refresh'; readonly sid: string; readonly refreshToken: string }
  | { readonly kind: 'logout'; readonly sid: string; readonly accessToken: string; readonly fromAllDevices: boolean }
  | { readonly kind: 'login-as'; readonly op: number; readonly sid: string; readonly accessToken: string; readonly target: FakeJwtUser }
  | { readonly kind: 'data'; readonly op: number; readonly accessToken: string | null };

/** What the server answered: an auth answer (`body`), a bare success, or a failure. */
export type Answer =
  | { readonly ok: true; readonly body: FakeJwtAuthResponse | { readonly user: FakeJwtUser } | null }
  | { readonly ok: false; readonly status: number; readonly code: string };

/** The `sid` claim of one of the server's tokens. */
export function sidOf(token: string): string {
  return String(decodeJwtPayload(token)?.['sid']);
}

/** A token as the failure messages show it: `u-admin/s3/a7`. */
export function describeToken(token: string | null | undefined): string {
  if (!token) return String(token);
  const claims = decodeJwtPayload(token);
  return `${String(claims?.sub)}/${String(claims?.['sid'])}/${String(claims?.['jti'])}`;
}

/** A login's credentials carry the number of the step that sent them, so its call is told apart. */
export interface TaggedCredentials {
  readonly login: string;
  readonly password: string;
  readonly op: number;
}

/** A login-as target carries the number of the step that sent it: `u-viewer#12`. */
export function taggedUserId(user: FakeJwtUser, op: number): string {
  return `${user.id}#${op}`;
}

export class ScriptedAuthServer {
  private serial = 0;

  constructor(
    private readonly clock: ManualJwtClock,
    private readonly refreshTtlSeconds: number,
  ) {}

  /** Reads a call, or throws for one the server has no route for. */
  read(request: TestRequest): Call {
    const { url, body, headers } = request.request;
    const bearer = headers.get('Authorization')?.replace(/^Bearer /, '') ?? null;
    const record = (body ?? {}) as Record<string, unknown>;
    if (url === '/api/auth/login') {
      const credentials = record as unknown as TaggedCredentials;
      const user = USERS.find((u) => credentials.login === u.login && credentials.password === `${u.login}-pass`) ?? null;
      return { kind: 'login', op: credentials.op, user };
    }
    if (url === '/api/auth/refresh') {
      const refreshToken = String(record['refreshToken']);
      return { kind: 'refresh', sid: sidOf(refreshToken), refreshToken };
    }
    if (url === '/api/auth/logout' && bearer) {
      return { kind: 'logout', sid: sidOf(bearer), accessToken: bearer, fromAllDevices: record['fromAllDevices'] === true };
    }
    if (url === '/api/auth/login-as' && bearer) {
      const [userId, op] = String(record['userId']).split('#');
      const target = USERS.find((u) => u.id === userId);
      if (!target) throw new Error(`login-as of an unknown user ${userId}`);
      return { kind: 'login-as', op: Number(op), sid: sidOf(bearer), accessToken: bearer, target };
    }
    const data = /^\/api\/data\/(\d+)$/.exec(url);
    if (data) return { kind: 'data', op: Number(data[1]), accessToken: bearer };
    throw new Error(`The scripted server has no route for ${request.request.method} ${url}`);
  }

  /** Answers `request` (read as `call`) with `outcome` and says what it answered. */
  answer(request: TestRequest, call: Call, outcome: Outcome): Answer {
    const answer = this.answerFor(call, outcome);
    if (!answer.ok) {
      request.flush(
        { error: { code: answer.code, message: `${answer.code} (scripted)` } },
        { status: answer.status, statusText: answer.code, headers: answer.status === 429 ? { 'Retry-After': '30' } : {} },
      );
    } else if (answer.body === null) {
      request.flush(call.kind === 'data' ? { ok: true } : null, call.kind === 'data' ? {} : { status: 204, statusText: 'No Content' });
    } else {
      request.flush(answer.body);
    }
    return answer;
  }

  private answerFor(call: Call, outcome: Outcome): Answer {
    if (outcome !== 'ok' && outcome !== 'token-less') {
      const [status, code] = FAILURES[outcome];
      return { ok: false, status, code };
    }
    const tokenLess = outcome === 'token-less';
    switch (call.kind) {
      case 'login':
        if (!call.user) return { ok: false, status: 401, code: 'INVALID_CREDENTIALS' };
        return { ok: true, body: tokenLess ? { user: call.user } : this.issue(call.user) };
      case 'login-as':
        return { ok: true, body: tokenLess ? { user: call.target } : this.issue(call.target) };
      case 'refresh': {
        const user = USERS.find((u) => u.id === decodeJwtPayload(call.refreshToken)?.sub);
        if (!user) throw new Error(`refresh with a token of nobody: ${describeToken(call.refreshToken)}`);
        return { ok: true, body: this.issue(user, call.sid) };
      }
      case 'logout':
      case 'data':
        return { ok: true, body: null };
    }
  }

  /** New tokens for `user`: a new session, or the next tokens of session `sid` (a refresh). */
  private issue(user: FakeJwtUser, sid = `s${++this.serial}`): FakeJwtAuthResponse {
    const iat = Math.floor(this.clock.now() / 1000);
    const jti = ++this.serial;
    return {
      accessToken: createFakeJwt({ sub: user.id, sid, typ: 'access', iat, exp: iat + 900, jti: `a${jti}` }),
      refreshToken: createFakeJwt({ sub: user.id, sid, typ: 'refresh', iat, exp: iat + this.refreshTtlSeconds, jti: `r${jti}` }),
      expiresAt: iat + 900,
      user,
    };
  }
}

import { HttpErrorResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { JWT_CLOCK, JwtApi, decodeJwtPayload } from 'ngx-customapp-jwt';
import { type Observable, of, throwError } from 'rxjs';
import { createFakeJwt } from './create-fake-jwt';

/**
 * A user of the fake backend, shaped like the bundled e2e-server's users.
 *
 * @example
 * const admin: FakeJwtUser = { id: 'u-admin', login: 'admin', name: 'Ada Admin', role: 'ADMIN' };
 */
export interface FakeJwtUser {
  readonly id: string;
  readonly login: string;
  readonly name: string;
  readonly role: 'ADMIN' | 'MANAGER' | 'VIEWER';
}

/**
 * What the fake backend's `login` takes.
 *
 * @example
 * store.dispatch(actions.login({ credentials: { login: 'viewer', password: 'viewer-pass' } satisfies FakeJwtCredentials }));
 */
export interface FakeJwtCredentials {
  readonly login: string;
  readonly password: string;
}

/**
 * What the fake backend answers to `login`, `refresh` and `loginAs` (the e2e-server's shape).
 *
 * @example
 * const actions = createJwtActions<FakeJwtCredentials, FakeJwtAuthResponse, FakeJwtUser, string>();
 */
export interface FakeJwtAuthResponse {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Access token expiry, seconds since the epoch. */
  readonly expiresAt: number;
  readonly user: FakeJwtUser;
  /** On a login-as answer: the admin acting as `user`. */
  readonly actingUser?: FakeJwtUser;
}

/**
 * The seeded users of the fake backend (and of the e2e-server), with their passwords.
 *
 * @example
 * const { login, password } = FAKE_JWT_USERS.find((u) => u.role === 'ADMIN')!;
 */
export const FAKE_JWT_USERS: readonly (FakeJwtUser & { readonly password: string })[] = [
  { id: 'u-admin', login: 'admin', name: 'Ada Admin', role: 'ADMIN', password: 'admin-pass' },
  { id: 'u-manager', login: 'manager', name: 'Max Manager', role: 'MANAGER', password: 'manager-pass' },
  { id: 'u-viewer', login: 'viewer', name: 'Vera Viewer', role: 'VIEWER', password: 'viewer-pass' },
];

type FakeJwtMethod = 'login' | 'refresh' | 'logout' | 'loginAs';

interface FakeSession {
  readonly userId: string;
  readonly actingUserId?: string;
  refreshJti: string;
  revoked: boolean;
}

/**
 * An in-memory backend for app tests: real-looking (unsigned) JWTs that expire by `JWT_CLOCK`,
 * rotating refresh tokens, logout from every device, login-as for admins, and errors shaped like
 * the e2e-server's (`HttpErrorResponse` with `{ error: { code, message } }`). It answers at once.
 *
 * @example
 * TestBed.configureTestingModule({ providers: [provideStore(), provideEffects(), provideFakeJwt()] });
 * const api = TestBed.inject(FakeJwtApi);
 * api.failNext('refresh');
 * expect(api.calls.refresh).toBe(1);
 */
@Injectable()
export class FakeJwtApi extends JwtApi<FakeJwtCredentials, FakeJwtAuthResponse, string> {
  private readonly clock = inject(JWT_CLOCK);
  private readonly sessions = new Map<string, FakeSession>();
  private readonly failures = new Map<FakeJwtMethod, unknown>();
  private counter = 0;

  /** Lifetime of the access tokens it issues, seconds. */
  accessTtlSeconds = 15 * 60;
  /** Lifetime of the refresh tokens it issues, seconds. */
  refreshTtlSeconds = 7 * 24 * 60 * 60;
  /** How many times each method was called. */
  readonly calls: Record<FakeJwtMethod, number> = { login: 0, refresh: 0, logout: 0, loginAs: 0 };
  /** The arguments of the last `logout`. */
  lastLogout: { readonly accessToken: string; readonly fromAllDevices: boolean } | null = null;

  /** Makes the next call of `method` fail with `error` (default: a 401 with a readable message). */
  failNext(method: FakeJwtMethod, error: unknown = httpError(401, 'FAKE_FAILURE', `The fake ${method} failed.`)): void {
    this.failures.set(method, error);
  }

  login(credentials: FakeJwtCredentials): Observable<FakeJwtAuthResponse> {
    return this.answer('login', () => {
      const user = FAKE_JWT_USERS.find((u) => u.login === credentials.login && u.password === credentials.password);
      if (!user) throw httpError(401, 'INVALID_CREDENTIALS', 'Wrong login or password.');
      return this.issue({ userId: user.id, refreshJti: '', revoked: false });
    });
  }

  refresh(refreshToken: string): Observable<FakeJwtAuthResponse> {
    return this.answer('refresh', () => {
      const claims = decodeJwtPayload(refreshToken);
      const session = this.sessions.get(String(claims?.['sid']));
      if (!claims || claims['typ'] !== 'refresh' || !session || session.refreshJti !== claims['jti']) {
        throw httpError(401, 'REFRESH_INVALID', 'The refresh token is not valid.');
      }
      if (session.revoked) throw httpError(401, 'TOKEN_REVOKED', 'The session was logged out.');
      if ((claims.exp ?? 0) * 1000 <= this.clock.now()) throw httpError(401, 'TOKEN_EXPIRED', 'The session has expired.');
      return this.issue(session, String(claims['sid']));
    });
  }

  logout(accessToken: string, fromAllDevices: boolean): Observable<null> {
    return this.answer('logout', () => {
      this.lastLogout = { accessToken, fromAllDevices };
      const session = this.sessionOf(accessToken);
      for (const other of this.sessions.values()) {
        if (other === session || (fromAllDevices && other.userId === session.userId)) other.revoked = true;
      }
      return null;
    });
  }

  override loginAs(masterAccessToken: string, userId: string): Observable<FakeJwtAuthResponse> {
    return this.answer('loginAs', () => {
      const master = this.sessionOf(masterAccessToken);
      if (userById(master.userId)?.role !== 'ADMIN') throw httpError(403, 'FORBIDDEN', 'Only an admin may log in as another user.');
      if (!userById(userId)) throw httpError(404, 'NOT_FOUND', `There is no user ${userId}.`);
      return this.issue({ userId, actingUserId: master.userId, refreshJti: '', revoked: false });
    });
  }

  private answer<T>(method: FakeJwtMethod, respond: () => T): Observable<T> {
    this.calls[method] += 1;
    if (this.failures.has(method)) {
      const error = this.failures.get(method);
      this.failures.delete(method);
      return throwError(() => error);
    }
    try {
      return of(respond());
    } catch (error) {
      return throwError(() => error);
    }
  }

  private sessionOf(accessToken: string): FakeSession {
    const claims = decodeJwtPayload(accessToken);
    const session = this.sessions.get(String(claims?.['sid']));
    if (!claims || claims['typ'] !== 'access' || !session || session.revoked || (claims.exp ?? 0) * 1000 <= this.clock.now()) {
      throw httpError(401, 'TOKEN_INVALID', 'The access token is not valid.');
    }
    return session;
  }

  private issue(session: FakeSession, sid = `s${++this.counter}`): FakeJwtAuthResponse {
    const user = userById(session.userId);
    if (!user) throw httpError(404, 'NOT_FOUND', `There is no user ${session.userId}.`);
    const iat = Math.floor(this.clock.now() / 1000);
    const expiresAt = iat + this.accessTtlSeconds;
    const act = session.actingUserId ? { act: session.actingUserId } : {};
    const refreshJti = `r${++this.counter}`;
    this.sessions.set(sid, { ...session, refreshJti });
    const actingUser = session.actingUserId ? userById(session.actingUserId) : undefined;
    return {
      accessToken: createFakeJwt({ sub: user.id, sid, typ: 'access', iat, exp: expiresAt, jti: `a${++this.counter}`, ...act }),
      refreshToken: createFakeJwt({ sub: user.id, sid, typ: 'refresh', iat, exp: iat + this.refreshTtlSeconds, jti: refreshJti, ...act }),
      expiresAt,
      user,
      ...(actingUser ? { actingUser } : {}),
    };
  }
}

function userById(id: string): FakeJwtUser | undefined {
  const user = FAKE_JWT_USERS.find((u) => u.id === id);
  return user && { id: user.id, login: user.login, name: user.name, role: user.role };
}

function httpError(status: number, code: string, message: string): HttpErrorResponse {
  return new HttpErrorResponse({ status, statusText: code, error: { error: { code, message } } });
}

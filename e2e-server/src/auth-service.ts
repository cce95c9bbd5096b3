// Sign-in, refresh, logout and login-as: the rules of tokens and sessions, shared by the HTTP API
// and the sockets. Closing the sockets of an ended session is the caller's job.
import type { Session } from './sessions.js';
import { SessionStore } from './sessions.js';
import type { TokenClaims, TokenService } from './tokens.js';
import type { User, UserDirectory } from './users.js';

export type Result<T, E extends string> = { ok: true; value: T } | { ok: false; code: E };

/** What a successful login, refresh or login-as hands out. */
export interface Grant {
  accessToken: string;
  refreshToken: string;
  /** Access token expiry, seconds since the epoch. */
  expiresAt: number;
  user: User;
  /** On login-as: the admin acting as `user`. */
  actingUser?: User;
}

/** Who a valid access token speaks for. */
export interface Principal {
  user: User;
  session: Session;
  claims: TokenClaims;
}

export type AccessFailure = 'TOKEN_INVALID' | 'TOKEN_EXPIRED' | 'TOKEN_REVOKED';
export type RefreshFailure = 'REFRESH_INVALID' | 'TOKEN_EXPIRED' | 'TOKEN_REVOKED';

const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
const fail = <E extends string>(code: E): { ok: false; code: E } => ({ ok: false, code });

export class AuthService {
  constructor(
    private readonly users: UserDirectory,
    private readonly tokens: TokenService,
    readonly sessions: SessionStore = new SessionStore(),
  ) {}

  /** Starts a session for matching credentials; undefined when they match no user. */
  async login(login: string, password: string): Promise<Grant | undefined> {
    const user = this.users.authenticate(login, password);
    return user && this.grant(this.sessions.create(user.id), user);
  }

  /** Trades a refresh token for a new pair; the old refresh token stops working. */
  async refresh(refreshToken: string): Promise<Result<Grant, RefreshFailure>> {
    const check = await this.tokens.verify(refreshToken, 'refresh');
    if (!check.ok && check.reason === 'invalid') return fail('REFRESH_INVALID');
    const claims = check.ok ? check.claims : check.claims;
    const session = this.sessions.get(claims.sid);
    if (!session) return fail('TOKEN_REVOKED');
    if (!check.ok) return fail('TOKEN_EXPIRED');
    const user = this.users.findById(claims.sub);
    if (!user || session.userId !== user.id || session.refreshJti !== claims.jti) return fail('REFRESH_INVALID');
    session.refreshJti = ''; // used up now, before any await: a concurrent refresh with it fails
    return ok(await this.grant(session, user));
  }

  /** Who an access token belongs to; a revoked session wins over an expired token. */
  async authenticate(accessToken: string): Promise<Result<Principal, AccessFailure>> {
    const check = await this.tokens.verify(accessToken, 'access');
    if (!check.ok && check.reason === 'invalid') return fail('TOKEN_INVALID');
    const claims = check.ok ? check.claims : check.claims;
    const session = this.sessions.get(claims.sid);
    if (!session) return fail('TOKEN_REVOKED');
    if (!check.ok) return fail('TOKEN_EXPIRED');
    const user = this.users.findById(claims.sub);
    if (!user || session.userId !== user.id) return fail('TOKEN_INVALID');
    return ok({ user, session, claims });
  }

  /** Ends the principal's session, or every session of the user; returns the ended sessions. */
  logout(principal: Principal, fromAllDevices: boolean): Session[] {
    if (fromAllDevices) return this.sessions.endAllOf(principal.user.id);
    const ended = this.sessions.end(principal.session.id);
    return ended ? [ended] : [];
  }

  /** Lets an admin start a session as another user. */
  async loginAs(principal: Principal, userId: string): Promise<Result<Grant, 'FORBIDDEN' | 'NOT_FOUND'>> {
    if (principal.user.role !== 'ADMIN') return fail('FORBIDDEN');
    const target = this.users.findById(userId);
    if (!target) return fail('NOT_FOUND');
    const grant = await this.grant(this.sessions.create(target.id, principal.user.id), target);
    return ok({ ...grant, actingUser: principal.user });
  }

  /** The user an acting admin id names (for auth responses). */
  findUser(id: string): User | undefined {
    return this.users.findById(id);
  }

  listUsers(): User[] {
    return this.users.list();
  }

  /** Ends every session of a user without a logout (fault injection `revoke`); returns how many. */
  revokeAllOf(userId: string): number {
    return this.sessions.endAllOf(userId).length;
  }

  /** Ends every session (fault injection `reset`). */
  endAllSessions(): void {
    this.sessions.clear();
  }

  private async grant(session: Session, user: User): Promise<Grant> {
    const subject = { sub: user.id, sid: session.id, ...(session.actingUserId ? { act: session.actingUserId } : {}) };
    const access = await this.tokens.issue('access', subject);
    const refresh = await this.tokens.issue('refresh', subject);
    session.refreshJti = refresh.claims.jti;
    return { accessToken: access.token, refreshToken: refresh.token, expiresAt: access.claims.exp, user };
  }
}

// Sign-in sessions: one per login (or login-as), shared by the tokens it issues. Ending a session
// revokes its tokens; a token whose session is gone is refused as revoked.
import { randomUUID } from 'node:crypto';

export interface Session {
  readonly id: string;
  readonly userId: string;
  /** Set on login-as sessions: the admin acting as this user. */
  readonly actingUserId?: string;
  /** The jti of the one refresh token that may still be used (refresh rotates it). */
  refreshJti: string;
}

/** The live sessions, by id. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  create(userId: string, actingUserId?: string): Session {
    const session: Session = { id: `s-${randomUUID()}`, userId, refreshJti: '', ...(actingUserId ? { actingUserId } : {}) };
    this.sessions.set(session.id, session);
    return session;
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** Ends one session; returns it if it was live. */
  end(id: string): Session | undefined {
    const session = this.sessions.get(id);
    this.sessions.delete(id);
    return session;
  }

  /** Ends every session of a user; returns them. */
  endAllOf(userId: string): Session[] {
    const ended = [...this.sessions.values()].filter((session) => session.userId === userId);
    for (const session of ended) this.sessions.delete(session.id);
    return ended;
  }

  clear(): void {
    this.sessions.clear();
  }

  get size(): number {
    return this.sessions.size;
  }
}

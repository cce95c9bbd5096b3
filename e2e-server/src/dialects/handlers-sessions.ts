// The session ids of the `handlers` dialect (`init` → `session`): one per socket, kept for a while
// after the socket closes so that the same user may take it up again on a new socket.
import { randomUUID } from 'node:crypto';

interface Entry {
  userId: string;
  /** When its socket closed; undefined while a socket holds it. */
  releasedAt: number | undefined;
}

/** The outcome of an `init`: the session id to use and whether it was the one asked for. */
export interface Opened {
  id: string;
  resumed: boolean;
}

export class ResumableSessions {
  private readonly entries = new Map<string, Entry>();

  /**
   * @param windowMs how long an id stays resumable after its socket closed
   * @param now the clock (a test may move it)
   */
  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Gives a socket of `userId` a session id: `requested` again when it is a released id of the
   * same user still within the window, a fresh one otherwise (unknown, expired, another user's, or
   * held by an open socket).
   */
  open(userId: string, requested: string | undefined): Opened {
    this.forgetExpired();
    const entry = requested === undefined ? undefined : this.entries.get(requested);
    if (requested !== undefined && entry && entry.userId === userId && entry.releasedAt !== undefined) {
      entry.releasedAt = undefined;
      return { id: requested, resumed: true };
    }
    const id = `hs-${randomUUID()}`;
    this.entries.set(id, { userId, releasedAt: undefined });
    return { id, resumed: false };
  }

  /** The socket holding `id` closed: the id stays resumable for the window. */
  release(id: string): void {
    const entry = this.entries.get(id);
    if (entry) entry.releasedAt = this.now();
    this.forgetExpired();
  }

  /** Ids held or resumable (for tests and stats). */
  get size(): number {
    this.forgetExpired();
    return this.entries.size;
  }

  private forgetExpired(): void {
    const oldest = this.now() - this.windowMs;
    for (const [id, entry] of this.entries) {
      if (entry.releasedAt !== undefined && entry.releasedAt < oldest) this.entries.delete(id);
    }
  }
}

import { Injectable } from '@angular/core';

/**
 * Remembers that the server has already ended the session (a socket was closed with "logged out" or
 * "logged out everywhere"), so the local logout that follows does not call the server again with a
 * token it has revoked.
 */
@Injectable({ providedIn: 'root' })
export class ServerSideLogout {
  private ended = false;

  /** The server ended the session; the next logout is local only. */
  markEnded(): void {
    this.ended = true;
  }

  /** Whether the server ended the session; resets the mark. */
  consume(): boolean {
    const ended = this.ended;
    this.ended = false;
    return ended;
  }
}

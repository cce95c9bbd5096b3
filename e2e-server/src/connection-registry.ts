// Every open socket, so that logouts, faults and shutdown can reach them.
import type { CloseCode } from './codes.js';

/** What the registry needs of a socket: the main protocol's sessions and every dialect's connections. */
export interface RegisteredSocket {
  /** The dialect that serves it; `undefined` for the main protocol (`/ws`, `/ws/notifications`). */
  readonly dialect: string | undefined;
  /** Whether it passed its auth. */
  readonly authorized: boolean;
  /** The sign-in session it acts for, once authorized (logouts close by session). */
  readonly sessionId: string | undefined;
  /** How many subscriptions (rooms, watches, kinds…) it holds. */
  readonly subscriptionCount: number;
  /** Resolves once the connection is closed. */
  readonly closed: Promise<void>;
  /** Closes with a close frame, for a reason of the server's. */
  closeNow(code: CloseCode | number, reason: string): void;
  /** Drops the connection without a close frame, as a network failure would. */
  terminate(): void;
}

/** What `GET /__control/stats` reports. */
export interface ConnectionStats {
  /** Open sockets, authorized or not. */
  sockets: number;
  /** Sockets past a successful auth. */
  authorized: number;
  /** Subscriptions over every socket and kind. */
  subscriptions: number;
}

export class ConnectionRegistry {
  private readonly sockets = new Set<RegisteredSocket>();

  add(socket: RegisteredSocket): void {
    this.sockets.add(socket);
    void socket.closed.then(() => this.sockets.delete(socket));
  }

  stats(): ConnectionStats {
    let authorized = 0;
    let subscriptions = 0;
    for (const socket of this.sockets) {
      if (socket.authorized) authorized += 1;
      subscriptions += socket.subscriptionCount;
    }
    return { sockets: this.sockets.size, authorized, subscriptions };
  }

  /** Closes the sockets of these sessions; returns how many. */
  closeSessions(sessionIds: readonly string[], code: CloseCode, reason: string): number {
    const ids = new Set(sessionIds);
    return this.closeWhere((socket) => socket.sessionId !== undefined && ids.has(socket.sessionId), code, reason);
  }

  /** Closes every authorized socket; returns how many. */
  closeAuthorized(code: CloseCode, reason: string): number {
    return this.closeWhere((socket) => socket.authorized, code, reason);
  }

  /** Closes every socket; returns how many. */
  closeAll(code: CloseCode, reason: string): number {
    return this.closeWhere(() => true, code, reason);
  }

  /** Drops every socket without a close frame (only those of one dialect, when named); returns how many. */
  terminateAll(dialect?: string): number {
    const all = [...this.sockets].filter((socket) => dialect === undefined || socket.dialect === dialect);
    for (const socket of all) socket.terminate();
    return all.length;
  }

  /**
   * Closes every socket and resolves when all are gone; sockets whose peer does not answer the
   * close within `graceMs` are dropped.
   */
  async shutdown(code: CloseCode, reason: string, graceMs: number): Promise<void> {
    const all = [...this.sockets];
    for (const socket of all) socket.closeNow(code, reason);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
    const outcome = await Promise.race([Promise.all(all.map((socket) => socket.closed)), grace]);
    clearTimeout(timer);
    if (outcome === 'late') {
      for (const socket of this.sockets) socket.terminate();
      await Promise.all(all.map((socket) => socket.closed));
    }
  }

  private closeWhere(predicate: (socket: RegisteredSocket) => boolean, code: CloseCode, reason: string): number {
    let count = 0;
    for (const socket of [...this.sockets]) {
      if (!predicate(socket)) continue;
      socket.closeNow(code, reason);
      count += 1;
    }
    return count;
  }
}

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
  /** The user it acts for, once authorized (a logout from every device closes by user). */
  readonly userId: string | undefined;
  /** How many subscriptions (rooms, watches, kinds…) it holds. */
  readonly subscriptionCount: number;
  /** Resolves once the connection is closed. */
  readonly closed: Promise<void>;
  /** Closes with a close frame, for a reason of the server's. */
  closeNow(code: CloseCode | number, reason: string): void;
  /** Drops the connection without a close frame, as a network failure would. */
  terminate(): void;
  /** Whether the fault `blackhole` holds it: nothing read, nothing sent, dropped when the fault ends. */
  readonly blackholed?: boolean;
  /**
   * Stops reading and answering, keeping the TCP connection, for `ms`; then drops it. Returns whether
   * it took effect (a socket already closing does not). Sockets without it are never blackholed.
   */
  blackhole?(ms: number): boolean;
}

/** Which sockets a fault reaches: those of one dialect, or of one upgrade path (`/ws/notifications`). */
export interface SocketFilter {
  readonly dialect?: string;
  readonly path?: string;
}

/** What `GET /__control/stats` reports. */
export interface ConnectionStats {
  /** Open sockets, authorized or not. */
  sockets: number;
  /** Sockets past a successful auth. */
  authorized: number;
  /** Subscriptions over every socket and kind. */
  subscriptions: number;
  /** Sockets the fault `blackhole` holds (counted in `sockets` too, until they are dropped). */
  blackholed: number;
}

export class ConnectionRegistry {
  /** Every open socket, with the path it was upgraded on. */
  private readonly sockets = new Map<RegisteredSocket, string>();

  /** Tracks a socket until it is closed; `path` is its upgrade path (`/ws`, `/dialects/rooms`…). */
  add(socket: RegisteredSocket, path = ''): void {
    this.sockets.set(socket, path);
    void socket.closed.then(() => this.sockets.delete(socket));
  }

  stats(): ConnectionStats {
    let authorized = 0;
    let subscriptions = 0;
    let blackholed = 0;
    for (const socket of this.sockets.keys()) {
      if (socket.authorized) authorized += 1;
      if (socket.blackholed) blackholed += 1;
      subscriptions += socket.subscriptionCount;
    }
    return { sockets: this.sockets.size, authorized, subscriptions, blackholed };
  }

  /** Closes the sockets of these sessions; returns how many. */
  closeSessions(sessionIds: readonly string[], code: CloseCode, reason: string): number {
    const ids = new Set(sessionIds);
    return this.closeWhere((socket) => socket.sessionId !== undefined && ids.has(socket.sessionId), code, reason);
  }

  /**
   * Closes every socket acting for this user, whatever its session: also those of sessions ended
   * before without closing their sockets (control `revoke`); returns how many.
   */
  closeUser(userId: string, code: CloseCode, reason: string): number {
    return this.closeWhere((socket) => socket.userId === userId, code, reason);
  }

  /** Closes every authorized socket; returns how many. */
  closeAuthorized(code: CloseCode, reason: string): number {
    return this.closeWhere((socket) => socket.authorized, code, reason);
  }

  /** Closes every socket; returns how many. */
  closeAll(code: CloseCode, reason: string): number {
    return this.closeWhere(() => true, code, reason);
  }

  /** Drops every socket without a close frame (only those the filter names, when given); returns how many. */
  terminateAll(filter: SocketFilter = {}): number {
    const all = this.matching(filter);
    for (const socket of all) socket.terminate();
    return all.length;
  }

  /** Blackholes every socket that can be (only those the filter names, when given) for `ms`; returns how many. */
  blackholeAll(ms: number, filter: SocketFilter = {}): number {
    return this.matching(filter).filter((socket) => socket.blackhole?.(ms) ?? false).length;
  }

  /** Drops the blackholed sockets now, rather than when their blackhole ends; returns how many. */
  endBlackholes(): number {
    const held = [...this.sockets.keys()].filter((socket) => socket.blackholed);
    for (const socket of held) socket.terminate();
    return held.length;
  }

  /**
   * Closes every socket and resolves when all are gone; sockets whose peer does not answer the
   * close within `graceMs` are dropped.
   */
  async shutdown(code: CloseCode, reason: string, graceMs: number): Promise<void> {
    const all = [...this.sockets.keys()];
    for (const socket of all) socket.closeNow(code, reason);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
    const outcome = await Promise.race([Promise.all(all.map((socket) => socket.closed)), grace]);
    clearTimeout(timer);
    if (outcome === 'late') {
      for (const socket of this.sockets.keys()) socket.terminate();
      await Promise.all(all.map((socket) => socket.closed));
    }
  }

  private matching({ dialect, path }: SocketFilter): RegisteredSocket[] {
    return [...this.sockets]
      .filter(([socket, socketPath]) => (dialect === undefined || socket.dialect === dialect) && (path === undefined || socketPath === path))
      .map(([socket]) => socket);
  }

  private closeWhere(predicate: (socket: RegisteredSocket) => boolean, code: CloseCode, reason: string): number {
    let count = 0;
    for (const socket of [...this.sockets.keys()]) {
      if (!predicate(socket)) continue;
      socket.closeNow(code, reason);
      count += 1;
    }
    return count;
  }
}

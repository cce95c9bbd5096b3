// Every open socket, so that logouts, faults and shutdown can reach them.
import { CloseCode } from './codes.js';
import type { SocketSession } from './socket-session.js';
import { SocketState } from './socket-session.js';

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
  private readonly sockets = new Set<SocketSession>();

  add(socket: SocketSession): void {
    this.sockets.add(socket);
    void socket.closed.then(() => this.sockets.delete(socket));
  }

  stats(): ConnectionStats {
    let authorized = 0;
    let subscriptions = 0;
    for (const socket of this.sockets) {
      if (socket.state === SocketState.Authorized) authorized += 1;
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
    return this.closeWhere((socket) => socket.state === SocketState.Authorized, code, reason);
  }

  /** Closes every socket; returns how many. */
  closeAll(code: CloseCode, reason: string): number {
    return this.closeWhere(() => true, code, reason);
  }

  /** Drops every socket without a close frame; returns how many. */
  terminateAll(): number {
    const all = [...this.sockets];
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

  private closeWhere(predicate: (socket: SocketSession) => boolean, code: CloseCode, reason: string): number {
    let count = 0;
    for (const socket of [...this.sockets]) {
      if (!predicate(socket)) continue;
      socket.closeNow(code, reason);
      count += 1;
    }
    return count;
  }
}

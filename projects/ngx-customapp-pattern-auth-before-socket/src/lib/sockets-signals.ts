import { inject, Injectable, type Signal } from '@angular/core';
import { Store } from '@ngrx/store';
import type { SocketStatus } from './socket-status';
import {
  selectAllSocketsLive,
  selectCloseInProgress,
  selectInitInProgress,
  selectSocket,
  selectSocketsLastError,
  selectSocketStatus,
  type SocketEntry,
} from './sockets-feature';

/**
 * The package's state as signals, for components.
 *
 * @example
 * readonly sockets = inject(SocketsStateService);
 * // template: @if (sockets.status('main')() === 'reconnecting') { Reconnecting… }
 */
@Injectable({ providedIn: 'root' })
export class SocketsStateService {
  private readonly store = inject(Store);
  private readonly statuses = new Map<string, Signal<SocketStatus>>();
  private readonly entries = new Map<string, Signal<SocketEntry>>();

  /** Whether an initialization is under way. */
  readonly initInProgress: Signal<boolean> = this.store.selectSignal(selectInitInProgress);
  /** Whether closing every socket is under way. */
  readonly closeInProgress: Signal<boolean> = this.store.selectSignal(selectCloseInProgress);
  /** The last initialization error or socket stopped for good, readable, or `null`. */
  readonly lastError: Signal<string | null> = this.store.selectSignal(selectSocketsLastError);
  /** Whether every socket the store knows is live. */
  readonly allLive: Signal<boolean> = this.store.selectSignal(selectAllSocketsLive);

  /** One socket's status. */
  status(socketId: string): Signal<SocketStatus> {
    let signal = this.statuses.get(socketId);
    if (!signal) {
      signal = this.store.selectSignal(selectSocketStatus(socketId));
      this.statuses.set(socketId, signal);
    }
    return signal;
  }

  /** One socket's state, status and last error. */
  socket(socketId: string): Signal<SocketEntry> {
    let signal = this.entries.get(socketId);
    if (!signal) {
      signal = this.store.selectSignal(selectSocket(socketId));
      this.entries.set(socketId, signal);
    }
    return signal;
  }
}

/**
 * One socket's status as a signal; call it in an injection context (a field initializer).
 *
 * @example
 * export class StatusBadge {
 *   readonly status = injectSocketStatus('main');
 * }
 */
export function injectSocketStatus(socketId: string): Signal<SocketStatus> {
  return inject(SocketsStateService).status(socketId);
}

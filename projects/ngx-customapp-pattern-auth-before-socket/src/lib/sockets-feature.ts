import { createFeature, createReducer, createSelector, type MemoizedSelector, on } from '@ngrx/store';
import { SocketState } from 'customapp-rxjs-websocket';
import {
  closeSockets,
  closeSocketsFinished,
  initSockets,
  initSocketsErrored,
  initSocketsSucceed,
  socketClosedForever,
  socketErrored,
  socketStateChanged,
} from './sockets-actions';
import type { SocketStatus } from './socket-status';

/**
 * Where the package's state lives in the store.
 *
 * @example
 * export interface AppState { [socketsFeatureKey]: SocketsRootState }
 */
export const socketsFeatureKey = 'ngx-customapp-pattern-auth-before-socket';

/**
 * One socket as the store keeps it.
 *
 * @example
 * const main: SocketEntry = store.selectSignal(selectSocket('main'))();
 */
export interface SocketEntry {
  /** The controller's own state. */
  readonly state: SocketState;
  /** The state as a UI shows it (see {@link SocketStatus}). */
  readonly status: SocketStatus;
  /** The last failure of this socket, readable; cleared when it is live again. */
  readonly lastError?: string;
}

/**
 * The package's substore: the state under `socketsFeatureKey`. Add it to your app's state type.
 *
 * @example
 * export interface AppState {
 *   // ... other fields of the state
 *   [socketsFeatureKey]: SocketsRootState;
 * }
 */
export interface SocketsRootState {
  /** Every socket that has been opened at least once, by `socketId`. */
  readonly sockets: Readonly<Record<string, SocketEntry>>;
  /** Between `initSockets` and its `initSocketsSucceed` / `initSocketsErrored`. */
  readonly initInProgress: boolean;
  /** Between `closeSockets` and `closeSocketsFinished`. */
  readonly closeInProgress: boolean;
  /** The last initialization error or socket stopped for good, readable; cleared by `initSockets`. */
  readonly lastError: string | null;
}

/** A socket the store has not heard of yet: closed. */
export const CLOSED_SOCKET: SocketEntry = { state: SocketState.closed, status: 'closed' };

const initialState: SocketsRootState = { sockets: {}, initInProgress: false, closeInProgress: false, lastError: null };

function patchSocket(state: SocketsRootState, socketId: string, patch: (entry: SocketEntry) => SocketEntry): SocketsRootState {
  return { ...state, sockets: { ...state.sockets, [socketId]: patch(state.sockets[socketId] ?? CLOSED_SOCKET) } };
}

/**
 * The reducer and the base selectors (`createFeature`). `provideAuthBeforeSocket()` registers it.
 *
 * @example
 * StoreModule.forFeature(socketsFeature); // what PatternAuthBeforeSocketModule does
 */
export const socketsFeature = createFeature({
  name: socketsFeatureKey,
  reducer: createReducer(
    initialState,
    on(initSockets, (state): SocketsRootState => ({ ...state, initInProgress: true, lastError: null })),
    on(initSocketsSucceed, (state): SocketsRootState => ({ ...state, initInProgress: false })),
    on(initSocketsErrored, (state, { error }): SocketsRootState => ({ ...state, initInProgress: false, lastError: error })),
    on(closeSockets, (state): SocketsRootState => ({ ...state, closeInProgress: true })),
    on(closeSocketsFinished, (state): SocketsRootState => ({ ...state, closeInProgress: false })),
    on(socketStateChanged, (state, { socketId, state: socketState, status }): SocketsRootState =>
      patchSocket(state, socketId, (entry) =>
        status === 'live' ? { state: socketState, status } : { ...entry, state: socketState, status },
      ),
    ),
    on(socketErrored, (state, { socketId, error }): SocketsRootState =>
      patchSocket(state, socketId, (entry) => ({ ...entry, lastError: error })),
    ),
    on(socketClosedForever, (state, { socketId, error }): SocketsRootState => ({
      ...patchSocket(state, socketId, (entry) => ({ ...entry, lastError: error })),
      lastError: error,
    })),
  ),
});

/**
 * The package's whole slice.
 *
 * @example
 * readonly sockets = store.selectSignal(selectSocketsState); // Signal<SocketsRootState>
 */
export const selectSocketsState: MemoizedSelector<object, SocketsRootState> =
  socketsFeature['selectNgx-customapp-pattern-auth-before-socketState'];

/**
 * Every socket the store knows, by id.
 *
 * @example
 * const sockets = store.selectSignal(selectSockets);
 */
export const selectSockets: MemoizedSelector<object, Readonly<Record<string, SocketEntry>>> = socketsFeature.selectSockets;

/**
 * Whether an initialization is under way.
 *
 * @example
 * readonly opening = store.selectSignal(selectInitInProgress);
 */
export const selectInitInProgress: MemoizedSelector<object, boolean> = socketsFeature.selectInitInProgress;

/**
 * Whether closing every socket is under way.
 *
 * @example
 * readonly closing = store.selectSignal(selectCloseInProgress);
 */
export const selectCloseInProgress: MemoizedSelector<object, boolean> = socketsFeature.selectCloseInProgress;

/**
 * The last initialization error or socket stopped for good, readable, or `null`.
 *
 * @example
 * readonly error = store.selectSignal(selectSocketsLastError);
 */
export const selectSocketsLastError: MemoizedSelector<object, string | null> = socketsFeature.selectLastError;

/**
 * Whether every socket the store knows is live (false when it knows none).
 *
 * @example
 * readonly online = store.selectSignal(selectAllSocketsLive);
 */
export const selectAllSocketsLive: MemoizedSelector<object, boolean> = createSelector(selectSockets, (sockets) => {
  const entries = Object.values(sockets);
  return entries.length > 0 && entries.every((entry) => entry.status === 'live');
});

const socketSelectors = new Map<string, MemoizedSelector<object, SocketEntry>>();
const statusSelectors = new Map<string, MemoizedSelector<object, SocketStatus>>();

/**
 * One socket: its state, status and last error (closed when the store has not heard of it).
 * The selector is made once per id.
 *
 * @example
 * readonly main = store.selectSignal(selectSocket('main')); // Signal<SocketEntry>
 */
export function selectSocket(socketId: string): MemoizedSelector<object, SocketEntry> {
  let selector = socketSelectors.get(socketId);
  if (!selector) {
    selector = createSelector(selectSockets, (sockets) => sockets[socketId] ?? CLOSED_SOCKET);
    socketSelectors.set(socketId, selector);
  }
  return selector;
}

/**
 * One socket's status.
 *
 * @example
 * readonly status = store.selectSignal(selectSocketStatus('main')); // Signal<SocketStatus>
 */
export function selectSocketStatus(socketId: string): MemoizedSelector<object, SocketStatus> {
  let selector = statusSelectors.get(socketId);
  if (!selector) {
    selector = createSelector(selectSocket(socketId), (entry) => entry.status);
    statusSelectors.set(socketId, selector);
  }
  return selector;
}

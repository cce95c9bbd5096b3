import {
  type ActionReducerMap,
  combineReducers,
  createFeature,
  createReducer,
  createSelector,
  type MemoizedSelector,
  type MetaReducer,
  on,
} from '@ngrx/store';
import { type RecoveryOutcome, SocketState } from 'customapp-rxjs-websocket';
import {
  closeSockets,
  closeSocketsFinished,
  initSockets,
  initSocketsErrored,
  initSocketsSucceed,
  socketClosedForever,
  socketErrored,
  socketRecovered,
  socketStateChanged,
} from './sockets-actions';
import type { SocketId } from './socket-config';
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
  /**
   * How its last reconnect came back, when it resumed subscriptions (`recovery` option): recovered
   * (and how many pushes were replayed) or resynced. Kept until the sockets are opened or closed again.
   */
  readonly recovery?: SocketRecovery;
}

/**
 * How a socket's last reconnect came back (see `socketRecovered`).
 *
 * @example
 * const recovery = store.selectSignal(selectSocketRecovery('main'))(); // { outcome: 'recovered', replayed: 12 }
 */
export interface SocketRecovery {
  readonly outcome: RecoveryOutcome;
  /** The pushes the server replayed, over every stream recovered. */
  readonly replayed: number;
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
  readonly sockets: Readonly<Record<SocketId, SocketEntry>>;
  /** Between `initSockets` and its `initSocketsSucceed` / `initSocketsErrored`. */
  readonly initInProgress: boolean;
  /** Between `closeSockets` and `closeSocketsFinished`. */
  readonly closeInProgress: boolean;
  /** The last initialization error or socket stopped for good, readable; cleared by `initSockets`. */
  readonly lastError: string | null;
  /**
   * The same as `initInProgress`, under its 1.2.x name.
   *
   * @deprecated Use `initInProgress` (or `selectInitInProgress`) instead; see MIGRATION.md.
   */
  readonly initInProcess: boolean;
  /**
   * The same as `closeInProgress`, under its 1.2.x name.
   *
   * @deprecated Use `closeInProgress` (or `selectCloseInProgress`) instead; see MIGRATION.md.
   */
  readonly closeInProcess: boolean;
}

/** A socket the store has not heard of yet: closed. */
export const CLOSED_SOCKET: SocketEntry = { state: SocketState.closed, status: 'closed' };

function patchSocket(
  sockets: SocketsRootState['sockets'],
  socketId: SocketId,
  patch: (entry: SocketEntry) => SocketEntry,
): SocketsRootState['sockets'] {
  return { ...sockets, [socketId]: patch(sockets[socketId] ?? CLOSED_SOCKET) };
}

const socketsReducer = createReducer<SocketsRootState['sockets']>(
  {},
  on(socketStateChanged, (sockets, { socketId, state, status }) =>
    patchSocket(sockets, socketId, (entry) =>
      // Live again: the last error is over; how it came back stays until the next open or close.
      status === 'live' ? { state, status, ...(entry.recovery ? { recovery: entry.recovery } : {}) } : { ...entry, state, status },
    ),
  ),
  on(socketRecovered, (sockets, { socketId, outcome, replayed }) =>
    patchSocket(sockets, socketId, (entry) => ({ ...entry, recovery: { outcome, replayed } })),
  ),
  on(initSockets, closeSockets, (sockets) =>
    Object.values(sockets).some((entry) => entry.recovery)
      ? Object.fromEntries(Object.entries(sockets).map(([socketId, { recovery: _gone, ...entry }]) => [socketId, entry]))
      : sockets,
  ),
  on(socketErrored, socketClosedForever, (sockets, { socketId, error }) =>
    patchSocket(sockets, socketId, (entry) => ({ ...entry, lastError: error })),
  ),
);

const initInProgressReducer = createReducer(
  false,
  on(initSockets, (): boolean => true),
  on(initSocketsSucceed, initSocketsErrored, (): boolean => false),
);

const closeInProgressReducer = createReducer(
  false,
  on(closeSockets, (): boolean => true),
  on(closeSocketsFinished, (): boolean => false),
);

const lastErrorReducer = createReducer<string | null>(
  null,
  on(initSockets, () => null),
  on(initSocketsErrored, socketClosedForever, (_, { error }) => error),
);

/**
 * The reducer of each field of `SocketsRootState`, as 1.2.x exported them; `socketsFeature.reducer`
 * combines these. The 1.2.x fields share the reducers of their 1.3 names.
 *
 * @deprecated The package registers its feature itself; to register it by hand use `socketsFeature`
 * (`provideState(socketsFeature)`) instead; see MIGRATION.md.
 */
export const reducers: ActionReducerMap<SocketsRootState> = {
  sockets: socketsReducer,
  initInProgress: initInProgressReducer,
  closeInProgress: closeInProgressReducer,
  lastError: lastErrorReducer,
  initInProcess: initInProgressReducer,
  closeInProcess: closeInProgressReducer,
};

/**
 * The meta-reducers of the feature, as 1.2.x exported them: none.
 *
 * @deprecated The package registers its feature itself, without meta-reducers; see MIGRATION.md.
 */
export const metaReducers: MetaReducer<SocketsRootState>[] = [];

/**
 * The reducer and the base selectors (`createFeature`). `provideAuthBeforeSocket()` registers it.
 *
 * @example
 * StoreModule.forFeature(socketsFeature); // what PatternAuthBeforeSocketModule does
 */
export const socketsFeature = createFeature({
  name: socketsFeatureKey,
  reducer: combineReducers<SocketsRootState>(reducers),
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
 * Whether an initialization is under way, under its 1.2.x name: the same selector as `selectInitInProgress`.
 *
 * @deprecated Use `selectInitInProgress` instead; see MIGRATION.md.
 */
export const selectSocketsInitInProcess: MemoizedSelector<object, boolean> = selectInitInProgress;

/**
 * Whether closing every socket is under way.
 *
 * @example
 * readonly closing = store.selectSignal(selectCloseInProgress);
 */
export const selectCloseInProgress: MemoizedSelector<object, boolean> = socketsFeature.selectCloseInProgress;

/**
 * Whether closing every socket is under way, under its 1.2.x name: the same selector as `selectCloseInProgress`.
 *
 * @deprecated Use `selectCloseInProgress` instead; see MIGRATION.md.
 */
export const selectCloseInProcess: MemoizedSelector<object, boolean> = selectCloseInProgress;

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
const recoverySelectors = new Map<string, MemoizedSelector<object, SocketRecovery | null>>();

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

/**
 * How one socket's last reconnect came back, or `null` when none resumed subscriptions since the
 * sockets were opened: `'recovered'` with the pushes replayed, or `'resynced'` (refetch what it carries).
 *
 * @example
 * readonly recovery = store.selectSignal(selectSocketRecovery('main')); // Signal<SocketRecovery | null>
 */
export function selectSocketRecovery(socketId: string): MemoizedSelector<object, SocketRecovery | null> {
  let selector = recoverySelectors.get(socketId);
  if (!selector) {
    selector = createSelector(selectSocket(socketId), (entry) => entry.recovery ?? null);
    recoverySelectors.set(socketId, selector);
  }
  return selector;
}

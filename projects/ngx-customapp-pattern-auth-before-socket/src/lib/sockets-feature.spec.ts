import { combineReducers } from '@ngrx/store';
import { SocketState } from 'customapp-rxjs-websocket';
import {
  closeSockets,
  closeSocketsFinished,
  initSockets,
  initSocketsErrored,
  initSocketsSucceed,
  metaReducers,
  reducers,
  selectAllSocketsLive,
  selectCloseInProcess,
  selectCloseInProgress,
  selectInitInProgress,
  selectSocketsInitInProcess,
  selectSocketsState,
  selectSocket,
  selectSocketRecovery,
  selectSocketStatus,
  socketClosedForever,
  socketRecovered,
  socketErrored,
  socketsFeature,
  socketsFeatureKey,
  type SocketsRootState,
  socketStateChanged,
} from '../public-api';

describe('the sockets feature', () => {
  const reduce = (actions: Parameters<typeof socketsFeature.reducer>[1][]): SocketsRootState =>
    actions.reduce((state, action) => socketsFeature.reducer(state, action), socketsFeature.reducer(undefined, { type: '@init' }));
  const root = (state: SocketsRootState): { [socketsFeatureKey]: SocketsRootState } => ({ [socketsFeatureKey]: state });

  it('starts with no socket, nothing in progress and no error', () => {
    expect(reduce([])).toEqual({
      sockets: {},
      initInProgress: false,
      closeInProgress: false,
      lastError: null,
      initInProcess: false,
      closeInProcess: false,
    });
  });

  it('tracks an initialization and keeps its error', () => {
    expect(reduce([initSockets()]).initInProgress).toBeTrue();
    expect(reduce([initSockets(), initSocketsSucceed()]).initInProgress).toBeFalse();
    const failed = reduce([initSockets(), initSocketsErrored({ error: 'refused' })]);
    expect(failed).toEqual(jasmine.objectContaining({ initInProgress: false, lastError: 'refused' }));
    expect(reduce([initSockets(), initSocketsErrored({ error: 'refused' }), initSockets()]).lastError).toBeNull();
  });

  it('keeps how a socket came back from its last reconnect while it is live, until the sockets are opened or closed again', () => {
    const recovered = socketRecovered({
      socketId: 'main',
      outcome: 'recovered',
      replayed: 12,
      streams: [{ stream: '1', outcome: 'recovered', replayed: 12 }],
    });
    const back = reduce([
      socketStateChanged({ socketId: 'main', state: SocketState.closed, status: 'reconnecting' }),
      recovered,
      socketStateChanged({ socketId: 'main', state: SocketState.subscribed, status: 'live' }),
    ]);
    expect(selectSocketRecovery('main')(root(back))).toEqual({ outcome: 'recovered', replayed: 12 });
    expect(selectSocketRecovery('other')(root(back))).toBeNull();
    const resynced = reduce([recovered, socketRecovered({ socketId: 'main', outcome: 'resynced', replayed: 0, streams: [] })]);
    expect(selectSocketRecovery('main')(root(resynced))).toEqual({ outcome: 'resynced', replayed: 0 });
    for (const next of [initSockets(), closeSockets()]) {
      expect(selectSocketRecovery('main')(root(reduce([recovered, next])))).toBeNull();
    }
  });

  it('tracks closing', () => {
    expect(reduce([closeSockets()]).closeInProgress).toBeTrue();
    expect(reduce([closeSockets(), closeSocketsFinished()]).closeInProgress).toBeFalse();
  });

  it('keeps each socket\'s state, status and last error, clearing the error once it is live again', () => {
    const dropped = reduce([
      socketStateChanged({ socketId: 'main', state: SocketState.subscribed, status: 'live' }),
      socketStateChanged({ socketId: 'main', state: SocketState.closed, status: 'reconnecting' }),
      socketErrored({ socketId: 'main', error: 'Socket "main": The connection was lost (code 1006).' }),
    ]);
    expect(dropped.sockets['main']).toEqual({
      state: SocketState.closed,
      status: 'reconnecting',
      lastError: 'Socket "main": The connection was lost (code 1006).',
    });
    const back = socketsFeature.reducer(dropped, socketStateChanged({ socketId: 'main', state: SocketState.subscribed, status: 'live' }));
    expect(back.sockets['main']).toEqual({ state: SocketState.subscribed, status: 'live' });
  });

  it('records a socket closed forever as the last error', () => {
    const state = reduce([socketClosedForever({ socketId: 'main', error: 'logged out', code: 4441 })]);
    expect(state.lastError).toBe('logged out');
    expect(state.sockets['main'].lastError).toBe('logged out');
  });

  it('selects a socket the store has not heard of as closed, with one selector per id', () => {
    const state = root(reduce([]));
    expect(selectSocket('nope')(state)).toEqual({ state: SocketState.closed, status: 'closed' });
    expect(selectSocketStatus('nope')(state)).toBe('closed');
    expect(selectSocketStatus('main')).toBe(selectSocketStatus('main'));
  });

  it('says all sockets are live only when every known socket is', () => {
    const live = socketStateChanged({ socketId: 'a', state: SocketState.subscribed, status: 'live' });
    const connecting = socketStateChanged({ socketId: 'b', state: SocketState.pending, status: 'connecting' });
    expect(selectAllSocketsLive(root(reduce([])))).toBeFalse();
    expect(selectAllSocketsLive(root(reduce([live])))).toBeTrue();
    expect(selectAllSocketsLive(root(reduce([live, connecting])))).toBeFalse();
  });

  describe('under the 1.2.x names', () => {
    it('keeps initInProcess and closeInProcess beside initInProgress and closeInProgress', () => {
      const initializing = reduce([initSockets()]);
      expect(initializing.initInProcess).toBeTrue();
      expect(reduce([initSockets(), initSocketsErrored({ error: 'refused' })]).initInProcess).toBeFalse();
      expect(reduce([initSockets(), initSocketsSucceed()]).initInProcess).toBeFalse();
      expect(reduce([closeSockets()]).closeInProcess).toBeTrue();
      expect(reduce([closeSockets(), closeSocketsFinished()]).closeInProcess).toBeFalse();
    });

    it('selects them with selectSocketsInitInProcess and selectCloseInProcess, the selectors of the 1.3 names', () => {
      const state = root(reduce([initSockets(), closeSockets()]));
      expect(selectSocketsInitInProcess(state)).toBeTrue();
      expect(selectCloseInProcess(state)).toBeTrue();
      expect(selectSocketsState(state).initInProcess).toBeTrue();
      expect(selectSocketsInitInProcess).toBe(selectInitInProgress);
      expect(selectCloseInProcess).toBe(selectCloseInProgress);
    });

    it('exports reducers that combine into the feature\'s reducer, and no meta-reducers', () => {
      const combined = combineReducers(reducers);
      const actions = [
        initSockets(),
        socketStateChanged({ socketId: 'main', state: SocketState.subscribed, status: 'live' }),
        socketClosedForever({ socketId: 'main', error: 'logged out', code: 4441 }),
        initSocketsErrored({ error: 'refused' }),
        closeSockets(),
      ];
      const byHand = actions.reduce((state, action) => combined(state, action), combined(undefined, { type: '@init' }));
      expect(byHand).toEqual(reduce(actions));
      expect(Object.keys(reducers).sort()).toEqual(
        ['closeInProcess', 'closeInProgress', 'initInProcess', 'initInProgress', 'lastError', 'sockets'],
      );
      expect(metaReducers).toEqual([]);
    });
  });
});

/*
 * Public API of ngx-customapp-pattern-auth-before-socket.
 */
export { AuthBeforeSocketConfigError, AuthBeforeSocketError, SocketsInitAbortedError, socketsErrorMessage } from './lib/errors';
export { PatternAuthBeforeSocketModule } from './lib/pattern-auth-before-socket.module';
export { provideAuthBeforeSocket } from './lib/provide-auth-before-socket';
export { injectSocket } from './lib/inject-socket';
export { presetSocket } from './lib/preset-socket';
export type {
  AuthBeforeSocketConfig,
  CommonSocketConfig,
  SocketAuthorizeConfig,
  SocketChainLink,
  SocketConfig,
  SocketId,
  SocketsOpenResults,
  SocketReauthorizeConfig,
  SocketSubscribeConfig,
} from './lib/socket-config';
export type { SocketStatus } from './lib/socket-status';
export {
  SOCKETS_ACTIONS_SOURCE,
  closeSockets,
  closeSocketsFinished,
  initSockets,
  initSocketsErrored,
  initSocketsSucceed,
  loginAgainAndInitSocketsErrored,
  loginAgainAndInitSocketsSucceed,
  loginAndInitSocketsErrored,
  loginAndInitSocketsSucceed,
  loginAsAndInitSocketsErrored,
  loginAsAndInitSocketsSucceed,
  socketClosedForever,
  socketErrored,
  socketRecovered,
  socketStateChanged,
} from './lib/sockets-actions';
export {
  metaReducers,
  reducers,
  selectAllSocketsLive,
  selectCloseInProcess,
  selectCloseInProgress,
  selectInitInProgress,
  selectSocket,
  selectSocketRecovery,
  selectSockets,
  selectSocketsInitInProcess,
  selectSocketsLastError,
  selectSocketsState,
  selectSocketStatus,
  socketsFeature,
  socketsFeatureKey,
} from './lib/sockets-feature';
export type { SocketEntry, SocketRecovery, SocketsRootState } from './lib/sockets-feature';
export { injectSocketStatus, SocketsStateService } from './lib/sockets-signals';
export { SocketsEffects } from './lib/sockets.effects';
export { AUTH_BEFORE_SOCKET_CONFIG, SOCKETS_WEBSOCKET_CTOR } from './lib/tokens';
export type {
  CommonWebSocketConfig,
  IndividualWebSocketConfig,
  SocketResponses,
  WebSocketChain,
  WebSocketChainLink,
} from './lib/web-socket-chain';
export { closeTimeout, WebSocketsOwnerService } from './lib/websockets-owner.service';
export type { SocketClosedForeverEvent, SocketErrorEvent, SocketRecoveredEvent, SocketStateChange } from './lib/websockets-owner.service';

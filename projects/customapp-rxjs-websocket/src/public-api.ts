/*
 * Public API of customapp-rxjs-websocket.
 */
export { WebSocketController } from './lib/websocket-controller';
export type { ClosedForeverEvent, SocketCloseInfo } from './lib/controller-events';
export type { OpenResult } from './lib/session';
export { SocketState, isStateReached } from './lib/socket-state';
export type { RequiredState, SocketTransition } from './lib/socket-state';
export {
  DEFAULT_BUFFER_OVERFLOW,
  DEFAULT_BUFFER_SIZE,
  DEFAULT_FATAL_CLOSE_CODES,
  DEFAULT_REQUEST_TIMEOUT,
  DEFAULT_TOKEN_EXPIRED_CLOSE_CODES,
  FALLBACK_RECONNECT_INTERVAL,
} from './lib/config';
export type {
  AuthContext,
  AuthorizeConfig,
  AutoReconnectOptions,
  BufferConfig,
  BufferOverflowStrategy,
  ExpectsResponse,
  HeartbeatConfig,
  OpenOptions,
  ReconnectState,
  RequestKey,
  RequestOptions,
  SendOptions,
  SubscribeConfig,
  WebSocketControllerConfig,
  WaitingRequest,
  WebSocketCtor,
  WebSocketLike,
  WelcomeConfig,
} from './lib/config';
export type { LiveSubscriptionOptions } from './lib/live-subscriptions';
export type { ReauthContext, ReauthorizeConfig } from './lib/reauthorization';
export type { RecoveryConfig, RecoveryOutcome, RecoveryReport, StreamPosition, StreamRecovery } from './lib/recovery';
export { classifyClose } from './lib/close-policy';
export type { CloseDecision, ClosePolicy } from './lib/close-policy';
export { exponentialBackoff } from './lib/backoff';
export type { ExponentialBackoffOptions } from './lib/backoff';
export { silentLogger } from './lib/logger';
export { makeWsUrl } from './lib/ws-url';
export type { WebSocketLogger } from './lib/logger';
export {
  AlreadyOpenedError,
  AuthRejectedError,
  AuthRequestError,
  BufferOverflowError,
  ClosedBeforeResponseError,
  ConnectError,
  ConnectionLostError,
  DeserializeError,
  DuplicateRequestIdError,
  ErrorResponseError,
  FatalCloseError,
  HeartbeatTimeoutError,
  MessageTooLargeError,
  MissingRequestIdError,
  NoLocationError,
  NotReadyError,
  ReauthorizeRejectedError,
  ReauthorizeRequestError,
  ReconnectPolicyError,
  RequestTimeoutError,
  SerializeError,
  SocketClosedError,
  SubscribeRejectedError,
  SubscribeRequestError,
  TokenExpiredError,
  WebSocketControllerError,
  WelcomeTimeoutError,
} from './lib/errors';
export {
  defaultReconnectInterval,
  defaultRequestTimeout,
  defaultWebSocketBufferOverflow,
  defaultWebSocketMessageBufferSize,
  WebSocketControllerState,
} from './lib/deprecated';
export type { WebSocketOpenOptions, WebSocketSendOptions } from './lib/deprecated';

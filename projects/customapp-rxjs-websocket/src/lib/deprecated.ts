/*
 * The 1.2.x names whose 1.3 replacement reads better, kept as thin aliases of it (see MIGRATION.md).
 */
import {
  BufferOverflowStrategy,
  DEFAULT_BUFFER_OVERFLOW,
  DEFAULT_BUFFER_SIZE,
  DEFAULT_REQUEST_TIMEOUT,
  FALLBACK_RECONNECT_INTERVAL,
  OpenOptions,
} from './config';
import { SocketState } from './socket-state';

/**
 * The wait before a reconnect, in ms, when `autoReconnect.interval` throws.
 *
 * @deprecated Use FALLBACK_RECONNECT_INTERVAL instead (the default interval is `exponentialBackoff()`, not this); see MIGRATION.md.
 */
export const defaultReconnectInterval: number = FALLBACK_RECONNECT_INTERVAL;

/**
 * How long a request waits for its response when `requestTimeout` is not set, in ms.
 *
 * @deprecated Use DEFAULT_REQUEST_TIMEOUT instead; see MIGRATION.md.
 */
export const defaultRequestTimeout: number = DEFAULT_REQUEST_TIMEOUT;

/**
 * How many messages may wait in the send buffer when `buffer.size` is not set (1000; it was 2 in 1.2.x).
 *
 * @deprecated Use DEFAULT_BUFFER_SIZE instead; see MIGRATION.md.
 */
export const defaultWebSocketMessageBufferSize: number = DEFAULT_BUFFER_SIZE;

/**
 * What a full send buffer drops when `buffer.overflow` is not set (`'dropNew'`; it was `'dropOld'` in 1.2.x).
 *
 * @deprecated Use DEFAULT_BUFFER_OVERFLOW instead; see MIGRATION.md.
 */
export const defaultWebSocketBufferOverflow: BufferOverflowStrategy = DEFAULT_BUFFER_OVERFLOW;

/**
 * The options of `WebSocketController.open`.
 *
 * @deprecated Use OpenOptions instead; see MIGRATION.md.
 */
export type WebSocketOpenOptions = OpenOptions;

/**
 * The 1.2.x options of `send` and `request`, which both still take them, mapped onto `SendOptions`:
 * `withoutAuth` is `requires: SocketState.opened`, `withoutSubscription` is
 * `requires: SocketState.authorized`, `noBuffer` is `buffer: false`. `requires` and `buffer`, when
 * given, win.
 *
 * @deprecated Use SendOptions (`requires`, `buffer`) instead; see MIGRATION.md.
 */
export interface WebSocketSendOptions {
  /** @deprecated Use `requires: SocketState.opened` instead. */
  withoutAuth?: boolean;
  /** @deprecated Use `requires: SocketState.authorized` instead. */
  withoutSubscription?: boolean;
  /** @deprecated Use `buffer: false` instead. */
  noBuffer?: boolean;
}

/**
 * The state of a `WebSocketController`: the very enum `SocketState` (the same object), under its 1.2.x name.
 *
 * @deprecated Use SocketState instead; see MIGRATION.md.
 */
export const WebSocketControllerState = SocketState;
/** @deprecated Use SocketState instead; see MIGRATION.md. */
export type WebSocketControllerState = SocketState;
/** The member types, so `WebSocketControllerState.opened` works as a type too, as an enum's do. */
export declare namespace WebSocketControllerState {
  type pending = SocketState.pending;
  type opened = SocketState.opened;
  type authorized = SocketState.authorized;
  type subscribed = SocketState.subscribed;
  type closing = SocketState.closing;
  type closed = SocketState.closed;
}

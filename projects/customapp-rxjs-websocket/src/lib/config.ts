import { Observable, SchedulerLike } from 'rxjs';
import { WebSocketLogger } from './logger';
import type { ReauthorizeConfig } from './reauthorization';
import type { RecoveryConfig } from './recovery';
import { RequiredState } from './socket-state';

/** The correlation key of a request or a response: the numeric id by default, or anything the config derives. */
export type RequestKey = string | number;

/**
 * An event handler property of a WebSocket, checked bivariantly (as methods are), so that the
 * browser's handlers (`(this: WebSocket, ev: MessageEvent) => any`) and the `ws` package's
 * (`(event: WebSocket.MessageEvent) => void`) both fit: the controller only assigns these handlers and
 * reads the members named in `E` from the events it gets.
 */
type WebSocketHandler<E> = { handle(event: E): void }['handle'];

/** What a WebSocket must offer the controller: the browser's `WebSocket` and the `ws` package's both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  readonly protocol: string;
  binaryType: string;
  onopen: WebSocketHandler<unknown> | null;
  onmessage: WebSocketHandler<{ data: unknown }> | null;
  onclose: WebSocketHandler<{ code: number; reason: string; wasClean: boolean }> | null;
  onerror: WebSocketHandler<unknown> | null;
  send(data: never): void;
  close(code?: number, reason?: string): void;
}

/**
 * A WebSocket constructor: `WebSocket` in browsers, `WebSocket` from the `ws` package in Node, each
 * passed as it is. The third argument, when `createSocketOptions` is configured, is what it returned
 * (the `ws` package's options).
 *
 * @example
 * import { WebSocket } from 'ws';
 * new WebSocketController({ url: 'wss://example.com/ws', WebSocketCtor: WebSocket });
 */
export type WebSocketCtor = new (url: string, protocols?: string | string[], options?: never) => WebSocketLike;

/** Why the current auth request is being made; passed to `authorize.createRequest`. */
export interface AuthContext<Res = unknown> {
  /** 1 for the first connection of an `open()`, then counts every connection after it. */
  readonly connection: number;
  /**
   * True when the previous socket was closed with a "token expired" code: the token must be renewed
   * (not taken from a cache) before it goes into this auth request.
   */
  readonly tokenExpired: boolean;
  /** The server's welcome message on this connection, when `authorize.welcome` waits for one. */
  readonly welcome?: Res;
  /**
   * The auth response of the last connection of this `open()` that was authorized, to resume a
   * server-side session (e.g. send back the session id it gave). `undefined` on the first connection.
   */
  readonly previousAuthResponse?: Res;
}

/**
 * For servers that speak first: the controller waits for their welcome message after the socket opens,
 * before it creates the auth request, and hands the message to `createRequest` as `context.welcome`.
 */
export interface WelcomeConfig<Res> {
  /** Which incoming message is the welcome. Default: the first message of the connection. */
  isWelcome?(message: Res): boolean;
  /**
   * How long to wait for it, in ms, from the moment the socket opened. Default: `requestTimeout`.
   * Past it the connection is replaced (a `WelcomeTimeoutError` on `error$`, then a reconnect).
   */
  timeout?: number;
}

/** Whether the server answers a request: for all of them, or decided per request. */
export type ExpectsResponse<Req> = boolean | ((request: Req) => boolean);

/** How the socket authorizes itself after every open (the first one and every reconnect). */
export interface AuthorizeConfig<Req, Res> {
  /**
   * Creates the auth request. Called anew for every connection, so a reconnect never reuses an old
   * (maybe expired) token. Emit `undefined` to skip authorization. An error here stops the controller
   * with an `AuthRequestError`.
   */
  createRequest(context: AuthContext<Res>): Observable<Req | undefined>;
  /** Wait for the server's welcome message before creating the auth request (servers that speak first). */
  welcome?: WelcomeConfig<Res>;
  /**
   * Whether the server answers the auth request. Default `true`: its response is awaited like any
   * request's, keyed by `getRequestId`/`getResponseId`. `false` for servers that never acknowledge it:
   * it counts as accepted once written, and the server's refusal, if any, is the first message it
   * sends afterwards being an error response (see "Requests the server never answers" in the README).
   */
  expectsResponse?: boolean;
  /** Whether the auth response means success. Default: not an error response (see `isErrorResponse`). */
  isResponseSuccessful?(response: Res): boolean;
  /**
   * Whether an error response to the auth request says the token expired. Such a refusal is not final:
   * the controller reconnects at once and asks `createRequest` for a renewed token
   * (`context.tokenExpired`), and stops only if that one is refused too.
   */
  isTokenExpiredResponse?(response: Res): boolean;
}

/** The subscriptions sent after every successful authorization. */
export interface SubscribeConfig<Req, Res> {
  /** Creates the subscription requests, anew for every connection. Emit `undefined` or `[]` for none. */
  createRequests(authResponse: Res | undefined): Observable<Req[] | undefined>;
  /** Whether a subscription response means success. Default: not an error response. */
  isResponseSuccessful?(response: Res): boolean;
  /**
   * Whether the server answers a subscription request. Default `true` for all. A request it never
   * answers counts as accepted once written, under the same rule as `authorize.expectsResponse`.
   */
  expectsResponse?: ExpectsResponse<Req>;
}

/** A request that was written to the socket and waits for its response, as `routeErrorResponse` sees it. */
export interface WaitingRequest<Req> {
  readonly key: RequestKey;
  readonly request: Req;
}

/** An application-level heartbeat (browsers cannot send ping frames). */
export interface HeartbeatConfig<Req> {
  /** Creates one heartbeat request; it is sent as a request and its response awaited. */
  createRequest(): Req;
  /** Time between heartbeats, in ms, while the socket is authorized or subscribed. */
  interval: number;
  /** How long to wait for the heartbeat response before the connection counts as dead, in ms. */
  timeout: number;
}

/**
 * What a full send buffer drops: `dropNew` refuses the new message, `dropOld` drops the oldest waiting
 * one. Either way the dropped message's sender gets a `BufferOverflowError`.
 */
export type BufferOverflowStrategy = 'dropOld' | 'dropNew';

/** The bounded buffer where messages wait for the state they need. */
export interface BufferConfig {
  /** How many messages may wait; 0 turns buffering off. Default {@link DEFAULT_BUFFER_SIZE}. */
  size: number;
  /** What to drop when the buffer is full. Default {@link DEFAULT_BUFFER_OVERFLOW}. */
  overflow: BufferOverflowStrategy;
}

/**
 * The configuration of a {@link WebSocketController}. Only `url` is required; the defaults speak JSON
 * with a numeric `id` on requests and responses.
 *
 * @example
 * const config: WebSocketControllerConfig<Request, Response, ArrayBuffer> = {
 *   url: () => `wss://example.com/ws`,
 *   binaryType: 'arraybuffer',
 *   serializer: (req) => api.Request.encode(req).finish(),
 *   deserializer: (event) => api.Response.decode(new Uint8Array(event.data)),
 *   isErrorResponse: (res) => !!res.error,
 *   authorize: { createRequest: () => jwt$.pipe(map((token) => ({ id: 0, auth: { accessToken: token } }))) },
 *   subscribe: { createRequests: () => of([{ id: 0, sub: { kind: SubKind.CATEGORIES } }]) },
 * };
 */
export interface WebSocketControllerConfig<Req, Res, Data = string> {
  /**
   * The socket's URL, or a function called before every connection (so it may change between
   * reconnects). A path on the page's own host: `() => makeWsUrl('/ws')`.
   */
  url: string | URL | (() => string);
  /** The WebSocket subprotocol(s) to ask for. */
  protocol?: string | string[];
  /**
   * Turns a request into a frame. Default: a request that already is a frame (a string, an
   * `ArrayBuffer`, a typed array or a `Blob`) goes as it is; anything else as `JSON.stringify` writes it.
   */
  serializer?: (request: Req) => Data;
  /**
   * Turns an incoming `MessageEvent` into a response or push, as RxJS's `webSocket()` does: the frame
   * is `event.data`. Default: a text frame is parsed as JSON (`JSON.parse(event.data)`), a binary frame
   * is handed on as it is. A throw here skips the frame (see `error$`).
   */
  deserializer?: (event: MessageEvent<Data>) => Res;
  /** `'arraybuffer'` for binary protocols (the `ws` package's default is `'nodebuffer'`). */
  binaryType?: 'arraybuffer' | 'blob' | 'nodebuffer';
  /** The WebSocket constructor. Default: the global `WebSocket`. */
  WebSocketCtor?: WebSocketCtor;
  /**
   * Where the platform allows it (Node with the `ws` package), per-connection constructor options,
   * created anew before every connection: its first value is the constructor's third argument. An
   * error stops the controller with a `ConnectError`. Browsers' `WebSocket` ignores it.
   *
   * @example
   * createSocketOptions: () => token$.pipe(take(1), map((token) => ({ headers: { Authorization: `Bearer ${token}` } }))),
   */
  createSocketOptions?: (context: { readonly connection: number; readonly tokenExpired: boolean }) => Observable<unknown>;
  /**
   * Stamps a fresh numeric id on a request before it is sent, for correlation. Default: sets `id`.
   * Return the request unchanged when the protocol correlates by something else (see `getRequestId`).
   */
  setRequestId?: (request: Req, id: number) => Req;
  /**
   * The correlation key of an outgoing request (after `setRequestId`). Default: the id it was stamped
   * with — its `id` with the default `setRequestId`, wherever a custom `setRequestId` puts it otherwise.
   */
  getRequestId?: (request: Req) => RequestKey | undefined;
  /**
   * The correlation key of an incoming message, or `undefined`/a key no request waits for when it is a
   * push. Default: its `id` (a push carries 0 or none).
   */
  getResponseId?: (response: Res) => RequestKey | undefined;
  /** Whether a response is an error; a request answered with one fails with `ErrorResponseError`. Default: never. */
  isErrorResponse?: (response: Res) => boolean;
  /**
   * For servers whose error messages do not say which request they refuse: given an error response
   * that answers no request by its key, returns the key of the waiting request it refuses (which then
   * fails at once with `ErrorResponseError`), or `undefined` to treat it as a push. `waiting` lists the
   * requests written to the socket and not yet answered, oldest first.
   *
   * @example
   * // The error names the resource type: it refuses the oldest request about that type.
   * routeErrorResponse: (error, waiting) => waiting.find((w) => w.request.type === error.type)?.key,
   */
  routeErrorResponse?: (error: Res, waiting: readonly WaitingRequest<Req>[]) => RequestKey | undefined;
  /** A readable message for an error response. Default: the response as JSON. */
  describeError?: (response: Res) => string;
  /** How long a request waits for its response once sent, in ms. Default {@link DEFAULT_REQUEST_TIMEOUT}. */
  requestTimeout?: number;
  /** The auth request sent after every open. Omit for servers without auth. */
  authorize?: AuthorizeConfig<Req, Res>;
  /** The subscription requests sent after every authorization. */
  subscribe?: SubscribeConfig<Req, Res>;
  /**
   * In-band re-auth: renews the authorization of the open connection with a fresh token, without
   * reconnecting, each time `reauthorize()` is called (before the token expires). When the server
   * refuses it or does not answer, the controller reconnects with a fresh auth instead.
   */
  reauthorize?: ReauthorizeConfig<Req, Res>;
  /**
   * Missed-push recovery: read the stream positions of pushes and resume each subscription from the
   * last one seen when it is sent again after a reconnect (see `recovered$`).
   */
  recovery?: RecoveryConfig<Req, Res>;
  /** The application-level heartbeat. Omit to rely on the browser and the server alone. */
  heartbeat?: HeartbeatConfig<Req>;
  /**
   * The buffer for messages sent before the socket is ready.
   * Default `{ size: DEFAULT_BUFFER_SIZE, overflow: DEFAULT_BUFFER_OVERFLOW }`.
   */
  buffer?: Partial<BufferConfig>;
  /** Refuse to send frames larger than this many bytes (strings count as UTF-8). Default: no limit. */
  maxMessageSize?: number;
  /**
   * Close codes after which the controller stops for good instead of reconnecting.
   * Default {@link DEFAULT_FATAL_CLOSE_CODES}.
   */
  fatalCloseCodes?: readonly number[];
  /**
   * Close codes that mean "your token expired": the controller reconnects at once and asks
   * `authorize.createRequest` for a renewed token. Default {@link DEFAULT_TOKEN_EXPIRED_CLOSE_CODES}.
   */
  tokenExpiredCloseCodes?: readonly number[];
  /** How long `close()` waits for the server's closing handshake before it lets go, in ms. Default 3000. */
  closeTimeout?: number;
  /**
   * Emits when the network comes back; a waiting reconnect then happens at once. Default: the
   * browser's `online` event when there is a `window`, else never (Node).
   */
  online$?: Observable<unknown>;
  /** The scheduler for every timer (reconnect, timeouts, heartbeat). Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /** Where the controller reports what it does. Default: silent. */
  logger?: WebSocketLogger;
}

/** The reconnect policy of one `open()`. */
export interface AutoReconnectOptions {
  /**
   * The wait before reconnect attempt `state.attempt`, in ms. Default: {@link exponentialBackoff} 0.5 s → 30 s.
   * If it throws, the error goes to `error$` and the wait is {@link FALLBACK_RECONNECT_INTERVAL}.
   */
  interval?: (state: ReconnectState) => number;
  /**
   * Whether to try again at all. Default: always (fatal closes and rejections never reach this). If it
   * throws, the error goes to `error$` and the controller reconnects.
   */
  shouldReconnect?: (state: ReconnectState) => boolean;
}

/** What the reconnect policy is told about the connection that just ended. */
export interface ReconnectState {
  /** How many connections in a row ended before the socket got subscribed (1 for the first failure). */
  readonly attempt: number;
  /** The close code, when the socket was closed (1006 for a drop). */
  readonly code?: number;
  readonly reason?: string;
  /** The error that ended the connection, when there was one (heartbeat timeout, auth timeout, ...). */
  readonly error?: Error;
  /** Whether the connection that just ended had been subscribed. */
  readonly wasPrevOpenSuccessful: boolean;
  /** How many times this controller got subscribed, over its whole life. */
  readonly subscribedCounter: number;
  /** How many `error` events this controller's WebSockets fired, over its whole life. */
  readonly erroredCounter: number;
}

/** Options of `WebSocketController.open`. */
export interface OpenOptions {
  /** Reconnect after drops. Default: on, with exponential backoff. `false` turns it off. */
  autoReconnect?: AutoReconnectOptions | false;
  /** When the controller is already open, return the current connection's result instead of throwing. */
  doNotThrowWhenOpened?: boolean;
}

/** Options of `send` and `request`. */
export interface SendOptions {
  /** The state the socket must be in for this message. Default `subscribed`. */
  requires?: RequiredState;
  /** Whether the message may wait in the buffer until that state is reached. Default `true`. */
  buffer?: boolean;
}

/** Options of `request`. */
export interface RequestOptions extends SendOptions {
  /** Overrides the config's `requestTimeout` for this request, in ms. */
  timeout?: number;
}

/**
 * Close codes that stop the controller for good. Each would fail again the same way on a reconnect:
 * - 1002 protocol error, 1003 unsupported data, 1007 invalid payload: the client speaks something the server does not.
 * - 1008 policy violation: the server refuses this client.
 * - 4400 bad request, 4401 unauthorized, 4403 forbidden: the usual application codes (as graphql-ws uses them).
 * - 4440 session logged out, 4441 logged out from every device: the session is over, so a reconnect's
 *   auth would be refused (4401) anyway; stopping now keeps the reason in the code.
 *
 * The one list of these codes: the bundled e2e-server hands it to its clients as `CLIENT_CLOSE_POLICY`,
 * and the demo uses it as it is.
 */
export const DEFAULT_FATAL_CLOSE_CODES: readonly number[] = [1002, 1003, 1007, 1008, 4400, 4401, 4403, 4440, 4441];

/**
 * Close codes that mean the access token expired while the socket was open (or at auth):
 * reconnect at once with a renewed token. 4419 follows HTTP 419 "authentication timeout".
 */
export const DEFAULT_TOKEN_EXPIRED_CLOSE_CODES: readonly number[] = [4419];

/**
 * How long a request waits for its response once sent, in ms, when `requestTimeout` is not set: two
 * minutes, as in 1.2.x, so a request a slow server answers late still succeeds. The handshake's
 * requests and the welcome wait use it too; set `requestTimeout` to notice a lost response sooner.
 */
export const DEFAULT_REQUEST_TIMEOUT = 120_000;

/**
 * How many messages may wait in the send buffer when `buffer.size` is not set. Bounded, and every
 * message dropped fails its sender with `BufferOverflowError`, so the bound only costs memory while
 * the socket is down.
 */
export const DEFAULT_BUFFER_SIZE = 1000;

/** What a full send buffer drops when `buffer.overflow` is not set: the new message, so order is kept. */
export const DEFAULT_BUFFER_OVERFLOW: BufferOverflowStrategy = 'dropNew';

/**
 * The wait before a reconnect, in ms, when `autoReconnect.interval` throws (the error goes to
 * `error$`). The default interval is {@link exponentialBackoff}, not this.
 */
export const FALLBACK_RECONNECT_INTERVAL = 10_000;

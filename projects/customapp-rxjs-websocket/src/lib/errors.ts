import type { BufferOverflowStrategy, RequestKey } from './config';
import { SocketState } from './socket-state';

/**
 * The base of every error the controller reports, so `catchError` can tell ours from others:
 * `if (error instanceof WebSocketControllerError) ...`.
 */
export class WebSocketControllerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** `open()` was called while the controller is already open or opening. */
export class AlreadyOpenedError extends WebSocketControllerError {
  constructor(readonly state: SocketState) {
    super(
      `The socket is already ${state}: call close() first, or pass { doNotThrowWhenOpened: true } to open() ` +
        'to reuse the current connection.',
    );
  }
}

/** A request got no response within `requestTimeout`. */
export class RequestTimeoutError extends WebSocketControllerError {
  constructor(readonly requestId: RequestKey, readonly timeout: number) {
    super(`No response to request ${String(requestId)} within ${timeout} ms. The server may be slow or the request lost.`);
  }
}

/** The socket closed (dropped, or `close()` was called) while a request still waited for its response. */
export class ClosedBeforeResponseError extends WebSocketControllerError {
  constructor(readonly requestId: RequestKey) {
    super(
      `The socket closed before request ${String(requestId)} got its response. ` +
        'It may or may not have reached the server; retry if it is safe to repeat.',
    );
  }
}

/** A message could not be sent because the controller was closed for good (or closed while it waited in the buffer). */
export class SocketClosedError extends WebSocketControllerError {
  constructor(detail = 'the socket is closed and will not reconnect') {
    super(`The message was not sent: ${detail}. Open the socket again to send.`);
  }
}

/** The socket was not in the state a message needs and the message was not allowed to wait in the buffer. */
export class NotReadyError extends WebSocketControllerError {
  constructor(readonly state: SocketState, readonly required: SocketState) {
    super(
      `The message needs the socket ${required} but it is ${state}, and buffering was turned off for it. ` +
        'Send it with { buffer: true } to have it wait, or wait for the state yourself.',
    );
  }
}

/** The send buffer was full; this message (or the oldest waiting one, with `overflow: 'dropOld'`) was dropped. */
export class BufferOverflowError extends WebSocketControllerError {
  constructor(readonly size: number, readonly overflow: BufferOverflowStrategy) {
    super(
      overflow === 'dropNew'
        ? `The send buffer is full (${size} messages waiting for the socket); this message was not queued.`
        : `The send buffer is full (${size} messages waiting for the socket); this message, the oldest, was dropped to make room.`,
    );
  }
}

/** The serialized message is larger than `maxMessageSize`; it was not sent (the server would have closed the socket). */
export class MessageTooLargeError extends WebSocketControllerError {
  constructor(readonly size: number, readonly maxMessageSize: number) {
    super(`The message is ${size} bytes, over the limit of ${maxMessageSize} bytes; it was not sent.`);
  }
}

/** The serializer threw for this message. */
export class SerializeError extends WebSocketControllerError {
  constructor(override readonly cause: unknown) {
    super(`The message could not be serialized: ${describe(cause)}.`);
  }
}

/** An incoming frame could not be read by the deserializer. The socket keeps working. */
export class DeserializeError extends WebSocketControllerError {
  constructor(override readonly cause: unknown, readonly data: unknown) {
    super(`An incoming frame could not be deserialized and was skipped: ${describe(cause)}.`);
  }
}

/** The config's `getRequestId` found no correlation key on a request, so its response could never be matched. */
export class MissingRequestIdError extends WebSocketControllerError {
  constructor() {
    super(
      'The request has no correlation key (getRequestId returned undefined), so its response could not be matched. ' +
        'Use send() for messages without a response; for an auth or subscription request the server never answers, ' +
        'set `expectsResponse: false` in `authorize` or `subscribe`.',
    );
  }
}

/** Another request with the same correlation key is still waiting for its response. */
export class DuplicateRequestIdError extends WebSocketControllerError {
  constructor(readonly requestId: RequestKey) {
    super(
      `A request with id ${String(requestId)} is already waiting for its response; ` +
        'two requests with one id could not be told apart. Wait for the first one, or make the ids differ.',
    );
  }
}

/**
 * The server answered a request with an error response (as told by `isErrorResponse`). The response
 * is `response`; its own fields are on the error too (1.2.x errored `request()` with the response
 * itself, so handlers reading `error.error.message` keep working), except where they would hide the
 * error's own `message`, `name`, `stack`, `cause` or `response`.
 */
export class ErrorResponseError<Res = unknown> extends WebSocketControllerError {
  constructor(readonly response: Res, message: string) {
    super(message);
    if (typeof response !== 'object' || response === null) return;
    for (const [field, value] of Object.entries(response)) {
      if (!(field in this)) Object.defineProperty(this, field, { value, enumerable: false, configurable: true, writable: true });
    }
  }
}

/** The auth request could not be made (its `createRequest` failed), e.g. because no fresh token could be had. */
export class AuthRequestError extends WebSocketControllerError {
  constructor(override readonly cause: unknown) {
    super(`The auth request could not be created: ${describe(cause)}. The socket will not reconnect on its own.`);
  }
}

/** The server refused the auth request. The controller stops: retrying with the same credentials would loop. */
export class AuthRejectedError<Res = unknown> extends WebSocketControllerError {
  constructor(readonly response: Res | undefined, detail: string) {
    super(`The server refused the socket's authorization: ${detail}. Sign in again to reconnect.`);
  }
}

/** The server refused a subscription request. The controller stops rather than run without it. */
export class SubscribeRejectedError<Res = unknown> extends WebSocketControllerError {
  constructor(readonly response: Res | undefined, detail: string) {
    super(`The server refused a subscription: ${detail}. The socket was closed and will not reconnect on its own.`);
  }
}

/** The subscription requests could not be made (their `createRequests` failed). */
export class SubscribeRequestError extends WebSocketControllerError {
  constructor(override readonly cause: unknown) {
    super(`The subscription requests could not be created: ${describe(cause)}.`);
  }
}

/** The server closed the socket with a code the config marks as fatal; the controller will not reconnect. */
export class FatalCloseError extends WebSocketControllerError {
  constructor(readonly code: number, readonly reason: string) {
    super(`The server closed the socket for good (code ${code}${reason ? `: ${reason}` : ''}). It will not reconnect on its own.`);
  }
}

/**
 * The server said the token expired again right after a reconnect with a freshly created auth request:
 * the token source cannot give a valid token, so the controller stops instead of looping.
 */
export class TokenExpiredError extends WebSocketControllerError {
  constructor(readonly code: number, readonly reason: string) {
    super(
      `The server refused the token as expired (code ${code}${reason ? `: ${reason}` : ''}) even after it was created anew. ` +
        'Sign in again.',
    );
  }
}

/**
 * An in-band re-authorization (`reauthorize()`) did not renew the connection: the server refused it
 * (`response` is its answer; `tokenExpired` when it said the token was expired), gave no answer in
 * time, or the request could not be sent (`cause`). The controller falls back to a reconnect with a
 * freshly created auth request.
 */
export class ReauthorizeRejectedError<Res = unknown> extends WebSocketControllerError {
  readonly response?: Res;
  readonly tokenExpired: boolean;
  override readonly cause?: unknown;

  constructor(detail: string, options: { response?: Res; tokenExpired?: boolean; cause?: unknown } = {}) {
    super(`The server did not renew the socket's authorization: ${detail}. Reconnecting with a fresh token.`);
    this.response = options.response;
    this.tokenExpired = options.tokenExpired ?? false;
    this.cause = options.cause;
  }
}

/**
 * The re-authorization request could not be created (`reauthorize.createRequest` failed, e.g. no fresh
 * token could be had), or there is no `reauthorize` config. The connection keeps its authorization
 * until the server ends it.
 */
export class ReauthorizeRequestError extends WebSocketControllerError {
  constructor(override readonly cause: unknown) {
    super(`The re-authorization request could not be created: ${describe(cause)}. The socket keeps its current authorization.`);
  }
}

/** The server did not send its welcome message (`authorize.welcome`) in time after the socket opened. */
export class WelcomeTimeoutError extends WebSocketControllerError {
  constructor(readonly timeout: number) {
    super(`The server sent no welcome message within ${timeout} ms of the socket opening. Reconnecting.`);
  }
}

/** No heartbeat response arrived in time: the connection is treated as dead and replaced. */
export class HeartbeatTimeoutError extends WebSocketControllerError {
  constructor(readonly timeout: number) {
    super(`No heartbeat response within ${timeout} ms; the connection is dead. Reconnecting.`);
  }
}

/** The socket dropped (network failure, server restart, ...) and a reconnect may follow. */
export class ConnectionLostError extends WebSocketControllerError {
  constructor(readonly code: number, readonly reason: string) {
    super(`The connection was lost (code ${code}${reason ? `: ${reason}` : ''}).`);
  }
}

/** The WebSocket could not even be created (a malformed URL, an unsupported protocol, ...). */
export class ConnectError extends WebSocketControllerError {
  constructor(override readonly cause: unknown) {
    super(`The WebSocket could not be created: ${describe(cause)}. Check the url and protocol settings.`);
  }
}

/** An `autoReconnect` callback threw; the controller went on with the default (the reconnect happens). */
export class ReconnectPolicyError extends WebSocketControllerError {
  constructor(readonly callback: 'interval' | 'shouldReconnect', override readonly cause: unknown, readonly fallback: unknown) {
    super(
      callback === 'interval'
        ? `autoReconnect.interval threw: ${describe(cause)}. Reconnecting in ${String(fallback)} ms instead.`
        : `autoReconnect.shouldReconnect threw: ${describe(cause)}. Reconnecting, as when it is not set.`,
    );
  }
}

/** `makeWsUrl` was called where there is no page `location` to take the host from (Node, server-side rendering). */
export class NoLocationError extends WebSocketControllerError {
  constructor(readonly relativeUrl: string) {
    super(
      `makeWsUrl('${relativeUrl}') needs the page's location to know its host, and this runtime has none ` +
        '(Node, server-side rendering). Pass an absolute ws:// or wss:// URL instead.',
    );
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  if (typeof cause === 'string') return cause;
  try {
    return JSON.stringify(cause);
  } catch {
    return String(cause);
  }
}

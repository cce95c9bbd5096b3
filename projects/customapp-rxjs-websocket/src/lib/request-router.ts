import { AsyncSubject, Observable, SchedulerLike, Subscription, throwError } from 'rxjs';
import { DEFAULT_BUFFER_OVERFLOW, DEFAULT_BUFFER_SIZE, DEFAULT_REQUEST_TIMEOUT, RequestKey, SendOptions, WaitingRequest, WebSocketControllerConfig } from './config';
import type { WebSocketSendOptions } from './deprecated';
import { Deadlines } from './deadlines';
import { Consumer } from './direct-subscription';
import {
  ClosedBeforeResponseError,
  DeserializeError,
  DuplicateRequestIdError,
  ErrorResponseError,
  MissingRequestIdError,
  RequestTimeoutError,
  WebSocketControllerError,
} from './errors';
import { MessageCodec } from './message-codec';
import { PendingRequest, PendingRequests } from './pending-requests';
import { RequestObservable, RequestStarter } from './request-observable';
import { SendBuffer } from './send-buffer';
import { RequiredState, SocketState } from './socket-state';

/** What the router needs of the connection: may a message go now, and the write itself. */
export interface Transport<Data> {
  /** Whether a message that needs `requires` goes out now, waits in the buffer, or is refused (and why). */
  gate(requires: RequiredState, mayWait: boolean): 'now' | 'wait' | WebSocketControllerError;
  /** Writes a frame to the current socket (only called after `gate` said `now`, or from the buffer's flush). */
  write(frame: Data): void;
}

/** Where a message goes: the state it needs, and whether it may wait in the buffer for it. */
export interface Dispatch {
  readonly requires: RequiredState;
  readonly buffer: boolean;
}

/**
 * Where `send`/`request` options send a message: `requires` (default `subscribed`) and `buffer`
 * (default `true`), or else the 1.2.x flags they replace.
 */
export function dispatchOf(options: SendOptions & WebSocketSendOptions): Dispatch {
  const requires =
    options.requires ??
    (options.withoutAuth ? SocketState.opened : options.withoutSubscription ? SocketState.authorized : SocketState.subscribed);
  return { requires, buffer: options.buffer ?? !options.noBuffer };
}

/** `receive` dealt with the frame: it settled the request the message answers, or the frame was unreadable. */
export const ANSWERED: unique symbol = Symbol('answered');

/**
 * Every message of a controller, both ways, whoever sends it (`send`, `request`, the handshake, the
 * heartbeat): one path stamps, keys, checks, serializes and registers what waits for an answer, and
 * one path matches what comes back. It knows nothing of connections beyond its {@link Transport}.
 */
export class RequestRouter<Req, Res, Data> implements RequestStarter<Req, Res> {
  readonly codec: MessageCodec<Req, Res, Data>;
  private readonly pending = new PendingRequests<Req, Res>((request, phase) => this.forget(request, phase));
  private readonly deadlines: Deadlines<PendingRequest<Req, Res>>;
  private readonly buffer: SendBuffer;
  /** How long a request waits for its response once sent, unless it says otherwise (`requestTimeout`). */
  readonly requestTimeout: number;
  /**
   * One object of each class a request makes, never sent, held as long as the router. V8 forgets a
   * hidden class once no object has it: after a burst, with every request answered, a full garbage
   * collection would take these classes along, and every optimized function that handled requests
   * would be deoptimized and compiled again at the next burst (some 30 ms of CPU: more than a burst of
   * 10,000 requests costs otherwise).
   */
  private readonly classKeepers: readonly object[];
  /**
   * The stamped copy of each request in flight, for `routeErrorResponse` (its one reader): kept only
   * when that is configured, as a copy would otherwise live as long as its request waits.
   */
  private readonly stampedCopies?: Map<PendingRequest<Req, Res>, Req>;

  constructor(
    private readonly config: WebSocketControllerConfig<Req, Res, Data>,
    scheduler: SchedulerLike,
    private readonly transport: Transport<Data>,
  ) {
    this.codec = new MessageCodec(config);
    this.deadlines = new Deadlines<PendingRequest<Req, Res>>(scheduler, (request, timeout) => {
      this.pending.delete(request);
      request.fail(new RequestTimeoutError(request.key, timeout));
    });
    this.requestTimeout = config.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT;
    if (config.routeErrorResponse) this.stampedCopies = new Map();
    this.buffer = new SendBuffer({
      size: config.buffer?.size ?? DEFAULT_BUFFER_SIZE,
      overflow: config.buffer?.overflow ?? DEFAULT_BUFFER_OVERFLOW,
    });
    this.classKeepers = [
      new RequestObservable<Req, Res>(this, undefined as Req, { requires: SocketState.subscribed, buffer: true }, 0),
      new PendingRequest<Req, Res>(this.pending, 0, undefined),
    ];
  }

  /** Requests holding a key: waiting in the buffer or for their response. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Messages waiting in the buffer. */
  get waiting(): number {
    return this.buffer.length;
  }

  /**
   * Sends a message that expects no answer, as given (no id is stamped). Starts at once; the result
   * completes once it was written, or errors with why it never will be.
   */
  send(message: Req, dispatch: Dispatch): Observable<void> {
    const result = new AsyncSubject<void>();
    const frame = this.codec.serialize(message);
    const route = frame instanceof Error ? frame : this.transport.gate(dispatch.requires, dispatch.buffer);
    const transmit = () => {
      this.transport.write(frame as Data);
      result.next();
      result.complete();
    };
    if (route === 'now') transmit();
    else if (route === 'wait') this.buffer.push({ requires: dispatch.requires, transmit, fail: (error) => result.error(error) });
    else result.error(route);
    return result.asObservable();
  }

  /**
   * Sends a request and emits its response. Cold: each subscription stamps a fresh id, checks that its
   * key is set and free, serializes, then writes or buffers it; unsubscribing withdraws it.
   */
  request(request: Req, dispatch: Dispatch, timeout = this.requestTimeout): Observable<Res> {
    return new RequestObservable(this, request, dispatch, timeout);
  }

  /**
   * Stamps, keys, checks, serializes, then writes or buffers one request for `consumer`. Returns the
   * request in flight, or a closed subscription when it was refused (its error went to `consumer`).
   */
  start(request: Req, dispatch: Dispatch, timeout: number, consumer: Consumer<Res>): Subscription {
    let stamped: Req;
    let key: RequestKey | undefined;
    try {
      stamped = this.codec.stamp(request);
      key = this.codec.requestKey(stamped);
    } catch (error) {
      // What `setRequestId` or `getRequestId` throws goes to the subscriber, as RxJS does with a throwing subscribe function.
      return refuse(error, consumer);
    }
    const frame = this.codec.serialize(stamped);
    const route =
      key === undefined
        ? new MissingRequestIdError()
        : this.pending.has(key)
          ? new DuplicateRequestIdError(key)
          : frame instanceof Error
            ? frame
            : this.transport.gate(dispatch.requires, dispatch.buffer);
    if (route instanceof Error) return refuse(route, consumer);
    const entry = new PendingRequest<Req, Res>(this.pending, key as RequestKey, consumer);
    this.pending.add(entry);
    this.stampedCopies?.set(entry, stamped);
    if (route === 'now') {
      this.transmit(entry, frame as Data, timeout);
      return entry;
    }
    this.buffer.push({
      requires: dispatch.requires,
      request: entry,
      transmit: () => this.transmit(entry, frame as Data, timeout),
      fail: (error) => {
        this.pending.delete(entry);
        entry.fail(error);
      },
    });
    return entry;
  }

  /**
   * Reads an incoming frame and settles the request it answers: by its key or else, unless `screen`
   * takes it first (the handshake's welcome or refusals), for an error response by `routeErrorResponse`.
   * Returns `ANSWERED` (settled or taken, or unreadable: its `DeserializeError` went to `unreadable`),
   * or the message when it answers nothing (a push).
   */
  receive(event: MessageEvent<Data>, screen: ((message: Res) => boolean) | undefined, unreadable: (error: DeserializeError) => void): Res | typeof ANSWERED {
    let message: Res;
    try {
      message = this.codec.deserialize(event);
    } catch (error) {
      unreadable(new DeserializeError(error, event.data));
      return ANSWERED;
    }
    // With no request in flight (a stream of pushes, say), nothing can be answered: no key to read.
    let request = this.pending.size > 0 ? this.pending.take(this.codec.responseKey(message)) : undefined;
    if (!request) {
      if (screen?.(message)) return ANSWERED;
      if (this.config.routeErrorResponse && this.codec.isError(message)) {
        const copies = this.stampedCopies as Map<PendingRequest<Req, Res>, Req>;
        const waiting = this.pending.sent().map((sent): WaitingRequest<Req> => ({ key: sent.key, request: copies.get(sent) as Req }));
        request = this.pending.take(this.config.routeErrorResponse(message, waiting));
      }
    }
    if (!request) return message;
    if (this.codec.isError(message)) {
      request.fail(new ErrorResponseError(message, this.codec.describe(message)));
    } else {
      request.respond(message);
    }
    return ANSWERED;
  }

  /** Writes the buffered messages whose state is reached, in order. */
  flush(canSend: (requires: RequiredState) => boolean): void {
    this.buffer.flush((message) => canSend(message.requires));
  }

  /** Fails every request already written: their responses can no longer arrive on this socket. */
  failSent(): void {
    for (const request of this.pending.takeSent()) request.fail(new ClosedBeforeResponseError(request.key));
  }

  /** Fails every message still in the buffer. */
  failWaiting(error: Error): void {
    this.buffer.failAll(error);
  }

  /** A request let go of its key: its deadline stops, or it leaves the buffer. */
  private forget(request: PendingRequest<Req, Res>, phase: 'waiting' | 'sent'): void {
    if (phase === 'sent') this.deadlines.cancel(request);
    else this.buffer.remove(request);
    this.stampedCopies?.delete(request);
  }

  /** Writes a request's frame; its response is due within `timeout` ms from now. */
  private transmit(entry: PendingRequest<Req, Res>, frame: Data, timeout: number): void {
    entry.phase = 'sent';
    this.deadlines.add(entry, timeout);
    this.transport.write(frame);
  }
}

/** Hands a refusal to the consumer as RxJS hands an Observable's error; returns the closed subscription. */
function refuse<Res>(error: unknown, consumer: Consumer<Res>): Subscription {
  return throwError(() => error).subscribe(consumer);
}

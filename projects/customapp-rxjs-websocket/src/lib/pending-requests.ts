import { Observer, Subscriber, Subscription, throwError } from 'rxjs';
import { RequestKey } from './config';
import { Expiring } from './deadlines';

/**
 * Who waits for a request's response: what `subscribe` was given (a next function, a partial
 * observer, nothing), or else an RxJS `Subscriber` (an operator's, `firstValueFrom`'s, ...).
 */
export type ResponseConsumer<Res> = Partial<Observer<Res>> | ((value: Res) => void) | Subscriber<Res> | undefined;

/** Where a request stands: holding its key while it waits in the buffer or for its response, or not any more. */
export type RequestPhase = 'waiting' | 'sent' | 'unlisted';

/**
 * A request that holds its correlation key: waiting in the buffer, or sent and waiting for its
 * response. It is its own response deadline and the subscription `request()` returns: one object
 * per request in flight.
 *
 * Given a function or a partial observer, it calls it as RxJS's `SafeSubscriber` would (a throwing
 * handler, or an error nobody handles, is reported through RxJS's `onUnhandledError`; nothing is
 * called once unsubscribed), without the three objects and the finalizers array a subscriber to an
 * `Observable` holds. Given an RxJS `Subscriber`, it hands every notification to it as it is.
 */
export class PendingRequest<Req, Res> extends Subscription implements Expiring {
  /**
   * Whether it holds its key in the table, waiting in the buffer or sent (written to the socket: only
   * sent requests fail when the socket drops), or not any more.
   */
  phase: RequestPhase = 'unlisted';
  queue: Expiring['queue'] = undefined;

  constructor(
    private readonly table: PendingRequests<Req, Res>,
    readonly key: RequestKey,
    /**
     * The request as written (stamped), kept only when `routeErrorResponse` is configured: it is its
     * one reader, and the copy would otherwise live as long as the request waits.
     */
    readonly request: Req | undefined,
    /** How long to wait for the response once sent, in ms. */
    readonly timeout: number,
    private readonly consumer: ResponseConsumer<Res>,
  ) {
    super();
  }

  /** Emits the response, then completes (the table already let go of the request). */
  respond(response: Res): void {
    const consumer = this.consumer;
    if (consumer instanceof Subscriber) {
      consumer.next(response);
      consumer.complete();
      return;
    }
    try {
      if (typeof consumer === 'function') consumer(response);
      else consumer?.next?.(response);
    } catch (error) {
      reportUnhandledError(error);
    }
    // Its own next handler unsubscribed: as in RxJS, the completion goes nowhere.
    if (this.closed) return;
    try {
      if (typeof consumer === 'object') consumer.complete?.();
    } catch (error) {
      reportUnhandledError(error);
    }
    this.unsubscribe();
  }

  /** Errors with why the request got or will get no response (the table already let go of it). */
  fail(error: unknown): void {
    const consumer = this.consumer;
    if (consumer instanceof Subscriber) {
      consumer.error(error);
      return;
    }
    if (this.closed) return;
    try {
      if (typeof consumer === 'object' && consumer.error) consumer.error(error);
      else reportUnhandledError(error);
    } catch (handlerError) {
      reportUnhandledError(handlerError);
    }
    this.unsubscribe();
  }

  /** Withdraws the request (its subscriber unsubscribed, or it was settled). */
  override unsubscribe(): void {
    if (this.closed) return;
    super.unsubscribe();
    this.table.delete(this);
  }
}

/**
 * An error no handler takes, reported the way RxJS reports one: to `config.onUnhandledError`, or
 * else thrown on a timer.
 */
function reportUnhandledError(error: unknown): void {
  throwError(() => error).subscribe();
}

/** The requests in flight, found by key in O(1) however many there are. */
export class PendingRequests<Req, Res> {
  private readonly byKey = new Map<RequestKey, PendingRequest<Req, Res>>();

  constructor(private readonly onForget: (request: PendingRequest<Req, Res>, phase: 'waiting' | 'sent') => void) {}

  get size(): number {
    return this.byKey.size;
  }

  has(key: RequestKey): boolean {
    return this.byKey.has(key);
  }

  /** Lists a request, waiting until the router writes it. */
  add(request: PendingRequest<Req, Res>): void {
    this.byKey.set(request.key, request);
    request.phase = 'waiting';
  }

  /** Forgets the request (no-op when it was already forgotten). */
  delete(request: PendingRequest<Req, Res>): void {
    const phase = request.phase;
    if (phase === 'unlisted') return;
    request.phase = 'unlisted';
    this.byKey.delete(request.key);
    this.onForget(request, phase);
  }

  /** The sent request a response with this key answers, removed from the table; `undefined` for a push. */
  take(key: RequestKey | undefined): PendingRequest<Req, Res> | undefined {
    if (key === undefined) return undefined;
    const request = this.byKey.get(key);
    if (request?.phase !== 'sent') return undefined;
    this.delete(request);
    return request;
  }

  /** The requests written to the socket and not answered yet, oldest first. */
  sent(): PendingRequest<Req, Res>[] {
    const sent: PendingRequest<Req, Res>[] = [];
    for (const request of this.byKey.values()) if (request.phase === 'sent') sent.push(request);
    return sent;
  }

  /** Removes and returns every request already written to the socket: their responses can no longer arrive. */
  takeSent(): PendingRequest<Req, Res>[] {
    const sent = this.sent();
    for (const request of sent) this.delete(request);
    return sent;
  }
}

import { RequestKey } from './config';
import { Expiring } from './deadlines';
import { Consumer, DirectSubscription } from './direct-subscription';

/** Where a request stands: holding its key while it waits in the buffer or for its response, or not any more. */
export type RequestPhase = 'waiting' | 'sent' | 'unlisted';

/**
 * A request that holds its correlation key: waiting in the buffer, or sent and waiting for its
 * response. It is its own response deadline and the subscription `request()` returns, calling its
 * subscriber directly: one object per request in flight.
 */
export class PendingRequest<Req, Res> extends DirectSubscription<Res> implements Expiring {
  /**
   * Whether it holds its key in the table, waiting in the buffer or sent (written to the socket: only
   * sent requests fail when the socket drops), or not any more.
   */
  phase: RequestPhase = 'unlisted';
  queue: Expiring['queue'] = undefined;

  constructor(
    private readonly table: PendingRequests<Req, Res>,
    readonly key: RequestKey,
    consumer: Consumer<Res>,
  ) {
    super(consumer);
  }

  /** Emits the response, then completes (the table already let go of the request). */
  respond(response: Res): void {
    this.deliver(response);
    // When its own next handler unsubscribed, the completion goes nowhere, as in RxJS.
    this.finish();
  }

  /** Errors with why the request got or will get no response (the table already let go of it). */
  fail(error: unknown): void {
    this.abort(error);
  }

  /** Its subscriber unsubscribed, or it was settled: the table lets go of it. */
  protected withdraw(): void {
    this.table.delete(this);
  }
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

import { Subscriber, Unsubscribable } from 'rxjs';
import { RequestKey, WaitingRequest } from './config';
import { Expiring } from './deadlines';

/**
 * A request that holds its correlation key: waiting in the buffer, or sent and waiting for its
 * response. It is its own response deadline and its own teardown (one object per request).
 */
export class PendingRequest<Req, Res> implements Expiring, Unsubscribable, WaitingRequest<Req> {
  /** Whether it was written to the socket (only sent requests fail when the socket drops). */
  sent = false;
  /** Whether it still holds its key in the table. */
  listed = false;
  at = 0;
  /** True until the deadline is running; then true again once cancelled or expired. */
  cancelled = true;

  constructor(
    private readonly table: PendingRequests<Req, Res>,
    readonly key: RequestKey,
    /** The request as written (stamped), for `routeErrorResponse`. */
    readonly request: Req,
    /** How long to wait for the response once sent, in ms. */
    readonly timeout: number,
    readonly subscriber: Subscriber<Res>,
  ) {}

  /** Withdraws the request (its subscriber unsubscribed, or it was answered). */
  unsubscribe(): void {
    this.table.delete(this);
  }
}

/** The requests in flight, found by key in O(1) however many there are. */
export class PendingRequests<Req, Res> {
  private readonly byKey = new Map<RequestKey, PendingRequest<Req, Res>>();

  constructor(private readonly onForget: (request: PendingRequest<Req, Res>) => void) {}

  get size(): number {
    return this.byKey.size;
  }

  has(key: RequestKey): boolean {
    return this.byKey.has(key);
  }

  add(request: PendingRequest<Req, Res>): void {
    this.byKey.set(request.key, request);
    request.listed = true;
  }

  /** Forgets the request (no-op when it was already forgotten). */
  delete(request: PendingRequest<Req, Res>): void {
    if (!request.listed) return;
    request.listed = false;
    this.byKey.delete(request.key);
    this.onForget(request);
  }

  /** The sent request a response with this key answers, removed from the table; `undefined` for a push. */
  take(key: RequestKey | undefined): PendingRequest<Req, Res> | undefined {
    if (key === undefined) return undefined;
    const request = this.byKey.get(key);
    if (!request || !request.sent) return undefined;
    this.delete(request);
    return request;
  }

  /** The requests written to the socket and not answered yet, oldest first. */
  sent(): PendingRequest<Req, Res>[] {
    const sent: PendingRequest<Req, Res>[] = [];
    for (const request of this.byKey.values()) if (request.sent) sent.push(request);
    return sent;
  }

  /** Removes and returns every request already written to the socket: their responses can no longer arrive. */
  takeSent(): PendingRequest<Req, Res>[] {
    const sent = this.sent();
    for (const request of sent) this.delete(request);
    return sent;
  }
}

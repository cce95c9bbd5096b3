import { Subscription } from 'rxjs';
import { RequestKey } from './config';

/** A request that holds its correlation key: waiting in the buffer, or sent and waiting for its response. */
export interface PendingRequest<Res> {
  readonly key: RequestKey;
  /** How long to wait for the response once sent, in ms. */
  readonly timeout: number;
  /** Whether it was written to the socket (only sent requests fail when the socket drops). */
  sent: boolean;
  /** The response timeout, running once the request was sent. */
  timer?: Subscription;
  settle(response: Res): void;
  fail(error: Error): void;
}

/** The requests in flight, found by key in O(1) however many there are. */
export class PendingRequests<Res> {
  private readonly byKey = new Map<RequestKey, PendingRequest<Res>>();

  get size(): number {
    return this.byKey.size;
  }

  has(key: RequestKey): boolean {
    return this.byKey.has(key);
  }

  add(request: PendingRequest<Res>): void {
    this.byKey.set(request.key, request);
  }

  /** Forgets the request if it is still the one registered under its key. */
  delete(request: PendingRequest<Res>): void {
    if (this.byKey.get(request.key) === request) {
      this.byKey.delete(request.key);
      request.timer?.unsubscribe();
    }
  }

  /** The sent request a response with this key answers, removed from the table; `undefined` for a push. */
  take(key: RequestKey | undefined): PendingRequest<Res> | undefined {
    if (key === undefined) return undefined;
    const request = this.byKey.get(key);
    if (!request || !request.sent) return undefined;
    this.delete(request);
    return request;
  }

  /** Fails every request already written to the socket: their responses can no longer arrive. */
  failSent(makeError: (key: RequestKey) => Error): void {
    for (const request of [...this.byKey.values()]) {
      if (!request.sent) continue;
      this.delete(request);
      request.fail(makeError(request.key));
    }
  }
}

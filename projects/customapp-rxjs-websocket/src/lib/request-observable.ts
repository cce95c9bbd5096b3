import { config, Observable, Observer, Subscriber, Subscription } from 'rxjs';
import type { Dispatch } from './request-router';
import { ResponseConsumer } from './pending-requests';

/** What starts a request for one subscriber: the router. */
export interface RequestStarter<Req, Res> {
  /** Sends or buffers `request` for `consumer`; returns its subscription, closed when it was refused. */
  start(request: Req, dispatch: Dispatch, timeout: number, consumer: ResponseConsumer<Res>): Subscription;
}

/**
 * The cold Observable of `request()`: every subscription starts the request anew.
 *
 * A function or a partial observer goes to the router as it is, and the subscription it gets back is
 * the request in flight itself; RxJS would wrap it in a `Subscriber` of three objects and give that a
 * finalizers array, which thousands of requests in flight pay for in memory and garbage collection.
 * A `Subscriber` (an operator's, `firstValueFrom`'s), the deprecated separate callbacks, and RxJS's
 * deprecated or debugging `config` switches take RxJS's own path, unchanged.
 */
export class RequestObservable<Req, Res> extends Observable<Res> {
  constructor(
    private readonly starter: RequestStarter<Req, Res>,
    private readonly request: Req,
    private readonly dispatch: Dispatch,
    private readonly timeout: number,
  ) {
    super();
  }

  override subscribe(
    observerOrNext?: Partial<Observer<Res>> | ((value: Res) => void) | null,
    error?: ((error: unknown) => void) | null,
    complete?: (() => void) | null,
  ): Subscription {
    if (error || complete || isSubscriberLike(observerOrNext) || config.useDeprecatedNextContext || config.useDeprecatedSynchronousErrorHandling || config.onStoppedNotification) {
      const source = new Observable<Res>((subscriber) => this.starter.start(this.request, this.dispatch, this.timeout, subscriber));
      return source.subscribe(observerOrNext as (value: Res) => void, error, complete);
    }
    return this.starter.start(this.request, this.dispatch, this.timeout, observerOrNext ?? undefined);
  }
}

/** What RxJS's `Observable.subscribe` takes as a subscriber of its own instead of wrapping it. */
function isSubscriberLike(value: unknown): value is Subscriber<unknown> {
  if (value instanceof Subscriber) return true;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Subscriber<unknown>> & { remove?: unknown; add?: unknown };
  return (
    typeof candidate.next === 'function' &&
    typeof candidate.error === 'function' &&
    typeof candidate.complete === 'function' &&
    (value instanceof Subscription ||
      ('closed' in candidate && typeof candidate.remove === 'function' && typeof candidate.add === 'function' && typeof candidate.unsubscribe === 'function'))
  );
}

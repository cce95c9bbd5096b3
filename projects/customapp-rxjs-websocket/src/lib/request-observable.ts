import { Observable, Observer, Subscription } from 'rxjs';
import { Consumer, takesDirectly } from './direct-subscription';
import type { Dispatch } from './request-router';

/** What starts a request for one subscriber: the router. */
export interface RequestStarter<Req, Res> {
  /** Sends or buffers `request` for `consumer`; returns its subscription, closed when it was refused. */
  start(request: Req, dispatch: Dispatch, timeout: number, consumer: Consumer<Res>): Subscription;
}

/**
 * The cold Observable of `request()`: every subscription starts the request anew.
 *
 * A function or a partial observer goes to the router as it is, and the subscription it gets back is
 * the request in flight itself (a {@link DirectSubscription}); RxJS would wrap it in a `Subscriber`
 * of three objects and give that a finalizers array, which thousands of requests in flight pay for in
 * memory and garbage collection. Anything else takes RxJS's own path, unchanged.
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
    if (!takesDirectly(observerOrNext, error, complete)) {
      const source = new Observable<Res>((subscriber) => this.starter.start(this.request, this.dispatch, this.timeout, subscriber));
      return source.subscribe(observerOrNext as (value: Res) => void, error, complete);
    }
    return this.starter.start(this.request, this.dispatch, this.timeout, observerOrNext ?? undefined);
  }
}

import { config, Observer, Subscriber, Subscription, throwError } from 'rxjs';

/**
 * What a subscription hands its notifications to: what `subscribe` was given (a next function, a
 * partial observer, nothing), or the RxJS `Subscriber` that RxJS's own path made of it.
 */
export type Consumer<T> = Partial<Observer<T>> | ((value: T) => void) | Subscriber<T> | undefined;

/**
 * A subscription that calls its consumer itself, as RxJS's `SafeSubscriber` would: a throwing
 * handler, or an error nobody handles, is reported through RxJS (`config.onUnhandledError`, else
 * thrown on a timer), and nothing is called once it is unsubscribed. For a function or a partial
 * observer, that spares the three objects RxJS would wrap it in, and the finalizers array of the
 * wrapper. An RxJS `Subscriber` gets every notification as it is (it does all that itself).
 */
export abstract class DirectSubscription<T> extends Subscription {
  protected constructor(private readonly consumer: Consumer<T>) {
    super();
  }

  /** Hands a value to the consumer (a function first: what `subscribe(value => …)` gives, the usual case). */
  deliver(value: T): void {
    const consumer = this.consumer;
    if (typeof consumer === 'function') {
      if (this.closed) return;
      try {
        consumer(value);
      } catch (error) {
        reportUnhandledError(error);
      }
      return;
    }
    if (consumer instanceof Subscriber) {
      consumer.next(value);
      return;
    }
    if (this.closed) return;
    try {
      consumer?.next?.(value);
    } catch (error) {
      reportUnhandledError(error);
    }
  }

  /** Completes the consumer, then unsubscribes. */
  protected finish(): void {
    const consumer = this.consumer;
    if (consumer instanceof Subscriber) {
      consumer.complete();
      return;
    }
    if (this.closed) return;
    try {
      if (typeof consumer === 'object') consumer.complete?.();
    } catch (error) {
      reportUnhandledError(error);
    }
    this.unsubscribe();
  }

  /** Errors the consumer, then unsubscribes. */
  protected abort(error: unknown): void {
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

  override unsubscribe(): void {
    if (this.closed) return;
    super.unsubscribe();
    this.withdraw();
  }

  /** What unsubscribing undoes at the source. */
  protected abstract withdraw(): void;
}

/**
 * Whether `subscribe`'s arguments may go to a {@link DirectSubscription}: a next function, a partial
 * observer or nothing, with RxJS's deprecated and debugging `config` switches off. Anything else (an
 * RxJS `Subscriber` such as an operator's, the deprecated separate callbacks) takes RxJS's own path.
 */
export function takesDirectly(observerOrNext: unknown, error: unknown, complete: unknown): boolean {
  return !(
    error ||
    complete ||
    isSubscriberLike(observerOrNext) ||
    config.useDeprecatedNextContext ||
    config.useDeprecatedSynchronousErrorHandling ||
    config.onStoppedNotification
  );
}

/** What RxJS's `Observable.subscribe` takes as a subscriber of its own instead of wrapping it. */
function isSubscriberLike(value: unknown): boolean {
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

/**
 * An error no handler takes, reported the way RxJS reports one: to `config.onUnhandledError`, or
 * else thrown on a timer.
 */
function reportUnhandledError(error: unknown): void {
  throwError(() => error).subscribe();
}

import { Observable, Observer, Subscription } from 'rxjs';
import { Consumer, DirectSubscription, takesDirectly } from './direct-subscription';

/**
 * A hot Observable that never ends and hands every value to its subscribers of the moment, in the
 * order they subscribed: what a `Subject`'s `asObservable()` gives, without an allocation per value.
 * Subscribers sit in an array that is replaced, never changed, when one comes or goes, so a value
 * goes to those subscribed when it came, whoever subscribes or unsubscribes while it is handed out.
 * Its subscribers are {@link DirectSubscription}s (RxJS's own path for what they cannot take).
 */
export class Broadcast<T> extends Observable<T> {
  private subscribers: readonly BroadcastSubscription<T>[] = [];

  /** Hands `value` to every subscriber. */
  emit(value: T): void {
    const subscribers = this.subscribers;
    for (let index = 0; index < subscribers.length; index++) subscribers[index].deliver(value);
  }

  override subscribe(
    observerOrNext?: Partial<Observer<T>> | ((value: T) => void) | null,
    error?: ((error: unknown) => void) | null,
    complete?: (() => void) | null,
  ): Subscription {
    if (!takesDirectly(observerOrNext, error, complete)) {
      const source = new Observable<T>((subscriber) => this.add(subscriber));
      return source.subscribe(observerOrNext as (value: T) => void, error, complete);
    }
    return this.add(observerOrNext ?? undefined);
  }

  /** Forgets a subscriber that unsubscribed. */
  remove(subscription: BroadcastSubscription<T>): void {
    this.subscribers = this.subscribers.filter((subscriber) => subscriber !== subscription);
  }

  private add(consumer: Consumer<T>): BroadcastSubscription<T> {
    const subscription = new BroadcastSubscription(this, consumer);
    this.subscribers = [...this.subscribers, subscription];
    return subscription;
  }
}

/** One subscriber of a {@link Broadcast}. */
class BroadcastSubscription<T> extends DirectSubscription<T> {
  constructor(
    private readonly source: Broadcast<T>,
    consumer: Consumer<T>,
  ) {
    super(consumer);
  }

  protected withdraw(): void {
    this.source.remove(this);
  }
}

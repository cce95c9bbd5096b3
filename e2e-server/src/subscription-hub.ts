// Who is subscribed to what, and the fan-out of pushes to them. Every push is numbered and kept in
// the history first (subscribers or not), then sent, encoded once per encoding.
import { api } from '../generated/api.js';
import type { Encoding, Frame } from './protocol.js';
import type { PushFilter, Resumption } from './push-history.js';
import { PushHistory } from './push-history.js';

/** A socket as the hub sees it. */
export interface Subscriber {
  readonly encoding: Encoding;
  /** The signed-in user, once authorized. */
  readonly userId: string | undefined;
  sendFrame(frame: Frame): void;
}

const everyone: PushFilter = () => true;

export class SubscriptionHub {
  private readonly byKind = new Map<api.SubKind, Set<Subscriber>>();

  constructor(readonly history: PushHistory = new PushHistory()) {}

  /**
   * Adds a subscriber and works out how it starts: fresh, with the pushes it missed since `since`,
   * or with a resync. The caller sends the answer and the replay before returning to the event loop,
   * so that no push published later can come between them.
   */
  subscribe(kind: api.SubKind, subscriber: Subscriber, since?: api.IStreamPosition | null): Resumption {
    let set = this.byKind.get(kind);
    if (!set) this.byKind.set(kind, (set = new Set()));
    set.add(subscriber);
    return this.history.resume(kind, subscriber, since);
  }

  remove(kind: api.SubKind, subscriber: Subscriber): void {
    this.byKind.get(kind)?.delete(subscriber);
  }

  removeEverywhere(subscriber: Subscriber): void {
    for (const set of this.byKind.values()) set.delete(subscriber);
  }

  /** How many subscriptions there are, over every kind. */
  get size(): number {
    let total = 0;
    for (const set of this.byKind.values()) total += set.size;
    return total;
  }

  /**
   * Numbers a push, keeps it, and sends it to every subscriber of its kind that passes the filter
   * (the filter is kept too, for replays); returns how many got it.
   */
  publish(push: api.SubscriptionPush.$Properties, filter: PushFilter = everyone): number {
    const stamped = this.history.record(push, filter);
    const subscribers = this.byKind.get(push.kind ?? api.SubKind.SUB_KIND_UNSPECIFIED);
    if (!subscribers) return 0;
    let sent = 0;
    for (const subscriber of [...subscribers]) {
      if (!filter(subscriber)) continue;
      subscriber.sendFrame(stamped.frame(subscriber.encoding));
      sent += 1;
    }
    return sent;
  }
}

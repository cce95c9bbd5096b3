// Who is subscribed to what, and the fan-out of pushes to them. A push is encoded once per encoding.
import { api } from '../generated/api.js';
import type { Encoding, Frame } from './protocol.js';
import { encodeResponseFrame } from './protocol.js';

/** A socket as the hub sees it. */
export interface Subscriber {
  readonly encoding: Encoding;
  /** The signed-in user, once authorized. */
  readonly userId: string | undefined;
  sendFrame(frame: Frame): void;
}

export class SubscriptionHub {
  private readonly byKind = new Map<api.SubKind, Set<Subscriber>>();

  add(kind: api.SubKind, subscriber: Subscriber): void {
    let set = this.byKind.get(kind);
    if (!set) this.byKind.set(kind, (set = new Set()));
    set.add(subscriber);
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

  /** Pushes to every subscriber of a kind (that passes the filter); returns how many got it. */
  publish(push: api.SubscriptionPush.$Properties, filter: (subscriber: Subscriber) => boolean = () => true): number {
    const subscribers = this.byKind.get(push.kind ?? api.SubKind.SUB_KIND_UNSPECIFIED);
    if (!subscribers) return 0;
    const frames = new Map<Encoding, Frame>();
    let sent = 0;
    for (const subscriber of [...subscribers]) {
      if (!filter(subscriber)) continue;
      let frame = frames.get(subscriber.encoding);
      if (frame === undefined) frames.set(subscriber.encoding, (frame = encodeResponseFrame(subscriber.encoding, { id: 0, sub: push })));
      subscriber.sendFrame(frame);
      sent += 1;
    }
    return sent;
  }
}

// The recent pushes of each subscription kind, numbered in one stream per kind, so that a client
// whose socket was cut can subscribe again from the last position it saw and get exactly what it
// missed. Bounded by count and by age: trimmed as pushes come in and whenever it is read.
import { randomUUID } from 'node:crypto';
import { api } from '../generated/api.js';
import type { Encoding, Frame } from './protocol.js';
import { encodeResponseFrame } from './protocol.js';
import type { Subscriber } from './subscription-hub.js';

/** How much each kind keeps (`ServerOptions.pushHistory`, control `history`). */
export interface PushHistoryLimits {
  /** The most pushes kept per kind; 0 keeps none. */
  maxCount: number;
  /** How long a push is kept, in ms; 0 keeps none. */
  maxAgeMs: number;
}

export const DEFAULT_PUSH_HISTORY: PushHistoryLimits = { maxCount: 1000, maxAgeMs: 5 * 60 * 1000 };

/** The largest limits taken: memory stays bounded whatever a test or a configuration asks. */
export const MAX_PUSH_HISTORY: PushHistoryLimits = { maxCount: 100_000, maxAgeMs: 24 * 60 * 60 * 1000 };

/** A position in the stream of one kind, as `StreamPosition` carries it. */
export interface Position {
  epoch: string;
  seq: number;
}

/** Whether a subscriber is to get a push (NOTIFICATIONS skip the author of the change). */
export type PushFilter = (subscriber: Subscriber) => boolean;

/** One push with its position, encoded at most once per encoding, live or replayed. */
export class StampedPush {
  private readonly frames = new Map<Encoding, Frame>();

  constructor(
    readonly push: api.SubscriptionPush.$Properties,
    readonly seq: number,
    /** When it was published (ms since the epoch), for the age limit. */
    readonly at: number,
    readonly mayReceive: PushFilter,
  ) {}

  frame(encoding: Encoding): Frame {
    let frame = this.frames.get(encoding);
    if (frame === undefined) this.frames.set(encoding, (frame = encodeResponseFrame(encoding, { id: 0, sub: this.push })));
    return frame;
  }
}

/** How a subscription starts: `missed` is the replay, in order (empty unless RECOVERED). */
export interface Resumption {
  recovery: api.Recovery;
  position: Position;
  missed: readonly StampedPush[];
}

/** What `GET /__control/stats` reports of one kind's stream. */
export interface StreamStats {
  epoch: string;
  /** The position of the last push (0: none yet in this epoch). */
  seq: number;
  /** Pushes kept now. */
  retained: number;
  /** The seq of the oldest push kept; 0 when none is. */
  oldestSeq: number;
}

export interface PushHistoryStats extends PushHistoryLimits {
  streams: Record<KindName, StreamStats>;
}

type KindName = 'CATEGORIES' | 'AUDIT_LOG' | 'NOTIFICATIONS';
const KINDS: Readonly<Record<KindName, api.SubKind>> = {
  CATEGORIES: api.SubKind.CATEGORIES,
  AUDIT_LOG: api.SubKind.AUDIT_LOG,
  NOTIFICATIONS: api.SubKind.NOTIFICATIONS,
};

interface Stream {
  readonly epoch: string;
  seq: number;
  /** Oldest first; their seqs follow one another up to `seq` (only the oldest are ever dropped). */
  readonly kept: StampedPush[];
}

export class PushHistory {
  private streams = new Map<api.SubKind, Stream>();
  private current: PushHistoryLimits;

  constructor(
    private readonly configured: PushHistoryLimits = DEFAULT_PUSH_HISTORY,
    private readonly now: () => number = Date.now,
  ) {
    assertLimits(configured);
    this.current = { ...configured };
  }

  get limits(): PushHistoryLimits {
    return { ...this.current };
  }

  /** Gives a push of its kind the next position and keeps it. */
  record(push: api.SubscriptionPush.$Properties, mayReceive: PushFilter): StampedPush {
    const stream = this.stream(push.kind ?? api.SubKind.SUB_KIND_UNSPECIFIED);
    stream.seq += 1;
    const position: Position = { epoch: stream.epoch, seq: stream.seq };
    const stamped = new StampedPush({ ...push, position }, stream.seq, this.now(), mayReceive);
    stream.kept.push(stamped);
    this.trim(stream);
    return stamped;
  }

  /**
   * How a subscription of this subscriber starts. Without `since`: NONE. With it: RECOVERED and
   * every kept push after it that the subscriber may get, when the history still holds all of
   * them; RESYNC when it is of another epoch, ahead of the stream, or older than what is kept.
   */
  resume(kind: api.SubKind, subscriber: Subscriber, since: api.IStreamPosition | null | undefined): Resumption {
    const stream = this.stream(kind);
    this.trim(stream);
    const position: Position = { epoch: stream.epoch, seq: stream.seq };
    if (!since) return { recovery: api.Recovery.NONE, position, missed: [] };
    const first = Number(since.seq ?? 0) + 1; // the first push the client lacks
    const oldest = stream.kept[0]?.seq ?? stream.seq + 1;
    if (since.epoch !== stream.epoch || first > stream.seq + 1 || first < oldest) {
      return { recovery: api.Recovery.RESYNC, position, missed: [] };
    }
    const missed = stream.kept.slice(first - oldest).filter((push) => push.mayReceive(subscriber));
    return { recovery: api.Recovery.RECOVERED, position, missed };
  }

  /** Changes the limits (those given) and trims at once; `reset` restores the configured ones. */
  setLimits(limits: Partial<PushHistoryLimits>): PushHistoryLimits {
    const next = { ...this.current, ...limits };
    assertLimits(next);
    this.current = next;
    for (const stream of this.streams.values()) this.trim(stream);
    return this.limits;
  }

  /** Starts every stream over in a new epoch, empty, with the configured limits. */
  reset(): void {
    this.streams = new Map();
    this.current = { ...this.configured };
  }

  stats(): PushHistoryStats {
    const streams = {} as Record<KindName, StreamStats>;
    for (const [name, kind] of Object.entries(KINDS) as [KindName, api.SubKind][]) {
      const stream = this.stream(kind);
      this.trim(stream);
      streams[name] = { epoch: stream.epoch, seq: stream.seq, retained: stream.kept.length, oldestSeq: stream.kept[0]?.seq ?? 0 };
    }
    return { ...this.limits, streams };
  }

  private stream(kind: api.SubKind): Stream {
    let stream = this.streams.get(kind);
    if (!stream) this.streams.set(kind, (stream = { epoch: randomUUID(), seq: 0, kept: [] }));
    return stream;
  }

  /** Drops the oldest pushes past the count and those as old as `maxAgeMs` or older. */
  private trim(stream: Stream): void {
    const { maxCount, maxAgeMs } = this.current;
    const expired = this.now() - maxAgeMs;
    let drop = 0;
    while (drop < stream.kept.length && (stream.kept.length - drop > maxCount || (stream.kept[drop] as StampedPush).at <= expired)) drop += 1;
    if (drop > 0) stream.kept.splice(0, drop);
  }
}

/** Throws a RangeError unless both limits are whole numbers from 0 to their maximum. */
export function assertLimits(limits: PushHistoryLimits): void {
  for (const name of ['maxCount', 'maxAgeMs'] as const) {
    const value = limits[name];
    if (!Number.isInteger(value) || value < 0 || value > MAX_PUSH_HISTORY[name]) {
      throw new RangeError(`pushHistory.${name} must be a whole number from 0 to ${MAX_PUSH_HISTORY[name]}, got ${value}`);
    }
  }
}

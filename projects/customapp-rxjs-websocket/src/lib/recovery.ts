import { WebSocketLogger } from './logger';

/**
 * What a server answered a subscription that asked to resume: `'recovered'`, the pushes missed
 * meanwhile follow (and only they: no full state); `'resynced'`, they cannot be given, so what was
 * held must be replaced by the state the server sends now (or fetched again).
 */
export type RecoveryOutcome = 'recovered' | 'resynced';

/** Where a message lies in a stream of pushes: the stream's name and a position the server understands. */
export interface StreamPosition<Position = unknown> {
  readonly stream: string;
  readonly position: Position;
}

/**
 * Missed-push recovery: the controller remembers the last position seen on each stream, puts it into
 * the subscription request of that stream when it subscribes again after a reconnect, and reads
 * from the answer whether the server replayed what was missed. Applied to the configured
 * subscriptions and to those added with `subscription()`. See the README.
 *
 * @example
 * recovery: {
 *   position: (m) => m.sub?.position ? { stream: m.sub.kind, position: m.sub.position }
 *     : m.subscribed?.position ? { stream: m.subscribed.kind, position: m.subscribed.position } : undefined,
 *   stream: (req) => req.sub?.kind,
 *   resume: (req, since) => ({ ...req, sub: { ...req.sub, since } }),
 *   outcome: (res) => res.subscribed?.recovery === 'RECOVERED' ? 'recovered' : res.subscribed?.recovery === 'RESYNC' ? 'resynced' : undefined,
 *   replayed: (res) => res.subscribed?.replayed ?? 0,
 * },
 */
export interface RecoveryConfig<Req, Res, Position = unknown> {
  /**
   * The stream and position a message carries, or `undefined` when it carries none. Called for every
   * push and for every subscription answer: the answer's position (the stream's position when it
   * subscribed) counts until a push of the stream comes, except after `'recovered'`, where the
   * replayed pushes bring theirs.
   */
  position(message: Res): StreamPosition<Position> | undefined;
  /** The stream a subscription request subscribes to, or `undefined` for one that cannot be resumed. */
  stream(request: Req): string | undefined;
  /** The subscription request asking to resume after `position`, the last one seen on its stream. */
  resume(request: Req, position: Position): Req;
  /**
   * What the server answered a resumed subscription. `undefined` (a server that ignored the position
   * and subscribed afresh) counts as `'resynced'`: what was missed is not coming.
   */
  outcome(response: Res): RecoveryOutcome | undefined;
  /** How many pushes the server replays after a `'recovered'` answer. Default: not known, 0. */
  replayed?(response: Res): number;
}

/** How one stream came back after a reconnect. */
export interface StreamRecovery {
  readonly stream: string;
  readonly outcome: RecoveryOutcome;
  /** The pushes the server replays (0 unless `'recovered'`). */
  readonly replayed: number;
}

/**
 * How the subscriptions of a reconnect came back, as `WebSocketController.recovered$` emits it:
 * `'resynced'` when any stream was resynced (what the app holds of it must be replaced or fetched
 * again), else `'recovered'`. The replayed pushes follow on `messages$`.
 *
 * @example
 * socket.recovered$.subscribe(({ outcome, replayed }) =>
 *   outcome === 'recovered' ? toast(`recovered ${replayed} changes`) : store.dispatch(reloadEverything()));
 */
export interface RecoveryReport {
  readonly outcome: RecoveryOutcome;
  /** The pushes replayed over every stream recovered. */
  readonly replayed: number;
  readonly streams: readonly StreamRecovery[];
  /** The connection it happened on (`AuthContext.connection`). */
  readonly connection: number;
}

/** A subscription request as a handshake sends it, and what to tell about its answer. */
export interface PreparedSubscription<Req, Res> {
  readonly request: Req;
  /** The server answered it (`undefined`: it is never answered). */
  answered(response: Res | undefined): void;
}

/** What the controller does around each subscription request of a handshake. */
export interface SubscriptionHooks<Req, Res> {
  /**
   * The request to send for a subscription: with `resume`, on a reconnect, it may ask to resume
   * where the last connection left off. May throw when the request cannot be made.
   */
  prepare(request: Req, resume: boolean): PreparedSubscription<Req, Res>;
}

/** No recovery: requests go as they are. */
export const PLAIN_SUBSCRIPTIONS: SubscriptionHooks<never, never> = {
  prepare: (request) => ({ request, answered: () => undefined }),
};

/**
 * The positions of one `open()`: the last one seen on each stream, the resumed subscriptions of the
 * handshake under way and how they came back.
 */
export class StreamPositions<Req, Res> implements SubscriptionHooks<Req, Res> {
  private readonly positions = new Map<string, unknown>();
  private streams: StreamRecovery[] = [];

  constructor(
    private readonly config: RecoveryConfig<Req, Res>,
    private readonly logger: WebSocketLogger,
  ) {}

  /** A push (or an answer): its position is now the last one seen on its stream. */
  observe(message: Res): void {
    let found: StreamPosition | undefined;
    try {
      found = this.config.position(message);
    } catch (error) {
      this.logger.warn('recovery.position threw; the message counts as one without a position', error);
      return;
    }
    if (found) this.positions.set(found.stream, found.position);
  }

  prepare(request: Req, resume: boolean): PreparedSubscription<Req, Res> {
    const stream = this.config.stream(request);
    const resumed = resume && stream !== undefined && this.positions.has(stream);
    return {
      request: resumed ? this.config.resume(request, this.positions.get(stream)) : request,
      answered: (response) => this.answered(resumed ? stream : undefined, response),
    };
  }

  /** Forgets the position of the stream of a subscription that ended: subscribing to it again starts afresh. */
  forget(request: Req): void {
    let stream: string | undefined;
    try {
      stream = this.config.stream(request);
    } catch {
      return;
    }
    if (stream !== undefined) this.positions.delete(stream);
  }

  /** A handshake starts: what the previous one resumed no longer counts. */
  startHandshake(): void {
    this.streams = [];
  }

  /** How the subscriptions of the handshake that just finished came back; `undefined` when none was resumed. */
  report(connection: number): RecoveryReport | undefined {
    const streams = this.streams;
    this.streams = [];
    if (streams.length === 0) return undefined;
    return {
      outcome: streams.some((entry) => entry.outcome === 'resynced') ? 'resynced' : 'recovered',
      replayed: streams.reduce((total, entry) => total + entry.replayed, 0),
      streams,
      connection,
    };
  }

  private answered(resumedStream: string | undefined, response: Res | undefined): void {
    if (response === undefined) return;
    const outcome = this.config.outcome(response);
    // After 'recovered' the replayed pushes bring their own positions; the answer's is past them.
    if (resumedStream === undefined || outcome !== 'recovered') this.observe(response);
    if (resumedStream === undefined) return;
    const recovered = outcome === 'recovered';
    this.streams.push({
      stream: resumedStream,
      outcome: recovered ? 'recovered' : 'resynced',
      replayed: recovered ? Math.max(0, this.config.replayed?.(response) ?? 0) : 0,
    });
  }
}

// The world of the controller's property-based spec: one controller over fake sockets and virtual
// time, everything it told its subscribers (recorded from its streams), every frame its sockets
// carried, and what the model expects of the parts the README states exactly (the close decisions,
// the token-expired renewals, the reconnect interval).
import {
  ClosedForeverEvent,
  DEFAULT_FATAL_CLOSE_CODES,
  DEFAULT_TOKEN_EXPIRED_CLOSE_CODES,
  SocketCloseInfo,
  SocketState,
  SocketTransition,
} from 'customapp-rxjs-websocket';
import { FakeWebSocket } from 'customapp-rxjs-websocket/testing';
import { Subscription } from 'rxjs';
import { createHarness, Harness, TestRequest } from './harness';

/** The `requestTimeout` of the controller under test. */
export const REQUEST_TIMEOUT = 5000;
/** The controller's default `closeTimeout`. */
export const CLOSE_TIMEOUT = 3000;
export const FATAL_CODE = DEFAULT_FATAL_CLOSE_CODES.includes(4401) ? 4401 : DEFAULT_FATAL_CLOSE_CODES[0];
export const TOKEN_EXPIRED_CODE = DEFAULT_TOKEN_EXPIRED_CLOSE_CODES[0];
/** What the server answers to refuse an auth as expired (the harness's `isTokenExpiredResponse`). */
export const TOKEN_EXPIRED_ANSWER = 'token expired';

/** A broken invariant: which one, and what was seen. */
export class InvariantViolation extends Error {
  constructor(
    readonly invariant: string,
    detail: string,
  ) {
    super(`${invariant}: ${detail}`);
    this.name = 'InvariantViolation';
  }
}

/**
 * Whether the controller listens to a socket's messages and close. A socket it let go while still
 * connecting keeps only an `onopen` handler, which closes it once it opens.
 */
export function listenedTo(ws: FakeWebSocket): boolean {
  return !!(ws.onmessage || ws.onclose || ws.onerror);
}

export function violated(invariant: string, detail: string): never {
  throw new InvariantViolation(invariant, detail);
}

/** One notification a subscriber got, and when (virtual time). */
export interface Notification {
  readonly kind: 'next' | 'error' | 'complete';
  readonly value?: unknown;
  readonly at: number;
}

/** A `request()` or `send()` of the app, followed from its call to its outcome. */
export class TrackedMessage {
  readonly notifications: Notification[] = [];
  subscription?: Subscription;
  /** The app unsubscribed while it waited; how many notifications it had then. */
  withdrawnAfter?: number;
  /** Where and when its frame was written, and the id the controller stamped on it. */
  written?: { readonly socket: FakeWebSocket; readonly id: number; readonly at: number };
  /** The response the server sent while it waited for one. */
  answer?: unknown;

  constructor(
    readonly kind: 'request' | 'send',
    readonly tag: string,
    /** Its place among every message the app sent (the buffer keeps this order). */
    readonly order: number,
    readonly timeout: number,
  ) {}

  get settled(): boolean {
    return this.notifications.some((n) => n.kind !== 'next');
  }

  /** Neither settled nor withdrawn: it holds a place in the buffer or a correlation key. */
  get waiting(): boolean {
    return !this.settled && this.withdrawnAfter === undefined;
  }

  toString(): string {
    return `${this.kind} ${this.tag}`;
  }
}

/** A `subscription()` of the app. */
export class TrackedLive {
  readonly notifications: Notification[] = [];
  subscription?: Subscription;
  /** The step at which the app unsubscribed or the server refused it: it is never sent again from then on. */
  endedAtStep?: number;
  withdrawnAfter?: number;
  /** The socket whose answer it last emitted. */
  acceptedOn?: FakeWebSocket;

  constructor(readonly tag: string) {}

  get active(): boolean {
    return this.endedAtStep === undefined;
  }
}

/** An `open()` result or a `close()` of the app. */
export interface TrackedCall {
  readonly notifications: Notification[];
  readonly at: number;
  readonly step: number;
  /** A `close()` that ends a session (active or closing when called): `closedForever$` emits by its completion. */
  readonly stops?: boolean;
}

/** A frame a socket carried, read back. */
export interface Frame {
  readonly request: TestRequest;
  readonly index: number;
  readonly at: number;
}

/** What one socket carried and what the model expects of it. */
export interface SocketRecord {
  readonly ws: FakeWebSocket;
  readonly index: number;
  /** Whether its auth must carry `renewed: true` (a token-expired close or refusal came before it). */
  readonly renewed: boolean;
  readonly frames: Frame[];
  /** The ids the server answered, for the handshake's frames. */
  readonly answered: Set<number>;
  /** How many frames it had carried when the controller got authorized, then subscribed, on it. */
  authorizedAt?: number;
  subscribedAt?: number;
}

/** An authorization seen during the current step: the live subscriptions it must send again. */
export interface Authorization {
  readonly socket: FakeWebSocket;
  readonly live: readonly string[];
}

/** What the model predicts from the README's rules. */
export interface Model {
  /** A token-expired close or refusal came and no auth succeeded since (`context.tokenExpired`). */
  tokenExpired: boolean;
  /** The reconnect interval of the latest `open()`. */
  interval: number;
  /** `open()` calls that started a session (the controller was not active). */
  sessions: number;
}

export function initialModel(): Model {
  return { tokenExpired: false, interval: 1000, sessions: 0 };
}

/** What a run saw, summed over every sequence: proof that the property reached what it claims to check. */
export interface Coverage {
  sequences: number;
  steps: number;
  readonly byStep: Record<string, number>;
  readonly reached: Record<string, number>;
}

export function newCoverage(): Coverage {
  return { sequences: 0, steps: 0, byStep: {}, reached: {} };
}

export function tally(counts: Record<string, number>, name: string): void {
  counts[name] = (counts[name] ?? 0) + 1;
}

/** The controller under test, what it said, and what its sockets carried. */
export class World {
  readonly h: Harness = createHarness({ requestTimeout: REQUEST_TIMEOUT, closeTimeout: CLOSE_TIMEOUT });
  readonly states: SocketState[] = [];
  readonly transitions: SocketTransition[] = [];
  readonly closes: (SocketCloseInfo & { at: number })[] = [];
  readonly forever: (ClosedForeverEvent & { step: number })[] = [];
  readonly messages: unknown[] = [];
  /** Streams that must never end but did. */
  readonly ended: string[] = [];
  readonly issued: TrackedMessage[] = [];
  readonly lives: TrackedLive[] = [];
  readonly opens: TrackedCall[] = [];
  readonly closeCalls: TrackedCall[] = [];
  readonly sockets: SocketRecord[] = [];
  /** Authorizations seen during the current step. */
  authorizations: Authorization[] = [];
  /** When the scheduled reconnect is due, from `closed$`. */
  reconnectDue?: number;
  step = 0;
  /** A violation found inside a controller callback, thrown by the next `checkInvariants`. */
  failure?: unknown;
  /** The reactions the app armed (`controller-reaction-steps.ts`), disarmed at rest. */
  readonly armed = new Subscription();
  /** The step in which the app last reacted from inside a controller call (see `Reaction`). */
  reactedAtStep?: number;
  /** The largest `order` among the app's frames written so far. */
  lastWrittenOrder = -1;
  private readonly renewedBySocket = new Map<number, boolean>();
  private tags = 0;

  constructor(
    readonly model: Model,
    readonly coverage: Coverage,
  ) {
    const { controller } = this.h;
    const never = (name: string) => ({
      error: () => this.ended.push(`${name} errored`),
      complete: () => this.ended.push(`${name} completed`),
    });
    controller.state$.subscribe({ next: (state) => this.states.push(state), ...never('state$') });
    controller.transitions$.subscribe({ next: (t) => this.guard(() => this.onTransition(t)), ...never('transitions$') });
    controller.closed$.subscribe({ next: (close) => this.onClosed(close), ...never('closed$') });
    controller.closedForever$.subscribe({ next: (event) => this.forever.push({ ...event, step: this.step }), ...never('closedForever$') });
    controller.messages$.subscribe({ next: (message) => this.messages.push(message), ...never('messages$') });
    controller.error$.subscribe(never('error$'));
  }

  /**
   * Whether the app reacted during this step: what it did from inside the controller's call (a
   * follow-up request, a `close()`) changes the step's outcome, so only the invariants judge it.
   */
  get reacted(): boolean {
    return this.reactedAtStep === this.step;
  }

  /**
   * Runs model code called back by the controller (a stream's listener, a reaction). What it throws
   * would be reported by RxJS on a timer, after the step: it is kept and thrown at the step's end.
   */
  guard(run: () => void): void {
    try {
      run();
    } catch (error) {
      this.failure ??= error;
    }
  }

  /** Marks a reaction of the app from inside a controller call (see `reacted`). */
  react(what: string): void {
    this.reactedAtStep = this.step;
    tally(this.coverage.reached, `reaction: ${what}`);
  }

  get controller() {
    return this.h.controller;
  }

  get now(): number {
    return this.h.scheduler.now();
  }

  /** A tag no other message of this run carries. */
  nextTag(prefix: string): string {
    this.tags += 1;
    return `${prefix}${this.tags}`;
  }

  /** The newest socket, which the controller listens to if it listens to any. */
  get lastSocket(): FakeWebSocket | undefined {
    const all = this.h.sockets.all;
    return all[all.length - 1];
  }

  /** The socket the controller listens to (the newest, while it has not let it go). */
  get current(): FakeWebSocket | undefined {
    const last = this.lastSocket;
    return last && listenedTo(last) ? last : undefined;
  }

  /** The record of a socket, read up to its latest frame. */
  record(ws: FakeWebSocket): SocketRecord {
    this.scanFrames();
    return this.sockets[this.h.sockets.all.indexOf(ws)];
  }

  /** A notification recorder for an observer. */
  observer(into: Notification[]) {
    return {
      next: (value: unknown) => into.push({ kind: 'next', value, at: this.now }),
      error: (value: unknown) => into.push({ kind: 'error', value, at: this.now }),
      complete: () => into.push({ kind: 'complete', at: this.now }),
    };
  }

  /**
   * Reads the frames written since the last scan, checking each where it is written: the auth first
   * on its socket and carrying the expected `renewed`, the handshake's requests after it, the app's
   * messages once subscribed, in the order the app sent them, and each at most once.
   */
  scanFrames(): void {
    const all = this.h.sockets.all;
    for (let index = 0; index < all.length; index++) {
      const ws = all[index];
      const record = (this.sockets[index] ??= {
        ws,
        index,
        renewed: this.renewedBySocket.get(index) ?? false,
        frames: [],
        answered: new Set<number>(),
      });
      for (let n = record.frames.length; n < ws.sent.length; n++) {
        const request = JSON.parse(ws.sent[n] as string) as TestRequest;
        record.frames.push({ request, index: n, at: this.now });
        this.checkFrame(record, request, n);
      }
    }
  }

  private checkFrame(record: SocketRecord, request: TestRequest, n: number): void {
    const where = `frame ${n} of socket ${record.index} (${JSON.stringify(request)})`;
    if ((n === 0) !== (request.type === 'auth')) {
      violated('authFirstOnEverySocket', `${where}: the auth must be the first frame, and only it`);
    }
    if (request.type === 'auth') {
      if (request.renewed !== record.renewed) violated('tokenRenewedAfterExpiry', `${where}: expected renewed=${record.renewed}`);
      return;
    }
    if (request.type === 'sub' || request.type === 'live' || request.type === 'unlive') {
      if (record.authorizedAt === undefined || n < record.authorizedAt) {
        violated('subscriptionsAfterAuth', `${where} was written before the auth was accepted`);
      }
      const live = this.lives.find((l) => l.tag === request.kind);
      if (request.type === 'live' && live?.endedAtStep !== undefined && live.endedAtStep <= this.step) {
        violated('removedSubscriptionNeverResent', `${where}: the subscription ended at step ${live.endedAtStep}`);
      }
      if (record.frames.some((f) => f.index < n && f.request.type === request.type && f.request.kind === request.kind)) {
        violated('subscriptionOncePerConnection', `${where} was already written on this socket`);
      }
      return;
    }
    const message = this.issued.find((m) => m.tag === request.payload);
    if (!message) return violated('onlySentFrames', `${where}: no such message was sent`);
    if (message.written) {
      violated(
        'writtenOnce',
        `${where}: ${message} was already written on socket ${this.sockets.findIndex((s) => s.ws === message.written?.socket)}`,
      );
    }
    if (message.withdrawnAfter !== undefined) violated('withdrawnNeverWritten', `${where}: ${message} was withdrawn`);
    if (record.subscribedAt === undefined || n < record.subscribedAt) {
      violated('bufferedUntilSubscribed', `${where}: written before the socket was subscribed`);
    }
    if (message.order < this.lastWrittenOrder) {
      violated('bufferKeepsOrder', `${where}: ${message} was sent before a message already written`);
    }
    this.lastWrittenOrder = message.order;
    message.written = { socket: record.ws, id: request.id, at: this.now };
  }

  private onTransition(transition: SocketTransition): void {
    this.transitions.push(transition);
    const all = this.h.sockets.all;
    const last = all[all.length - 1];
    if (transition.to === SocketState.pending) {
      // The socket about to be created.
      this.renewedBySocket.set(all.length, this.model.tokenExpired);
      this.reconnectDue = undefined;
    } else if (transition.to === SocketState.authorized && last) {
      this.model.tokenExpired = false;
      this.scanFrames();
      this.sockets[all.length - 1].authorizedAt = last.sent.length;
      this.authorizations.push({ socket: last, live: this.lives.filter((l) => l.active).map((l) => l.tag) });
    } else if (transition.to === SocketState.subscribed && last) {
      this.scanFrames();
      this.sockets[all.length - 1].subscribedAt = last.sent.length;
      tally(this.coverage.reached, 'subscribed');
    }
  }

  private onClosed(close: SocketCloseInfo): void {
    this.closes.push({ ...close, at: this.now });
    this.reconnectDue = close.willReconnect ? this.now + (close.reconnectIn ?? 0) : undefined;
  }
}

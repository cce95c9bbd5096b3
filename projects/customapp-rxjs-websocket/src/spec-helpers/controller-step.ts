// What every step of the controller's property-based spec shares: the step itself (act, then check
// every invariant), a snapshot of what the controller had said before the step, and the outcomes
// the README promises for a stop, a reconnect and a dropped socket.
import type * as fc from 'fast-check';
import { ClosedBeforeResponseError, SocketClosedError, SocketState, WebSocketControllerError } from 'customapp-rxjs-websocket';
import { checkInvariants } from './controller-invariants';
import { Model, tally, TrackedLive, TrackedMessage, violated, World } from './controller-world';

/** One step of a sequence: it acts, checks what the README says of that act, then every invariant. */
export abstract class ControllerStep implements fc.Command<Model, World> {
  /** The step's kind, for the coverage tallies. */
  protected abstract readonly kind: string;

  check(): boolean {
    return true;
  }

  run(_model: Model, w: World): void {
    w.step += 1;
    w.coverage.steps += 1;
    tally(w.coverage.byStep, this.kind);
    this.act(w);
    checkInvariants(w);
  }

  /** The step itself, without the checks of every invariant (`run` adds them). */
  abstract act(w: World): void;

  abstract toString(): string;
}

type ErrorClass = abstract new (...args: never[]) => WebSocketControllerError;

/** What the controller had said before a step, to tell what the step changed. */
export class Snapshot {
  readonly messages: number;
  readonly errors: number;
  readonly forever: number;
  readonly closes: number;
  readonly sockets: number;
  readonly state: SocketState;
  readonly active: boolean;
  /** The app's messages that waited before the step. */
  readonly waiting: readonly TrackedMessage[];
  private readonly notified = new Map<TrackedMessage | TrackedLive, number>();

  constructor(private readonly w: World) {
    this.messages = w.messages.length;
    this.errors = w.h.errors.length;
    this.forever = w.forever.length;
    this.closes = w.closes.length;
    this.sockets = w.h.sockets.all.length;
    this.state = w.controller.state;
    this.active = w.controller.active;
    this.waiting = w.issued.filter((m) => m.waiting);
    for (const tracked of [...w.issued, ...w.lives]) this.notified.set(tracked, tracked.notifications.length);
  }

  get newMessages(): unknown[] {
    return this.w.messages.slice(this.messages);
  }

  get newErrors(): WebSocketControllerError[] {
    return this.w.h.errors.slice(this.errors);
  }

  /** The app's messages and subscriptions notified since. */
  get notifiedSince(): (TrackedMessage | TrackedLive)[] {
    return [...this.notified].filter(([tracked, count]) => tracked.notifications.length !== count).map(([tracked]) => tracked);
  }

  /** Nothing the app can see changed: `what` reached nobody. */
  expectQuiet(what: string): void {
    const w = this.w;
    const changed = {
      messages: w.messages.length - this.messages,
      errors: w.h.errors.length - this.errors,
      closedForever: w.forever.length - this.forever,
      sockets: w.h.sockets.all.length - this.sockets,
      notified: this.notifiedSince.length,
    };
    if (Object.values(changed).some((n) => n !== 0) || w.controller.state !== this.state) {
      violated('letGoSocketsChangeNothing', `${what} changed ${JSON.stringify(changed)}, state ${this.state} → ${w.controller.state}`);
    }
  }

  /** The socket goes on: same state, nothing else notified, no failure. */
  expectSocketGoesOn(what: string): void {
    const w = this.w;
    if (w.reacted) return;
    if (w.controller.state !== this.state || !w.controller.active !== !this.active || w.forever.length !== this.forever) {
      violated('socketGoesOn', `${what}: state ${this.state} → ${w.controller.state}, active ${this.active} → ${w.controller.active}`);
    }
    if (this.notifiedSince.length > 0) violated('socketGoesOn', `${what} notified ${this.notifiedSince.map(String).join(', ')}`);
  }

  /** The controller stopped for good with `Expected` on `error$` and `closedForever$`; what waited failed. */
  expectStop(what: string, Expected: ErrorClass): void {
    const w = this.w;
    if (w.reacted) return;
    const forever = w.forever.slice(this.forever);
    if (w.controller.active || w.controller.state !== SocketState.closed || w.controller.reconnecting) {
      violated(
        'stopsForGood',
        `${what}: active ${w.controller.active}, state ${w.controller.state}, reconnecting ${w.controller.reconnecting}`,
      );
    }
    if (forever.length !== 1 || !(forever[0].error instanceof Expected)) {
      violated(
        'stopsForGood',
        `${what}: closedForever$ emitted ${JSON.stringify(forever.map((e) => e.error?.name))}, expected one ${Expected.name}`,
      );
    }
    if (!this.newErrors.some((e) => e instanceof Expected)) violated('stopsForGood', `${what}: no ${Expected.name} on error$`);
    this.expectWaitingFailed(what, true);
  }

  /** The controller closed the socket and scheduled a reconnect in `delay` ms; requests written on it failed. */
  expectReconnect(what: string, delay: number, Expected?: ErrorClass): void {
    const w = this.w;
    if (w.reacted) return;
    const close = w.closes[w.closes.length - 1];
    if (!w.controller.reconnecting || w.controller.state !== SocketState.closed || w.closes.length !== this.closes + 1) {
      violated('reconnectsAfterDrop', `${what}: reconnecting ${w.controller.reconnecting}, state ${w.controller.state}`);
    }
    if (!close.willReconnect || close.reconnectIn !== delay) {
      violated('reconnectsAfterDrop', `${what}: closed$ said ${JSON.stringify(close)}, expected a reconnect in ${delay} ms`);
    }
    if (w.forever.length !== this.forever) violated('reconnectsAfterDrop', `${what}: closedForever$ emitted`);
    if (Expected && !this.newErrors.some((e) => e instanceof Expected)) {
      violated('reconnectsAfterDrop', `${what}: no ${Expected.name} on error$`);
    }
    this.expectWaitingFailed(what, false);
  }

  /**
   * Requests written on the socket fail with `ClosedBeforeResponseError`; messages in the buffer fail
   * with `SocketClosedError` when the controller stopped, and keep waiting when it reconnects.
   */
  expectWaitingFailed(what: string, stopped: boolean): void {
    if (this.w.reacted) return;
    for (const message of this.waiting) {
      const [first] = message.notifications;
      const Expected = message.written ? ClosedBeforeResponseError : stopped ? SocketClosedError : undefined;
      const ok = Expected ? first?.kind === 'error' && first.value instanceof Expected : message.notifications.length === 0;
      if (!ok) {
        violated(
          'nothingHangsAfterDrop',
          `${what}: ${message} notified ${JSON.stringify(message.notifications.map((n) => n.kind))}, expected ${Expected?.name ?? 'to keep waiting'}`,
        );
      }
    }
  }
}

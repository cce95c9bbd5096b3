// The steps of what the app does with the controller: open, close, requests (withdrawn or not),
// messages, live subscriptions added and removed, the network coming back.
import { AlreadyOpenedError, SocketClosedError, SocketState } from 'customapp-rxjs-websocket';
import { map } from 'rxjs';
import { ControllerStep, Snapshot } from './controller-step';
import { REQUEST_TIMEOUT, TrackedCall, TrackedLive, TrackedMessage, violated, World } from './controller-world';

/** `open()` with a fixed reconnect interval; a second one while open must throw, one while waiting to reconnect connects now. */
export class OpenStep extends ControllerStep {
  protected readonly kind = 'open';

  constructor(readonly interval: number) {
    super();
  }

  act(w: World): void {
    const { controller } = w;
    const before = controller.state === SocketState.closing ? 'a close() was finishing' : controller.reconnecting ? 'it waited to reconnect' : 'it was closed';
    const sockets = w.h.sockets.all.length;
    const call = openController(w, this.interval);
    if (!call || w.reacted) return;
    // It connects now, unless a close() is finishing: then once that one completes.
    const closing = before === 'a close() was finishing';
    const created = w.h.sockets.all.length - sockets;
    if (created !== (closing ? 0 : 1) || (!closing && controller.state !== SocketState.pending)) {
      violated('openConnectsNow', `${created} sockets created, state ${controller.state} (${before})`);
    }
  }

  toString(): string {
    return `open(every ${this.interval} ms)`;
  }
}

/**
 * Calls `open()` and tracks it: `undefined` when it threw `AlreadyOpenedError`, as it must while open
 * (not waiting to reconnect). A new session forgets the token-expired flag; every call sets the interval.
 */
export function openController(w: World, interval: number): TrackedCall | undefined {
  const { controller } = w;
  const options = { autoReconnect: { interval: () => interval } };
  if (controller.active && !controller.reconnecting) {
    let thrown: unknown;
    try {
      controller.open(options);
    } catch (error) {
      thrown = error;
    }
    if (!(thrown instanceof AlreadyOpenedError)) {
      violated('openWhileOpenThrows', `open() in state ${controller.state} gave ${String(thrown)}`);
    }
    return undefined;
  }
  if (!controller.active) {
    w.model.sessions += 1;
    w.model.tokenExpired = false;
  }
  w.model.interval = interval;
  const call: TrackedCall = { notifications: [], at: w.now, step: w.step };
  w.opens.push(call);
  controller.open(options).subscribe(w.observer(call.notifications));
  return call;
}

/** `close()`, the server acknowledging it at once or not (then a later step, or `closeTimeout`, finishes it). */
export class CloseStep extends ControllerStep {
  protected readonly kind = 'close';

  constructor(readonly acknowledged: boolean) {
    super();
  }

  act(w: World): void {
    const { controller } = w;
    const before = new Snapshot(w);
    const current = w.current;
    const connecting = current?.readyState === 0;
    const call = closeController(w);
    before.expectWaitingFailed('close()', true);
    const active = controller.active;
    if (this.acknowledged && current?.readyState === 2 && current.closedByClient) current.acknowledgeClose();
    if (w.reacted) return;
    if (active) violated('closeStops', `still active after close() in state ${controller.state}`);
    const done = !current || connecting || this.acknowledged;
    if ((call.notifications.length > 0) !== done) {
      violated(
        'closeCompletes',
        `close() ${done ? 'did not complete' : 'completed'} (socket ${current ? `in readyState ${current.readyState}` : 'none'})`,
      );
    }
    if (controller.state !== (done ? SocketState.closed : SocketState.closing)) {
      violated('closeCompletes', `state ${controller.state} after close()`);
    }
  }

  toString(): string {
    return this.acknowledged ? 'close() acknowledged' : 'close()';
  }
}

/** Calls `close()` and tracks it. */
export function closeController(w: World): TrackedCall {
  const { controller } = w;
  const stops = controller.active || controller.state === SocketState.closing;
  const call: TrackedCall = { notifications: [], at: w.now, step: w.step, stops };
  w.closeCalls.push(call);
  controller.close().subscribe(w.observer(call.notifications));
  return call;
}

/**
 * What the app does from inside the controller's call when a request or a send settles: nothing, a
 * follow-up request, withdraw another request waiting (as `switchMap` does), or `close()` (on its
 * response, or on its failure).
 */
export type Reaction = 'none' | 'follow-up' | 'withdraw another' | 'close on answer' | 'close on failure';

/** Calls `request()` and tracks it; `reaction` runs at its first notification. */
export function issueRequest(w: World, timeout: number | undefined, viaOperator: boolean, reaction: Reaction): TrackedMessage {
  const message = new TrackedMessage('request', w.nextTag('r'), w.issued.length, timeout ?? REQUEST_TIMEOUT);
  w.issued.push(message);
  const request$ = w.controller.request({ id: 0, type: 'req', payload: message.tag }, timeout === undefined ? {} : { timeout });
  const source$ = viaOperator ? request$.pipe(map((response) => response)) : request$;
  message.subscription = source$.subscribe(observeReacting(w, message, reaction));
  return message;
}

/** Records a message's notifications and runs `reaction` at the first (for a send, its completion counts as its answer). */
function observeReacting(w: World, message: TrackedMessage, reaction: Reaction) {
  const recorded = w.observer(message.notifications);
  const react = () => {
    const [first] = message.notifications;
    if (message.notifications.length !== 1 || reaction === 'none') return;
    if (reaction === 'close on answer' && first.kind !== 'next') return;
    if (reaction === 'close on failure' && first.kind !== 'error') return;
    w.react(reaction);
    w.guard(() => {
      if (reaction === 'follow-up') issueRequest(w, undefined, false, 'none');
      else if (reaction === 'withdraw another') withdraw(w, w.issued.find((m) => m !== message && untouched(m)));
      else closeController(w);
      // Read what it wrote now: it may run on a timer, in the middle of an advance.
      w.scanFrames();
    });
  };
  return {
    next: (value: unknown) => {
      recorded.next(value);
      react();
    },
    error: (error: unknown) => {
      recorded.error(error);
      react();
    },
    complete: recorded.complete,
  };
}

/** A request that waits and heard nothing yet. */
function untouched(message: TrackedMessage): boolean {
  return message.kind === 'request' && message.waiting && message.notifications.length === 0;
}

/** The app unsubscribes from a request that waits: it never settles, and is never written if it was not yet. */
function withdraw(w: World, message: TrackedMessage | undefined): void {
  if (!message) return;
  w.scanFrames();
  message.withdrawnAfter = message.notifications.length;
  message.subscription?.unsubscribe();
}

/**
 * `request()` with the default timeout or its own, through a direct observer or an RxJS operator,
 * maybe reacting to its outcome.
 */
export class RequestStep extends ControllerStep {
  protected readonly kind = 'request';

  constructor(
    readonly timeout: number | undefined,
    readonly viaOperator: boolean,
    readonly reaction: Reaction = 'none',
  ) {
    super();
  }

  act(w: World): void {
    const { controller } = w;
    const goesNow = controller.state === SocketState.subscribed && controller.bufferedMessages === 0;
    const active = controller.active;
    const message = issueRequest(w, this.timeout, this.viaOperator, this.reaction);
    if (!w.reacted) expectDispatched(w, message, active, goesNow);
  }

  toString(): string {
    const options = [
      this.timeout === undefined ? 'default timeout' : `timeout ${this.timeout}`,
      this.viaOperator ? 'piped' : '',
      this.reaction === 'none' ? '' : `then ${this.reaction}`,
    ];
    return `request(${options.filter(Boolean).join(', ')})`;
  }
}

/** `send()`: eager, completes once written. */
export class SendStep extends ControllerStep {
  protected readonly kind = 'send';

  constructor(readonly reaction: Reaction = 'none') {
    super();
  }

  act(w: World): void {
    const { controller } = w;
    const message = new TrackedMessage('send', w.nextTag('m'), w.issued.length, Infinity);
    w.issued.push(message);
    const goesNow = controller.state === SocketState.subscribed && controller.bufferedMessages === 0;
    const active = controller.active;
    const send$ = controller.send({ id: 0, type: 'msg', payload: message.tag });
    message.subscription = send$.subscribe(observeReacting(w, message, this.reaction));
    if (!w.reacted) expectDispatched(w, message, active, goesNow);
  }

  toString(): string {
    return this.reaction === 'none' ? 'send()' : `send(then ${this.reaction})`;
  }
}

/** Before `open()` and after `close()` a message fails at once; else it is written now when subscribed with an empty buffer, or waits. */
function expectDispatched(w: World, message: TrackedMessage, active: boolean, goesNow: boolean): void {
  w.scanFrames();
  if (!active) {
    const [first] = message.notifications;
    if (message.notifications.length !== 1 || !(first.value instanceof SocketClosedError)) {
      violated('closedRefusesAtOnce', `${message} notified ${JSON.stringify(message.notifications.map((n) => n.kind))}`);
    }
    return;
  }
  if ((message.written !== undefined) !== goesNow) {
    violated('writtenNowOrBuffered', `${message} was ${message.written ? '' : 'not '}written in state ${w.controller.state}`);
  }
  if (!goesNow && message.notifications.length > 0) violated('writtenNowOrBuffered', `${message} settled instead of waiting in the buffer`);
}

/** `subscription()` with an unsubscribe message: sent now when authorized, else with the next handshake. */
export class SubscribeStep extends ControllerStep {
  protected readonly kind = 'subscribe';

  act(w: World): void {
    const { controller } = w;
    const live = new TrackedLive(w.nextTag('s'));
    w.lives.push(live);
    const authorized = controller.state === SocketState.authorized || controller.state === SocketState.subscribed;
    live.subscription = controller
      .subscription({ id: 0, type: 'live', kind: live.tag }, { unsubscribe: { id: 0, type: 'unlive', kind: live.tag } })
      .subscribe({
        next: (response: unknown) => {
          live.notifications.push({ kind: 'next', value: response, at: w.now });
          // Accepted on the socket that answered: its unsubscribe goes out there, if it is still up.
          live.acceptedOn = w.current;
        },
        complete: () => live.notifications.push({ kind: 'complete', at: w.now }),
        error: (error: unknown) => {
          live.notifications.push({ kind: 'error', value: error, at: w.now });
          // Refused: it is never sent again.
          live.endedAtStep = w.step;
        },
      });
    const current = w.current;
    const sent = !!current && w.record(current).frames.some((f) => f.request.type === 'live' && f.request.kind === live.tag);
    if (sent !== authorized) {
      violated('subscriptionSentWhenAuthorized', `subscription ${live.tag} was ${sent ? '' : 'not '}sent in state ${controller.state}`);
    }
  }

  toString(): string {
    return 'subscription()';
  }
}

/** Unsubscribes a live subscription: its unsubscribe message goes out on the connection that accepted it, if that one is still up. */
export class UnsubscribeStep extends ControllerStep {
  protected readonly kind = 'unsubscribe';

  constructor(readonly pick: number) {
    super();
  }

  act(w: World): void {
    const active = w.lives.filter((l) => l.active);
    const live = active[this.pick % Math.max(1, active.length)];
    if (!live) return;
    const current = w.current;
    const state = w.controller.state;
    const authorized = state === SocketState.authorized || state === SocketState.subscribed;
    const expected = live.acceptedOn !== undefined && live.acceptedOn === current && authorized;
    const before = current ? w.record(current).frames.length : 0;
    live.endedAtStep = w.step;
    live.withdrawnAfter = live.notifications.length;
    live.subscription?.unsubscribe();
    const frames = current ? w.record(current).frames.slice(before) : [];
    const sent = frames.some((f) => f.request.type === 'unlive' && f.request.kind === live.tag);
    if (sent !== expected || frames.length !== (expected ? 1 : 0)) {
      violated(
        'unsubscribeOnAcceptingConnection',
        `subscription ${live.tag} removed in state ${state}: wrote ${JSON.stringify(frames.map((f) => f.request))}, expected ${expected ? 'its unsubscribe' : 'nothing'}`,
      );
    }
  }

  toString(): string {
    return `unsubscribe(live #${this.pick})`;
  }
}

/** The app unsubscribes from a request that waits (in the buffer or for its response): withdrawn, never settled. */
export class WithdrawStep extends ControllerStep {
  protected readonly kind = 'withdraw';

  constructor(readonly pick: number) {
    super();
  }

  act(w: World): void {
    const waiting = w.issued.filter((m) => m.kind === 'request' && m.waiting);
    withdraw(w, waiting[this.pick % Math.max(1, waiting.length)]);
  }

  toString(): string {
    return `withdraw(request #${this.pick})`;
  }
}

/** The browser's `online` event: a reconnect waiting out its interval happens now. */
export class OnlineStep extends ControllerStep {
  protected readonly kind = 'online';

  act(w: World): void {
    const reconnecting = w.controller.reconnecting;
    const sockets = w.h.sockets.all.length;
    w.h.online.next();
    if (w.reacted) return;
    const created = w.h.sockets.all.length - sockets;
    if (created !== (reconnecting ? 1 : 0)) violated('onlineReconnectsNow', `${created} sockets created; reconnecting was ${reconnecting}`);
  }

  toString(): string {
    return 'online';
  }
}

// The invariants of the controller's property-based spec, checked after every step: each one a
// promise of the README, read against what the world recorded.
import { ErrorResponseError, RequestTimeoutError, SocketState, WebSocketControllerError } from 'customapp-rxjs-websocket';
import {
  CLOSE_TIMEOUT,
  listenedTo,
  Notification,
  REQUEST_TIMEOUT,
  SocketRecord,
  TrackedCall,
  TrackedMessage,
  violated,
  World,
} from './controller-world';

/** The moves the README's state machine allows: the lifecycle, `close()` from any state, a failure straight to `closed`. */
const ALLOWED: Readonly<Record<SocketState, readonly SocketState[]>> = {
  [SocketState.closed]: [SocketState.pending],
  [SocketState.pending]: [SocketState.opened, SocketState.closing, SocketState.closed],
  [SocketState.opened]: [SocketState.authorized, SocketState.closing, SocketState.closed],
  [SocketState.authorized]: [SocketState.subscribed, SocketState.closing, SocketState.closed],
  [SocketState.subscribed]: [SocketState.closing, SocketState.closed],
  [SocketState.closing]: [SocketState.closed],
};

const HANDSHAKE_TYPES = ['auth', 'sub', 'live'];

export function checkInvariants(w: World): void {
  if (w.failure !== undefined) throw w.failure;
  w.scanFrames();
  for (const message of w.issued) settlesOnce(message);
  for (const live of w.lives) subscriptionNotifications(live.tag, live.notifications, live.withdrawnAfter);
  for (const open of w.opens) callSettles('open()', open, true);
  for (const close of w.closeCalls) callSettles('close()', close, false);
  countsMatchWhatWaits(w);
  nothingHangs(w);
  idleLeavesNothing(w);
  stateMachine(w);
  closedForeverOncePerOpen(w);
  oneSocketAtATime(w);
  subscriptionsSentOnEveryAuthorization(w);
  for (const error of w.h.errors) {
    if (!(error instanceof WebSocketControllerError)) violated('typedErrors', `error$ emitted ${String(error)}`);
  }
  if (w.ended.length > 0) violated('streamsNeverEnd', w.ended.join(', '));
}

/** A request emits its response then completes, or errors once; a send completes once written, or errors. Nothing after either. */
function settlesOnce(message: TrackedMessage): void {
  const kinds = message.notifications.map((n) => n.kind).join(',');
  // Unsubscribed from its own response's handler, it is not told of the completion that follows.
  const allowed = message.withdrawnAfter === undefined ? ['', 'next,complete', 'error'] : ['', 'next', 'next,complete', 'error'];
  if (!allowed.includes(kinds)) violated('settlesExactlyOnce', `${message} notified ${kinds}`);
  if (message.withdrawnAfter !== undefined && message.notifications.length !== message.withdrawnAfter) {
    violated('nothingAfterUnsubscribe', `${message} notified ${kinds} after it was withdrawn`);
  }
  const [first] = message.notifications;
  if (first?.kind === 'error' && !(first.value instanceof WebSocketControllerError)) {
    violated('typedErrors', `${message} failed with ${String(first.value)}`);
  }
  if (message.kind === 'send') {
    if ((kinds === 'next,complete') !== (message.written !== undefined)) {
      violated('sendCompletesWhenWritten', `${message} notified ${kinds} but was ${message.written ? '' : 'not '}written`);
    }
    return;
  }
  if (first?.kind === 'next') {
    if (message.answer === undefined || JSON.stringify(first.value) !== JSON.stringify(message.answer)) {
      violated(
        'responseReachesItsRequest',
        `${message} got ${JSON.stringify(first.value)}, but the server answered it ${JSON.stringify(message.answer)}`,
      );
    }
  }
  if (first?.value instanceof ErrorResponseError && JSON.stringify(first.value.response) !== JSON.stringify(message.answer)) {
    violated('responseReachesItsRequest', `${message} failed with the error response ${JSON.stringify(first.value.response)}, not its own`);
  }
  if (first?.value instanceof RequestTimeoutError) {
    const written = message.written;
    if (!written) return violated('timeoutCountsFromWrite', `${message} timed out without being written`);
    if (first.at < written.at + message.timeout) {
      violated('timeoutCountsFromWrite', `${message} written at ${written.at} timed out at ${first.at} (timeout ${message.timeout})`);
    }
    if (first.value.requestId !== written.id) {
      violated('timeoutCountsFromWrite', `${message} timed out as id ${first.value.requestId}, stamped ${written.id}`);
    }
  }
}

/** A live subscription emits each acceptance, fails at most once, never completes, and says nothing once removed. */
function subscriptionNotifications(tag: string, notifications: readonly Notification[], withdrawnAfter: number | undefined): void {
  const kinds = notifications.map((n) => n.kind);
  const error = kinds.indexOf('error');
  if (kinds.includes('complete') || (error >= 0 && error !== kinds.length - 1)) {
    violated('liveSubscriptionSettles', `subscription ${tag} notified ${kinds.join(',')}`);
  }
  if (withdrawnAfter !== undefined && notifications.length !== withdrawnAfter) {
    violated('nothingAfterUnsubscribe', `subscription ${tag} notified after it was removed`);
  }
}

/** `open()` emits once subscribed then completes, or errors; `close()` completes and never errors. */
function callSettles(name: string, call: TrackedCall, mayError: boolean): void {
  const kinds = call.notifications.map((n) => n.kind).join(',');
  const allowed = mayError ? ['', 'next,complete', 'error'] : ['', 'next,complete'];
  if (!allowed.includes(kinds)) violated('settlesExactlyOnce', `${name} of step ${call.step} notified ${kinds}`);
}

/**
 * `requestsInFlight` counts every request holding a key (the app's waiting ones and the handshake's
 * unanswered ones on the live socket) and `bufferedMessages` every message of the app not written yet.
 */
function countsMatchWhatWaits(w: World): void {
  const { controller } = w.h;
  const waiting = w.issued.filter((m) => m.waiting);
  const handshake = handshakeWaiting(w).length;
  const inFlight = waiting.filter((m) => m.kind === 'request').length + handshake;
  if (controller.requestsInFlight !== inFlight) {
    violated(
      'requestsInFlightCountsWaiting',
      `requestsInFlight is ${controller.requestsInFlight}, expected ${inFlight} (${handshake} of the handshake) in state ${controller.state}`,
    );
  }
  const buffered = waiting.filter((m) => !m.written).length;
  if (controller.bufferedMessages !== buffered) {
    violated('bufferedMessagesCountsWaiting', `bufferedMessages is ${controller.bufferedMessages}, expected ${buffered}`);
  }
}

/** The handshake's frames on the socket the controller listens to that wait for an answer. */
export function handshakeWaiting(w: World): SocketRecord['frames'] {
  const current = w.current;
  if (!current || w.h.controller.state === SocketState.closing) return [];
  const record = w.record(current);
  return record.frames.filter((f) => HANDSHAKE_TYPES.includes(f.request.type) && !record.answered.has(f.request.id));
}

/**
 * Nothing waits past its time: requests past their timeout, the handshake past `requestTimeout`,
 * `close()` past `closeTimeout`, a reconnect past its interval.
 */
function nothingHangs(w: World): void {
  const { controller } = w.h;
  for (const message of w.issued) {
    if (message.waiting && message.written && w.now >= message.written.at + message.timeout) {
      violated('requestTimesOut', `${message} written at ${message.written.at} still waits at ${w.now} (timeout ${message.timeout})`);
    }
  }
  for (const frame of handshakeWaiting(w)) {
    if (w.now >= frame.at + REQUEST_TIMEOUT) {
      violated('handshakeTimesOut', `${JSON.stringify(frame.request)} written at ${frame.at} still waits at ${w.now}`);
    }
  }
  for (const close of w.closeCalls) {
    if (close.notifications.length === 0 && w.now >= close.at + CLOSE_TIMEOUT) {
      violated('closeCompletesInTime', `close() of ${close.at} still runs at ${w.now}`);
    }
  }
  if (controller.reconnecting !== (controller.active && controller.state === SocketState.closed)) {
    violated(
      'closedWhileActiveMeansReconnecting',
      `reconnecting ${controller.reconnecting}, active ${controller.active}, state ${controller.state}`,
    );
  }
  // A reconnect due now (interval 0) runs once the clock moves on.
  if (controller.reconnecting && (w.reconnectDue === undefined || w.now > w.reconnectDue)) {
    violated('reconnectsOnTime', `still waiting to reconnect at ${w.now}, due at ${w.reconnectDue}`);
  }
}

/** Once stopped (closed or failed for good, not closing): no timer, no listener, no request or message left. */
function idleLeavesNothing(w: World): void {
  const { controller, scheduler, sockets, online } = w.h;
  if (online.observed !== controller.active) {
    violated('onlineListenedWhileActive', `online observed ${online.observed}, active ${controller.active}`);
  }
  if (controller.active || controller.state === SocketState.closing) return;
  const left = {
    timers: scheduler.pending,
    requestsInFlight: controller.requestsInFlight,
    bufferedMessages: controller.bufferedMessages,
    socketsListenedTo: sockets.all.filter(listenedTo).length,
    // A socket let go while connecting keeps the handler that closes it once it opens, and only that
    // (on a socket that then failed to connect it can never fire).
    handlersOnOpenSockets: sockets.all.filter((ws) => (ws.readyState === 1 || ws.readyState === 2) && ws.hasListeners).length,
  };
  if (Object.values(left).some((count) => count !== 0)) {
    violated('nothingLeftOnceStopped', `state ${controller.state}: ${JSON.stringify(left)}`);
  }
}

function stateMachine(w: World): void {
  const { states, transitions } = w;
  if (states[0] !== SocketState.closed || states.length !== transitions.length + 1) {
    violated('stateMachine', `state$ ${states.join(' → ')} against ${transitions.length} transitions`);
  }
  transitions.forEach((t, i) => {
    if (t.from !== states[i] || t.to !== states[i + 1]) {
      violated('stateMachine', `transition ${i} ${t.from} → ${t.to}, state$ ${states[i]} → ${states[i + 1]}`);
    }
    if (!ALLOWED[t.from].includes(t.to)) {
      violated('stateMachine', `${t.from} → ${t.to} is not a move of the state machine (${states.join(' → ')})`);
    }
  });
  if (w.h.controller.state !== states[states.length - 1]) {
    violated('stateMachine', `state ${w.h.controller.state}, state$ last ${states[states.length - 1]}`);
  }
}

function closedForeverOncePerOpen(w: World): void {
  if (w.forever.length > w.model.sessions) {
    violated('closedForeverOncePerOpen', `${w.forever.length} closedForever$ for ${w.model.sessions} open()`);
  }
  for (const close of w.closeCalls) {
    if (close.stops && close.notifications.length > 0 && !w.forever.some((event) => event.step >= close.step)) {
      violated('closedForeverOncePerOpen', `close() of step ${close.step} completed without closedForever$`);
    }
  }
  for (const event of w.forever) {
    if (event.error !== undefined && !(event.error instanceof WebSocketControllerError)) {
      violated('typedErrors', `closedForever$ with ${String(event.error)}`);
    }
  }
}

/** One socket at a time: at most one open, at most one listened to, and that one the newest. */
function oneSocketAtATime(w: World): void {
  const all = w.h.sockets.all;
  const open = all.filter((ws) => ws.readyState === 1).length;
  const listened = all.filter(listenedTo);
  if (open > 1) violated('oneSocketOpen', `${open} sockets are open`);
  if (listened.length > 1 || (listened.length === 1 && listened[0] !== w.lastSocket)) {
    violated('oneSocketListenedTo', `listening to sockets ${listened.map((ws) => all.indexOf(ws)).join(', ')} of ${all.length}`);
  }
}

/** Every authorization is followed by the configured subscriptions and every live one, on its socket. */
function subscriptionsSentOnEveryAuthorization(w: World): void {
  // Unless the app closed the controller from inside that authorization.
  for (const { socket, live } of w.reacted ? [] : w.authorizations) {
    const record = w.record(socket);
    const after = record.frames.filter((f) => f.index >= (record.authorizedAt ?? Infinity)).map((f) => f.request);
    const missing = [
      ...['categories', 'notifications'].filter((kind) => !after.some((r) => r.type === 'sub' && r.kind === kind)),
      ...live.filter((tag) => !after.some((r) => r.type === 'live' && r.kind === tag)),
    ];
    if (missing.length > 0) {
      violated('subscriptionsResentOnEveryConnection', `socket ${record.index} authorized without sending ${missing.join(', ')}`);
    }
  }
  w.authorizations = [];
}

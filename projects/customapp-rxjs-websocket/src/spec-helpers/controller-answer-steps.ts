// The steps in which the server (scripted by the spec) accepts and answers: it completes a socket's
// handshake, answers the auth, the subscriptions and the requests (by the id the controller stamped,
// in any order, with errors and duplicates), or simply takes the next step of a connection that
// goes well.
import { AuthRejectedError, ErrorResponseError, SocketState, SubscribeRejectedError, TokenExpiredError } from 'customapp-rxjs-websocket';
import { FakeWebSocket } from 'customapp-rxjs-websocket/testing';
import { ControllerStep, Snapshot } from './controller-step';
import { Frame, listenedTo, SocketRecord, tally, TOKEN_EXPIRED_ANSWER, TrackedMessage, violated, World } from './controller-world';

/** The newest socket when the server can still send on it (open, or closing). */
export function serverSide(w: World): FakeWebSocket | undefined {
  const ws = w.lastSocket;
  return ws && (ws.readyState === 1 || ws.readyState === 2) ? ws : undefined;
}

/** The server completes the WebSocket handshake of the newest socket, or of an older one still connecting. */
export class AcceptStep extends ControllerStep {
  protected readonly kind = 'accept';

  constructor(readonly stale: boolean) {
    super();
  }

  act(w: World): void {
    const last = w.lastSocket;
    const ws = this.stale ? w.h.sockets.all.find((s) => s.readyState === 0 && s !== last) : last?.readyState === 0 ? last : undefined;
    if (!ws) return;
    const listened = listenedTo(ws);
    const before = new Snapshot(w);
    ws.accept();
    if (w.reacted) return;
    if (!listened) {
      // Let go while connecting: closed once it opens, nothing written.
      if (ws.closedByClient?.code !== 1000 || ws.sent.length > 0) {
        violated('letGoSocketClosedOnOpen', `closedByClient ${JSON.stringify(ws.closedByClient)}, ${ws.sent.length} frames`);
      }
      return before.expectQuiet('opening a socket let go');
    }
    const [first] = w.record(ws).frames;
    if (w.controller.state !== SocketState.opened || first?.request.type !== 'auth') {
      violated('authFirstOnEverySocket', `after open: state ${w.controller.state}, first frame ${JSON.stringify(first?.request)}`);
    }
  }

  toString(): string {
    return this.stale ? 'accept(an older connecting socket)' : 'accept';
  }
}

/**
 * Delivers the server's answer to a handshake frame and checks where it went: nowhere on a socket let
 * go, to `messages$` while closing (`close()` failed the request), else to the handshake only.
 */
function answerHandshake(w: World, ws: FakeWebSocket, record: SocketRecord, frame: Frame, response: object): boolean {
  const listened = listenedTo(ws);
  const closing = w.controller.state === SocketState.closing;
  const before = new Snapshot(w);
  record.answered.add(frame.request.id);
  ws.receiveJson(response);
  if (!listened) {
    before.expectQuiet('an answer on a socket let go');
    return false;
  }
  const pushed = before.newMessages;
  if (closing ? pushed.length !== 1 || JSON.stringify(pushed[0]) !== JSON.stringify(response) : pushed.length !== 0) {
    violated(
      'responseReachesOnlyItsRequest',
      `the answer ${JSON.stringify(response)} to ${frame.request.type} in state ${before.state} put ${JSON.stringify(pushed)} on messages$`,
    );
  }
  return !closing;
}

/** The server answers the newest socket's auth: accepted, refused, or refused as expired. */
export class AnswerAuthStep extends ControllerStep {
  protected readonly kind = 'answer auth';

  constructor(readonly outcome: 'ok' | 'denied' | 'expired') {
    super();
  }

  act(w: World): void {
    const ws = serverSide(w);
    if (!ws) return;
    const record = w.record(ws);
    const [auth] = record.frames;
    if (!auth || record.answered.has(auth.request.id)) return;
    const id = auth.request.id;
    const response = this.outcome === 'ok' ? { id, ok: true } : { id, error: this.outcome === 'denied' ? 'denied' : TOKEN_EXPIRED_ANSWER };
    const renewed = w.model.tokenExpired;
    const sessions = w.model.sessions;
    const before = new Snapshot(w);
    if (!answerHandshake(w, ws, record, auth, response) || w.reacted) return;
    if (before.state !== SocketState.opened) violated('authAnsweredWhileOpened', `the auth was waiting in state ${before.state}`);
    if (this.outcome === 'ok') {
      tally(w.coverage.reached, 'authorized');
      if (w.controller.state !== SocketState.authorized) {
        violated('authorizesOnAcceptance', `state ${w.controller.state} after the auth was accepted`);
      }
    } else if (this.outcome === 'denied') {
      before.expectStop('auth refused', AuthRejectedError);
    } else if (renewed) {
      tally(w.coverage.reached, 'token renewal refused');
      before.expectStop('auth with a renewed token refused as expired', TokenExpiredError);
    } else {
      before.expectReconnect('auth refused as expired', 0);
      renewsToken(w, sessions);
    }
  }

  toString(): string {
    return `answer auth(${this.outcome})`;
  }
}

/** Answers one subscription frame (configured or live) of the newest socket; a refusal stops, or fails the live one alone. */
function answerSubscription(w: World, ws: FakeWebSocket, record: SocketRecord, frame: Frame, ok: boolean): void {
  const { id, kind: tag, type } = frame.request;
  const live = type === 'live' ? w.lives.find((l) => l.tag === tag && l.active) : undefined;
  const response = ok ? { id, ok: true } : { id, error: `no stream ${tag}` };
  const before = new Snapshot(w);
  if (!answerHandshake(w, ws, record, frame, response) || w.reacted) return;
  if (type === 'sub' && !ok) return before.expectStop('a subscription refused', SubscribeRejectedError);
  // Besides its own subscription, only the messages the buffer wrote once subscribed may hear of it.
  w.scanFrames();
  const others = before.notifiedSince.filter((t) => t !== live && !(t instanceof TrackedMessage && t.kind === 'send' && t.written));
  if (others.length > 0) {
    violated('responseReachesOnlyItsRequest', `the answer to ${type} ${tag} notified ${others.map(String).join(', ')}`);
  }
  if (!live) return;
  const last = live.notifications[live.notifications.length - 1];
  if (ok) {
    if (last?.kind !== 'next' || JSON.stringify(last.value) !== JSON.stringify(response)) {
      violated('liveSubscriptionEmitsAcceptance', `subscription ${tag} notified ${JSON.stringify(last)}`);
    }
    tally(w.coverage.reached, 'live subscription accepted');
    return;
  }
  if (last?.kind !== 'error' || !(last.value instanceof SubscribeRejectedError)) {
    violated('liveRefusalFailsItAlone', `subscription ${tag} notified ${JSON.stringify(last)}`);
  }
  if (!w.controller.active || w.forever.length !== before.forever) {
    violated('liveRefusalFailsItAlone', `the controller stopped on the refusal of subscription ${tag}`);
  }
}

/** Unanswered subscription frames of the newest socket. */
function unansweredSubscriptions(record: SocketRecord): Frame[] {
  return record.frames.filter((f) => (f.request.type === 'sub' || f.request.type === 'live') && !record.answered.has(f.request.id));
}

/** The server accepts every subscription waiting on the newest socket: once authorized, that makes it subscribed. */
export class AnswerSubscriptionsStep extends ControllerStep {
  protected readonly kind = 'answer subscriptions';

  act(w: World): void {
    const ws = serverSide(w);
    if (!ws) return;
    const record = w.record(ws);
    const frames = unansweredSubscriptions(record);
    if (frames.length === 0) return;
    const state = w.controller.state;
    const listened = listenedTo(ws);
    for (const frame of frames) answerSubscription(w, ws, record, frame, true);
    if (!w.reacted && listened && state === SocketState.authorized && w.controller.state !== SocketState.subscribed) {
      violated('subscribedOnceAllAnswered', `state ${w.controller.state} after every subscription was accepted`);
    }
  }

  toString(): string {
    return 'answer every subscription';
  }
}

/** The server answers one subscription frame, accepting or refusing it. */
export class AnswerSubscriptionStep extends ControllerStep {
  protected readonly kind = 'answer a subscription';

  constructor(
    readonly pick: number,
    readonly ok: boolean,
  ) {
    super();
  }

  act(w: World): void {
    const ws = serverSide(w);
    if (!ws) return;
    const record = w.record(ws);
    const frames = unansweredSubscriptions(record);
    const frame = frames[this.pick % Math.max(1, frames.length)];
    if (frame) answerSubscription(w, ws, record, frame, this.ok);
  }

  toString(): string {
    return `answer subscription #${this.pick} (${this.ok ? 'accepted' : 'refused'})`;
  }
}

/**
 * The server answers one of the app's requests on the newest socket by the id the controller stamped:
 * an unanswered one (any of them, so in any order), with a response or an error response, maybe
 * twice; or one already answered (a late duplicate).
 */
export class AnswerRequestStep extends ControllerStep {
  protected readonly kind = 'answer request';

  constructor(
    readonly pick: number,
    readonly how: 'ok' | 'error' | 'twice' | 'again',
  ) {
    super();
  }

  act(w: World): void {
    const ws = serverSide(w);
    if (!ws) return;
    const record = w.record(ws);
    const requests = record.frames.filter((f) => f.request.type === 'req');
    const unanswered = requests.filter((f) => !record.answered.has(f.request.id));
    const pool = this.how === 'again' || unanswered.length === 0 ? requests : unanswered;
    const frame = pool[this.pick % Math.max(1, pool.length)];
    if (!frame) return;
    const { id, payload } = frame.request;
    const response = this.how === 'error' ? { id, error: `refused ${String(payload)}` } : { id, echo: payload };
    deliverResponse(w, ws, record, frame, response);
    if (this.how === 'twice') deliverResponse(w, ws, record, frame, response);
  }

  toString(): string {
    return `answer request #${this.pick} (${this.how})`;
  }
}

/** A response reaches the request with its id while that one waits on this socket, and else `messages$`; never another request. */
function deliverResponse(w: World, ws: FakeWebSocket, record: SocketRecord, frame: Frame, response: { id: number; error?: string }): void {
  const message = w.issued.find((m) => m.tag === frame.request.payload);
  if (!message) return violated('onlySentFrames', `no request carries ${String(frame.request.payload)}`);
  const listened = listenedTo(ws);
  const waits = listened && message.waiting && message.written?.socket === ws && message.written.id === response.id;
  if (waits) message.answer = response;
  const before = new Snapshot(w);
  record.answered.add(response.id);
  ws.receiveJson(response);
  if (!listened) return before.expectQuiet('a response on a socket let go');
  const notified = before.notifiedSince;
  const pushed = before.newMessages;
  if (!waits) {
    if (notified.length > 0 || pushed.length !== 1 || JSON.stringify(pushed[0]) !== JSON.stringify(response)) {
      violated(
        'unclaimedResponseIsAPush',
        `${JSON.stringify(response)} for ${message} (no longer waiting) notified ${notified.map(String).join(', ')}, messages$ got ${JSON.stringify(pushed)}`,
      );
    }
    return;
  }
  if (pushed.length > 0 || (!w.reacted && (notified.length !== 1 || notified[0] !== message))) {
    violated(
      'responseReachesOnlyItsRequest',
      `${JSON.stringify(response)} for ${message} notified ${notified.map(String).join(', ') || 'nobody'}, messages$ got ${JSON.stringify(pushed)}`,
    );
  }
  const [first] = message.notifications;
  if (response.error !== undefined && !(first?.value instanceof ErrorResponseError)) {
    violated('errorResponseFailsItsRequest', `${message} notified ${JSON.stringify(first)}`);
  }
  tally(w.coverage.reached, response.error === undefined ? 'request answered' : 'request refused');
}

/**
 * The server takes the next step of a connection that goes well: it accepts the newest socket, or
 * accepts its auth, or every subscription waiting, or answers the oldest request waiting.
 */
export class ServerProgressStep extends ControllerStep {
  protected readonly kind = 'server progress';
  private readonly next = [new AcceptStep(false), new AnswerAuthStep('ok'), new AnswerSubscriptionsStep(), new AnswerRequestStep(0, 'ok')];

  act(w: World): void {
    const ws = w.lastSocket;
    if (!ws) return;
    const record = w.record(ws);
    const waiting = (type: string) => record.frames.some((f) => f.request.type === type && !record.answered.has(f.request.id));
    const [accept, auth, subscriptions, request] = this.next;
    if (ws.readyState === 0) accept.act(w);
    else if (waiting('auth')) auth.act(w);
    else if (waiting('sub') || waiting('live')) subscriptions.act(w);
    else if (waiting('req')) request.act(w);
  }

  toString(): string {
    return 'server goes on';
  }
}

/**
 * A token-expired close or refusal made the session reconnect asking for a renewed token; unless the
 * app, reacting, ended that session meanwhile (a new one starts without the flag).
 */
export function renewsToken(w: World, sessions: number): void {
  if (w.model.sessions === sessions && w.controller.active) w.model.tokenExpired = true;
}

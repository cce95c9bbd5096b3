// One WebSocket connection from accept to close: the auth gate, the token's expiry (moved by a
// `reauth`), its subscriptions, and the dispatch of its requests. Its state lives in one enum,
// written by setState().
import type { WebSocket } from 'ws';
import { api } from '../generated/api.js';
import type { Endpoint } from './access-policy.js';
import { mayUseMenu, maySubscribe } from './access-policy.js';
import type { AccessFailure, AuthService, Principal } from './auth-service.js';
import { CloseCode } from './codes.js';
import type { RegisteredSocket } from './connection-registry.js';
import type { Faults } from './faults.js';
import type { Logger } from './logger.js';
import type { MenuService, ResponseBodyInit } from './menu-service.js';
import type { Encoding, Frame, ResponseInit } from './protocol.js';
import { IllFormedTextError, MalformedFrameError, decodeRequestFrame, encodeResponseFrame } from './protocol.js';
import type { Subscriber, SubscriptionHub } from './subscription-hub.js';
import { toApiUser } from './users.js';
import { closeReason, toBuffer } from './ws-frames.js';

export enum SocketState {
  /** Accepted; only `auth` is allowed, and only until the auth timeout. */
  AwaitingAuth = 'AWAITING_AUTH',
  /** An `auth` is being checked; later frames wait in a short queue. */
  Authorizing = 'AUTHORIZING',
  /** Signed in: requests and subscriptions are served until the token expires (a `reauth` moves that). */
  Authorized = 'AUTHORIZED',
  /**
   * The fault `blackhole` holds it: nothing is read (the client's frames, its close frame included,
   * stay unread in the TCP connection), nothing is sent, no timer runs; it is dropped when the fault ends.
   */
  Blackholed = 'BLACKHOLED',
  /** A close was decided; nothing more is handled. */
  Closing = 'CLOSING',
  /** The connection is gone. */
  Closed = 'CLOSED',
}

/** What every socket shares. */
export interface SocketContext {
  auth: AuthService;
  menu: MenuService;
  hub: SubscriptionHub;
  faults: Faults;
  authTimeoutMs: number;
  logger: Logger;
}

interface Incoming {
  data: Buffer;
  isBinary: boolean;
}

/** Frames that may wait while an `auth` is being checked; one more is a protocol violation. */
const MAX_QUEUED_BEFORE_AUTH = 32;
/** `reauth`s that may wait for their check (they are checked one after another); one more is refused. */
const MAX_PENDING_REAUTHS = 8;
/** The longest delay setTimeout can take. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** How `auth` answers a refused token, and how the socket closes after it. */
const AUTH_REFUSALS: Readonly<Record<AccessFailure, readonly [api.ErrorCode, string, CloseCode]>> = {
  TOKEN_INVALID: [api.ErrorCode.TOKEN_INVALID, 'The access token is not valid here: sign in again.', CloseCode.AuthRefused],
  TOKEN_REVOKED: [api.ErrorCode.TOKEN_REVOKED, 'The session of this token was logged out: sign in again.', CloseCode.AuthRefused],
  TOKEN_EXPIRED: [api.ErrorCode.TOKEN_EXPIRED, 'The access token has expired: refresh it and reconnect.', CloseCode.TokenExpired],
};

/** How `reauth` answers a refused token; the socket stays open and keeps its expiry. */
const REAUTH_REFUSALS: Readonly<Record<AccessFailure, readonly [api.ErrorCode, string]>> = {
  TOKEN_INVALID: [api.ErrorCode.TOKEN_INVALID, 'The access token is not valid here; the socket keeps its expiry.'],
  TOKEN_REVOKED: [api.ErrorCode.TOKEN_REVOKED, 'The session of this token was logged out; the socket keeps its expiry.'],
  TOKEN_EXPIRED: [api.ErrorCode.TOKEN_EXPIRED, 'The access token has expired: refresh it and send reauth again before the socket expires.'],
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class SocketSession implements Subscriber, RegisteredSocket {
  /** The main protocol is no dialect. */
  readonly dialect = undefined;
  private currentState = SocketState.AwaitingAuth;
  private principal: Principal | undefined;
  private readonly subscriptions = new Set<api.SubKind>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private queued: Incoming[] = [];
  private readonly authTimer: NodeJS.Timeout;
  /** Closes the socket when the token expires; re-armed by a successful `reauth`. */
  private expiryTimer: NodeJS.Timeout | undefined;
  /** The `reauth`s being checked, in order of arrival: each waits for the one before it. */
  private reauths: Promise<void> = Promise.resolve();
  private pendingReauths = 0;
  /** Resolves once the connection is closed. */
  readonly closed: Promise<void>;

  constructor(
    private readonly ws: WebSocket,
    readonly endpoint: Endpoint,
    readonly encoding: Encoding,
    private readonly context: SocketContext,
  ) {
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.on('close', (code) => this.onClosed(code));
    ws.on('error', (error) => context.logger.debug(`socket error: ${error.message}`));
    ws.on('message', (data, isBinary) => this.receive(toBuffer(data), isBinary));
    this.authTimer = this.startTimer(context.authTimeoutMs, () =>
      this.closeNow(CloseCode.AuthTimeout, `no auth within ${context.authTimeoutMs} ms`),
    );
  }

  get state(): SocketState {
    return this.currentState;
  }

  get authorized(): boolean {
    return this.currentState === SocketState.Authorized;
  }

  get userId(): string | undefined {
    return this.principal?.user.id;
  }

  get sessionId(): string | undefined {
    return this.principal?.session.id;
  }

  get subscriptionCount(): number {
    return this.subscriptions.size;
  }

  get blackholed(): boolean {
    return this.currentState === SocketState.Blackholed;
  }

  /** Sends an encoded frame (a push); delayed like every response when the delay fault is on. */
  sendFrame(frame: Frame): void {
    this.deliver(() => {
      if (this.ws.readyState === this.ws.OPEN && this.currentState !== SocketState.Blackholed) this.ws.send(frame);
    });
  }

  /**
   * Closes now, for a reason of the server's (logout, expiry, shutdown): no error response first. A
   * blackholed socket sends nothing, as a dead connection would not deliver it: it is dropped when
   * its blackhole ends.
   */
  closeNow(code: CloseCode, reason: string): void {
    if (this.currentState === SocketState.Closing || this.currentState === SocketState.Closed) return;
    if (this.currentState === SocketState.Blackholed) return;
    this.setState(SocketState.Closing);
    this.clearTimers();
    this.ws.close(code, closeReason(reason));
  }

  /**
   * The fault `blackhole`: stops reading (the `ws` socket is paused, so not even a close frame or a
   * ping is read) and answering, keeping the TCP connection, as a peer that died without a word
   * would look; drops it after `ms`. Only a heartbeat with a timeout can tell, meanwhile.
   */
  blackhole(ms: number): boolean {
    if (this.currentState === SocketState.Closing || this.currentState === SocketState.Closed) return false;
    if (this.currentState === SocketState.Blackholed) return true;
    this.setState(SocketState.Blackholed);
    this.clearTimers();
    this.queued = [];
    this.ws.pause();
    this.startTimer(ms, () => this.terminate());
    return true;
  }

  /** Drops the connection without a close frame, as a network failure would. */
  terminate(): void {
    if (this.currentState === SocketState.Closed) return;
    this.setState(SocketState.Closing);
    this.clearTimers();
    this.ws.terminate();
  }

  private setState(to: SocketState): void {
    const from = this.currentState;
    this.currentState = to;
    if (from !== to) this.context.logger.debug(`socket ${from} -> ${to}`);
  }

  private receive(data: Buffer, isBinary: boolean): void {
    if (this.currentState === SocketState.Authorizing) {
      if (this.queued.length < MAX_QUEUED_BEFORE_AUTH) this.queued.push({ data, isBinary });
      else this.refuseOverflow({ data, isBinary });
      return;
    }
    this.handle({ data, isBinary });
  }

  /** The frame one past the queue's limit: refused with its own id, and the socket closed. */
  private refuseOverflow(incoming: Incoming): void {
    const request = this.decode(incoming);
    if (!request) return;
    this.refuse(request.id, api.ErrorCode.UNAUTHENTICATED, 'Too many requests before auth was answered.', CloseCode.ProtocolViolation);
  }

  private handle(incoming: Incoming): void {
    if (this.currentState !== SocketState.AwaitingAuth && this.currentState !== SocketState.Authorized) return;
    const request = this.decode(incoming);
    if (!request) return;
    try {
      if (this.currentState === SocketState.AwaitingAuth) this.handleBeforeAuth(request);
      else this.handleAuthorized(request);
    } catch (error) {
      this.context.logger.error(`request ${request.id} failed: ${error instanceof Error ? error.stack : String(error)}`);
      this.refuse(request.id, api.ErrorCode.INTERNAL, 'The server failed on this request.', CloseCode.InternalError);
    }
  }

  /**
   * The request in a frame, checked strictly; a frame that is not one is answered here (MALFORMED,
   * or BAD_REQUEST for text that is not well-formed) and undefined returned. Before auth that answer
   * closes the socket; after auth it stays open.
   */
  private decode(incoming: Incoming): api.Request | undefined {
    try {
      return decodeRequestFrame(this.encoding, incoming.isBinary ? incoming.data : decodeText(incoming.data));
    } catch (error) {
      const [code, id] =
        error instanceof IllFormedTextError
          ? [api.ErrorCode.BAD_REQUEST, error.requestId]
          : [api.ErrorCode.MALFORMED, error instanceof MalformedFrameError ? error.requestId : 0];
      const message = error instanceof Error ? error.message : 'Malformed frame.';
      if (this.currentState === SocketState.Authorized) this.reply(id, { error: { code, message } });
      else this.refuse(id, code, message, CloseCode.ProtocolViolation);
      return undefined;
    }
  }

  private handleBeforeAuth(request: api.Request): void {
    if (request.body !== 'auth' || !request.auth) {
      const message = 'The first message must be auth: send {auth: {accessToken}} and wait for its answer.';
      return this.refuse(request.id, api.ErrorCode.UNAUTHENTICATED, message, CloseCode.ProtocolViolation);
    }
    this.setState(SocketState.Authorizing);
    void this.authorize(request.id, request.auth.accessToken ?? '');
  }

  private async authorize(id: number, accessToken: string): Promise<void> {
    let result: Awaited<ReturnType<AuthService['authenticate']>>;
    try {
      result = this.context.faults.takeFailNextAuth()
        ? { ok: false, code: 'TOKEN_INVALID' }
        : await this.context.auth.authenticate(accessToken);
    } catch (error) {
      this.context.logger.error(`auth failed: ${error instanceof Error ? error.stack : String(error)}`);
      return this.refuse(id, api.ErrorCode.INTERNAL, 'The server failed to check the token.', CloseCode.InternalError);
    }
    if (this.currentState !== SocketState.Authorizing) return; // closed while the token was checked
    if (!result.ok) return this.refuse(id, ...AUTH_REFUSALS[result.code]);
    this.stopTimer(this.authTimer);
    this.principal = result.value;
    this.setState(SocketState.Authorized);
    this.watchExpiry(result.value.claims.exp * 1000);
    const acting = result.value.session.actingUserId;
    this.reply(id, {
      auth: { user: toApiUser(result.value.user), expiresAt: result.value.claims.exp, ...(acting ? { actingUserId: acting } : {}) },
    });
    const queued = this.queued;
    this.queued = [];
    for (const incoming of queued) this.handle(incoming);
  }

  /**
   * Checks `reauth`s one after another, so that they are answered, and move the expiry, in the
   * order they came; other requests are served meanwhile.
   */
  private queueReauth(id: number, accessToken: string): void {
    if (this.pendingReauths >= MAX_PENDING_REAUTHS) {
      const message = `At most ${MAX_PENDING_REAUTHS} reauths may wait for their answers: wait for them.`;
      return this.reply(id, { error: { code: api.ErrorCode.BAD_REQUEST, message } });
    }
    this.pendingReauths += 1;
    this.reauths = this.reauths
      .then(() => this.reauthorize(id, accessToken))
      .catch((error: unknown) => {
        this.context.logger.error(`reauth ${id} failed: ${error instanceof Error ? error.stack : String(error)}`);
        if (this.currentState !== SocketState.Authorized) return;
        this.refuse(id, api.ErrorCode.INTERNAL, 'The server failed to check the token.', CloseCode.InternalError);
      })
      .finally(() => (this.pendingReauths -= 1));
  }

  /**
   * Checks a fresh token for this socket. Accepted only for the same user and sign-in session: the
   * socket then closes at the new token's expiry. A token refused as such leaves the socket as it
   * was; one of another user or session closes it.
   */
  private async reauthorize(id: number, accessToken: string): Promise<void> {
    const result = await this.context.auth.authenticate(accessToken);
    if (this.currentState !== SocketState.Authorized) return; // closed while the token was checked
    if (!result.ok) {
      const [code, message] = REAUTH_REFUSALS[result.code];
      return this.reply(id, { error: { code, message } });
    }
    const { user, session, claims } = result.value;
    if (user.id !== this.principal?.user.id || session.id !== this.principal.session.id) {
      const message = 'This token is of another user or sign-in session than the socket: open a new socket with it.';
      return this.refuse(id, api.ErrorCode.FORBIDDEN, message, CloseCode.AuthRefused);
    }
    this.principal = result.value;
    this.watchExpiry(claims.exp * 1000);
    this.reply(id, { reauthed: { expiresAt: claims.exp } });
  }

  /** Closes when the token's exp passes (checked again on firing, as timers may fire early). */
  private watchExpiry(expiresAtMs: number): void {
    this.stopTimer(this.expiryTimer);
    const remaining = expiresAtMs - Date.now();
    if (remaining <= 0) return this.closeNow(CloseCode.TokenExpired, 'token expired');
    this.expiryTimer = this.startTimer(Math.min(remaining, MAX_TIMER_MS), () => this.watchExpiry(expiresAtMs));
  }

  private handleAuthorized(request: api.Request): void {
    const principal = this.principal;
    if (!principal) throw new Error('authorized socket without a principal');
    const role = principal.user.role;
    switch (request.body) {
      case 'auth':
        return this.reply(request.id, { error: { code: api.ErrorCode.ALREADY_AUTHORIZED, message: 'This socket is already authorized.' } });
      case 'ping':
        return this.reply(request.id, { pong: { clientTime: request.ping?.clientTime ?? 0, serverTime: Date.now() } });
      case 'reauth':
        return this.queueReauth(request.id, request.reauth?.accessToken ?? '');
      case 'sub':
        return this.subscribe(request.id, request.sub ?? {});
      case 'unsub': {
        const kind = request.unsub?.kind ?? api.SubKind.SUB_KIND_UNSPECIFIED;
        this.subscriptions.delete(kind);
        this.context.hub.remove(kind, this);
        return this.reply(request.id, { unsubscribed: { kind } });
      }
      case 'menuList':
      case 'menuAdd':
      case 'menuRename':
      case 'menuDelete': {
        const decision = mayUseMenu(role, request.body, this.endpoint);
        if (!decision.allowed) return this.reply(request.id, { error: { code: decision.code, message: decision.message } });
        const actingUser = principal.session.actingUserId ? this.context.auth.findUser(principal.session.actingUserId) : undefined;
        const actor = { user: principal.user, ...(actingUser ? { actingUser } : {}) };
        return this.context.menu.handle(request, actor, (response) => this.reply(request.id, response));
      }
      default:
        return this.reply(request.id, {
          error: { code: api.ErrorCode.UNKNOWN_MESSAGE, message: 'The message carries no request this server knows.' },
        });
    }
  }

  /**
   * Subscribes, then sends what the subscription starts with: the pushes missed since `since`
   * (RECOVERED), or else the whole state where the kind has one (CATEGORIES). All in one synchronous
   * pass, so that every push published later comes after them.
   */
  private subscribe(id: number, request: api.ISubscribeRequest): void {
    const kind = request.kind ?? api.SubKind.SUB_KIND_UNSPECIFIED;
    const decision = maySubscribe(this.principal?.user.role ?? 'VIEWER', kind, this.endpoint);
    if (!decision.allowed) return this.reply(id, { error: { code: decision.code, message: decision.message } });
    this.subscriptions.add(kind);
    const { recovery, position, missed } = this.context.hub.subscribe(kind, this, request.since);
    this.reply(id, { subscribed: { kind, recovery, position, replayed: missed.length } });
    for (const push of missed) this.sendFrame(push.frame(this.encoding));
    if (recovery !== api.Recovery.RECOVERED && kind === api.SubKind.CATEGORIES) this.reply(0, { sub: this.context.menu.snapshot() });
  }

  private reply(id: number, body: ResponseBodyInit): void {
    const response: ResponseInit = { id, ...body };
    this.sendFrame(encodeResponseFrame(this.encoding, response));
  }

  /** Answers with an error, then closes (after the error, even when responses are delayed). */
  private refuse(id: number, code: api.ErrorCode, message: string, closeCode: CloseCode): void {
    this.reply(id, { error: { code, message } });
    this.setState(SocketState.Closing);
    this.queued = [];
    this.deliver(() => this.ws.close(closeCode, closeReason(message)));
  }

  /** Runs a send now, or after the injected delay. */
  private deliver(action: () => void): void {
    const delay = this.context.faults.delayMs;
    if (delay > 0) this.startTimer(delay, action);
    else action();
  }

  private startTimer(ms: number, action: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    timer.unref();
    this.timers.add(timer);
    return timer;
  }

  private stopTimer(timer: NodeJS.Timeout | undefined): void {
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private onClosed(code: number): void {
    this.setState(SocketState.Closed);
    this.clearTimers();
    this.queued = [];
    this.subscriptions.clear();
    this.context.hub.removeEverywhere(this);
    this.context.logger.debug(`socket closed with ${code}`);
  }
}

function decodeText(data: Buffer): string {
  try {
    return utf8.decode(data);
  } catch {
    throw new MalformedFrameError('a text frame that is not UTF-8');
  }
}

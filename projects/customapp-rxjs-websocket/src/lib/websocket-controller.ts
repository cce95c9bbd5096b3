import { AsyncSubject, asyncScheduler, defaultIfEmpty, NEVER, Observable, of, SchedulerLike, share, take, throwError } from 'rxjs';
import { exponentialBackoff } from './backoff';
import { classifyClose, ClosePolicy } from './close-policy';
import {
  AuthContext,
  AutoReconnectOptions,
  DEFAULT_FATAL_CLOSE_CODES,
  DEFAULT_TOKEN_EXPIRED_CLOSE_CODES,
  FALLBACK_RECONNECT_INTERVAL,
  OpenOptions,
  ReconnectState,
  RequestOptions,
  SendOptions,
  WebSocketControllerConfig,
  WebSocketCtor,
  WebSocketLike,
} from './config';
import {
  AlreadyOpenedError,
  ConnectError,
  ConnectionLostError,
  FatalCloseError,
  NotReadyError,
  ReauthorizeRejectedError,
  ReauthorizeRequestError,
  ReconnectPolicyError,
  SocketClosedError,
  TokenExpiredError,
  WebSocketControllerError,
} from './errors';
import { silentLogger } from './logger';
import { isStateReached, RequiredState, SocketState } from './socket-state';
import { browserOnline$ } from './platform';
import { Connection, OpenResult, Session } from './session';
import { Handshake } from './handshake';
import { startHeartbeat } from './heartbeat';
import { ControllerEvents } from './controller-events';
import { ANSWERED, dispatchOf, RequestRouter } from './request-router';
import type { WebSocketSendOptions } from './deprecated';
import { LiveSubscription, LiveSubscriptionOptions } from './live-subscriptions';
import { reauthorization, ReauthorizeConfig } from './reauthorization';
import { RecoveryReport, StreamPositions } from './recovery';

const CONNECTING = 0;
const OPEN = 1;

/** The reconnect policy of an `open()`: the given callbacks, or the defaults (exponential backoff, always). */
function reconnectPolicy(options: OpenOptions): Required<AutoReconnectOptions> | false {
  const auto = options.autoReconnect;
  if (auto === false) return false;
  const backoff = exponentialBackoff();
  return {
    interval: auto?.interval ?? ((state: ReconnectState) => backoff(state.attempt)),
    shouldReconnect: auto?.shouldReconnect ?? (() => true),
  };
}

/**
 * Owns one WebSocket through its whole life: open, authorize, subscribe, requests and pushes,
 * reconnects, heartbeat, close. Framework-agnostic; runs in browsers and in Node.
 *
 * Every connection sends a freshly created auth request, then the subscription requests; messages
 * wait in a bounded buffer until the state they need; a drop fails the requests in flight at once and
 * reconnects with backoff; an auth or subscription refusal, or a fatal close code, stops for good.
 *
 * @example
 * const socket = new WebSocketController<Req, Res>({
 *   url: 'wss://example.com/ws',
 *   authorize: { createRequest: () => token$.pipe(map((accessToken) => ({ id: 0, auth: { accessToken } }))) },
 *   subscribe: { createRequests: () => of([{ id: 0, sub: { kind: 'categories' } }]) },
 *   isErrorResponse: (res) => !!res.error,
 * });
 * socket.open().subscribe({ error: (e) => showError(e.message) });
 * socket.request({ id: 0, menuList: {} }).subscribe((res) => render(res.menuList));
 * socket.messages$.pipe(filter((m) => !!m.sub)).subscribe(applyPush);
 */
export class WebSocketController<Req, Res, Data = string> extends ControllerEvents<Res> {
  private readonly Ctor: WebSocketCtor;
  private readonly scheduler: SchedulerLike;
  private readonly policy: ClosePolicy;
  private readonly closeTimeout: number;
  private readonly router: RequestRouter<Req, Res, Data>;
  private readonly online$: Observable<unknown>;
  private readonly live = new Set<LiveSubscription<Req, Res>>();
  private session?: Session<Res>;
  private connection?: Connection<Res>;
  /** The handshake of `connection`, once it opened. */
  private handshake?: Handshake<Req, Res>;
  private closeCompleted?: AsyncSubject<void>;
  /** The stream positions of the current `open()`, with a `recovery` config. */
  private positions?: StreamPositions<Req, Res>;
  private lastRecovery?: RecoveryReport;
  /** Times this controller got subscribed, and `error` events of its sockets, over its whole life (`ReconnectState`). */
  private subscribedCounter = 0;
  private erroredCounter = 0;

  constructor(private readonly config: WebSocketControllerConfig<Req, Res, Data>) {
    super(config.logger ?? silentLogger);
    const Ctor = config.WebSocketCtor ?? (globalThis as { WebSocket?: WebSocketCtor }).WebSocket;
    if (!Ctor) {
      throw new WebSocketControllerError(
        'No WebSocket constructor: this runtime has no global WebSocket. Pass one as `WebSocketCtor` (e.g. from the `ws` package).',
      );
    }
    this.Ctor = Ctor;
    this.scheduler = config.scheduler ?? asyncScheduler;
    this.policy = {
      fatalCloseCodes: config.fatalCloseCodes ?? DEFAULT_FATAL_CLOSE_CODES,
      tokenExpiredCloseCodes: config.tokenExpiredCloseCodes ?? DEFAULT_TOKEN_EXPIRED_CLOSE_CODES,
    };
    this.closeTimeout = config.closeTimeout ?? 3000;
    this.router = new RequestRouter(config, this.scheduler, {
      gate: (requires, mayWait) => this.gate(requires, mayWait),
      write: (frame) => (this.connection as Connection<Res>).ws.send(frame as never),
    });
    this.online$ = (config.online$ ?? browserOnline$() ?? NEVER).pipe(share());
  }

  /** Whether the socket is closed and a reconnect is scheduled. */
  get reconnecting(): boolean {
    return this.session?.reconnectTimer !== undefined;
  }

  /** Whether `open()` was called and neither `close()` nor a fatal stop has happened since. */
  get active(): boolean {
    return this.session !== undefined;
  }

  /** The auth response of the current connection, once authorized. */
  get authResponse(): Res | undefined {
    return this.connection?.authResponse;
  }

  /** How many requests hold a correlation key (waiting in the buffer or for their response). */
  get requestsInFlight(): number {
    return this.router.inFlight;
  }

  /** How many messages wait in the buffer. */
  get bufferedMessages(): number {
    return this.router.waiting;
  }

  /**
   * How the subscriptions came back at the last reconnect that resumed any (`recovery` config), for
   * this `open()`: `undefined` until one did. See `recovered$`.
   */
  get recovery(): RecoveryReport | undefined {
    return this.lastRecovery;
  }

  /**
   * Starts connecting now and keeps the socket up until `close()` or a fatal stop. The returned
   * observable emits once the socket is subscribed, then completes; it errors with the reason when the
   * controller stops first. Subscribing to it is optional. Called while the socket is closed and waits
   * to reconnect, it connects now, with these options from then on.
   *
   * @throws AlreadyOpenedError when already open, unless `doNotThrowWhenOpened` is set.
   * @example
   * socket.open({ autoReconnect: { interval: ({ attempt }) => Math.min(30_000, 1000 * attempt) } }).subscribe();
   */
  open(options: OpenOptions = {}): Observable<OpenResult<Res>> {
    const current = this.session;
    if (current?.reconnectTimer) {
      current.reopen(reconnectPolicy(options));
      this.reconnectNow(current);
      return current.result.asObservable();
    }
    if (current) {
      if (options.doNotThrowWhenOpened) return current.result.asObservable();
      throw new AlreadyOpenedError(this.state);
    }
    const session = new Session<Res>(reconnectPolicy(options));
    this.session = session;
    // Positions seen under another `open()` (another user, maybe) are not this one's to resume from.
    this.positions = this.config.recovery ? new StreamPositions(this.config.recovery, this.logger) : undefined;
    this.lastRecovery = undefined;
    session.subscriptions.add(this.online$.subscribe(() => this.reconnectNow(session)));
    if (this.closeCompleted) {
      // A close() is still finishing: connect once it has.
      session.subscriptions.add(this.closeCompleted.subscribe({ complete: () => this.connect(session) }));
    } else {
      this.connect(session);
    }
    return session.result.asObservable();
  }

  /**
   * Closes the socket and stops reconnecting, from any state. Starts at once; the returned observable
   * completes when the socket is closed. Waiting messages fail with `SocketClosedError`, requests in
   * flight with `ClosedBeforeResponseError`. No timer or listener is left behind.
   *
   * @example
   * socket.close().subscribe({ complete: () => router.navigateByUrl('/login') });
   */
  close(): Observable<void> {
    const session = this.session;
    if (session) this.endSession(session, new SocketClosedError('close() was called'));
    if (this.closeCompleted) return this.closeCompleted.asObservable();
    if (!session) return of(undefined);
    const connection = this.connection;
    if (!connection) {
      // Closed, waiting to reconnect (or creating the socket's options): cancelling was all there was to do.
      if (this.state !== SocketState.closed) {
        this.setState(SocketState.closed, { code: 1000, reason: 'closed by client', wasClean: true, willReconnect: false });
      }
      this.closedForever();
      return of(undefined);
    }
    if (connection.ws.readyState === CONNECTING) {
      // Closing a socket that is still connecting makes browsers log an error; let it finish and
      // close it then, detached from us.
      this.abandon(connection);
      this.setState(SocketState.closing);
      this.setState(SocketState.closed, { code: 1000, reason: 'closed by client', wasClean: true, willReconnect: false });
      this.closedForever();
      return of(undefined);
    }
    const done = new AsyncSubject<void>();
    this.closeCompleted = done;
    this.setState(SocketState.closing);
    this.router.failSent();
    connection.subscriptions.add(
      this.scheduler.schedule(() => {
        this.logger.warn('The server did not finish the closing handshake in time; letting the socket go.');
        this.finishClose(connection, { code: 1006, reason: 'close timeout', wasClean: false });
      }, this.closeTimeout),
    );
    try {
      connection.ws.close(1000, 'closed by client');
    } catch (error) {
      this.logger.warn('WebSocket.close threw', error);
      this.finishClose(connection, { code: 1006, reason: 'close failed', wasClean: false });
    }
    return done.asObservable();
  }

  /**
   * Sends a message that expects no response. It is written now when the socket is in the state the
   * message needs (default `subscribed`), else it waits in the buffer (unless `buffer: false`). Starts at
   * once; the returned observable completes when the message was written, or errors with a typed
   * reason (`BufferOverflowError`, `NotReadyError`, `SocketClosedError`, `MessageTooLargeError`, ...).
   *
   * @example
   * socket.send({ id: 0, typing: true }, { requires: SocketState.authorized, buffer: false });
   */
  send(message: Req, options: SendOptions & WebSocketSendOptions = {}): Observable<void> {
    return this.router.send(message, dispatchOf(options));
  }

  /**
   * Sends a request and emits its response, then completes. Cold: nothing is sent until you subscribe,
   * and unsubscribing withdraws it. A fresh id is stamped on it (`setRequestId`); it waits in the buffer
   * like `send` does; it fails with `RequestTimeoutError` after `requestTimeout` once sent,
   * `ClosedBeforeResponseError` if the socket drops first, `ErrorResponseError` for an error response.
   *
   * @example
   * socket.request({ id: 0, menuAdd: { name: 'Soups' } }).subscribe((res) => store.dispatch(added(res.menuAdd)));
   */
  request(request: Req, options: RequestOptions & WebSocketSendOptions = {}): Observable<Res> {
    return this.router.request(request, dispatchOf(options), options.timeout);
  }

  /**
   * Adds a subscription while the socket lives. Cold: subscribing sends the subscription request on
   * the current connection once it is authorized, and on every reconnect after the config's own
   * subscriptions; each acceptance emits the server's response (`undefined` when it never answers).
   * Pass a function to create the request anew for every connection (a fresh per-room token, say).
   * Unsubscribing removes it: its `unsubscribe` message is sent on the connection that accepted it, and
   * it is never re-sent. A refusal fails it alone with `SubscribeRejectedError`; the socket goes on.
   *
   * @example
   * const room = socket.subscription({ event: 'realtime:join', data: { name: '/menu', token } },
   *   { unsubscribe: { event: 'realtime:leave', data: { name: '/menu' } } }).subscribe();
   * // later: leaves the room, and a reconnect will not join it again
   * room.unsubscribe();
   */
  subscription(request: Req | (() => Observable<Req>), options: LiveSubscriptionOptions<Req> = {}): Observable<Res | undefined> {
    const create = typeof request === 'function' ? (request as () => Observable<Req>) : () => of(request);
    return new Observable<Res | undefined>((subscriber) => {
      const live = new LiveSubscription<Req, Res>(
        create,
        options.expectsResponse ?? true,
        subscriber,
        (removed) => this.live.delete(removed),
        () => this.connection,
      );
      this.live.add(live);
      // The handshake already took the list of live subscriptions: this one goes out on its own.
      if (this.handshake && isStateReached(this.state, SocketState.authorized)) this.handshake.sendLive(live);
      return () => {
        if (!this.live.delete(live)) return;
        if (live.lastRequest !== undefined) this.positions?.forget(live.lastRequest);
        if (options.unsubscribe !== undefined && live.acceptedOn === this.connection && this.connection) {
          this.sendUnsubscribe(options.unsubscribe, options.unsubscribeExpectsResponse === true);
        }
      };
    });
  }

  /**
   * Renews the authorization of the open connection in place (in-band re-auth, `reauthorize` config):
   * sends the request `reauthorize.createRequest` makes with a fresh token; subscriptions and requests
   * in flight are untouched. Call it when the token is renewed, before the old one expires. Starts at
   * once; emits the server's answer and completes. When the server refuses it or does not answer in
   * time, the controller reconnects at once with a fresh auth and this fails with
   * `ReauthorizeRejectedError`. Called while the connection is still authorizing, it runs once
   * authorized; with no connection it completes without a value (the next one authorizes afresh).
   *
   * @example
   * tokens.renewed$.subscribe(() => socket.reauthorize().subscribe({ error: () => undefined }));
   */
  reauthorize(): Observable<Res | undefined> {
    const config = this.config.reauthorize;
    if (!config) return throwError(() => new ReauthorizeRequestError('the controller has no `reauthorize` config'));
    const result = new AsyncSubject<Res | undefined>();
    const connection = this.connection;
    if (!this.session || !connection || this.state === SocketState.closing) {
      result.complete();
    } else if (isStateReached(this.state, SocketState.authorized)) {
      this.runReauthorization(connection, config, [result]);
    } else {
      connection.reauthorizeOnceAuthorized.push(result);
    }
    return result.asObservable();
  }

  // ------------------------------------------------------------------ connection life

  private connect(session: Session<Res>): void {
    if (this.session !== session) return;
    session.reconnectTimer = undefined;
    const context = {
      connection: ++session.connections,
      tokenExpired: session.tokenExpired,
      previousAuthResponse: session.lastAuthResponse,
    };
    this.setState(SocketState.pending);
    const createOptions = this.config.createSocketOptions;
    if (!createOptions) {
      this.createSocket(session, context, undefined);
      return;
    }
    session.subscriptions.add(
      createOptions(context)
        .pipe(take(1), defaultIfEmpty(undefined))
        .subscribe({
          next: (options) => this.createSocket(session, context, options),
          error: (error) => this.stop(new ConnectError(error)),
        }),
    );
  }

  private createSocket(session: Session<Res>, context: AuthContext<Res>, options: unknown): void {
    if (this.session !== session) return;
    let ws: WebSocketLike;
    try {
      const url = typeof this.config.url === 'function' ? this.config.url() : String(this.config.url);
      this.logger.debug('connecting', { url, connection: context.connection });
      ws = options === undefined ? new this.Ctor(url, this.config.protocol) : new this.Ctor(url, this.config.protocol, options as never);
      if (this.config.binaryType) ws.binaryType = this.config.binaryType;
    } catch (error) {
      this.stop(new ConnectError(error));
      return;
    }
    const connection = new Connection<Res>(ws, context);
    this.connection = connection;
    ws.onopen = (event) => this.onOpen(connection, event as Event);
    ws.onmessage = (event) => this.onMessage(connection, event as MessageEvent<Data>);
    ws.onerror = (event) => {
      this.erroredCounter += 1;
      this.logger.debug('socket error (a close event follows)', event);
    };
    ws.onclose = (event) => this.onClose(connection, event.code, event.reason, event.wasClean);
  }

  private onOpen(connection: Connection<Res>, event: Event): void {
    if (this.connection !== connection) return;
    this.setState(SocketState.opened);
    this.openedSubject.next(event);
    if (this.connection !== connection) return;
    // Events of a connection that was replaced meanwhile change nothing.
    const ours = (run: () => void) => {
      if (this.connection === connection) run();
    };
    const handshakeState = { requires: SocketState.opened, buffer: false } as const;
    const handshake: Handshake<Req, Res> = new Handshake<Req, Res>(
      this.config.authorize,
      this.config.subscribe,
      {
        request: (request) => this.router.request(request, handshakeState),
        send: (message) => this.router.send(message, handshakeState),
        isError: (response) => this.router.codec.isError(response),
        describe: (response) => this.router.codec.describe(response),
        scheduler: this.scheduler,
        requestTimeout: this.router.requestTimeout,
      },
      connection.subscriptions,
      {
        authorized: (response) => ours(() => this.onAuthorized(connection, response, handshake)),
        subscribed: (responses) => ours(() => this.onSubscribed(connection, responses)),
        refused: (error) => ours(() => this.stop(error)),
        tokenExpired: (reason) => ours(() => this.onAuthExpired(connection, reason)),
        timedOut: (error) => ours(() => this.replaceConnection(connection, { code: 1006, reason: 'no response to the handshake', error })),
      },
      this.positions,
    );
    this.handshake = handshake;
    handshake.start(connection.context);
  }

  /**
   * The server refused this connection's auth request as expired: the same decision as a "token
   * expired" close. When the request already carried a renewed token, that decision is to stop, even
   * if the request counted as accepted meanwhile (an unanswered auth does once written): renewing
   * again would loop.
   */
  private onAuthExpired(connection: Connection<Res>, reason: string): void {
    if (this.session && connection.context.tokenExpired) this.session.tokenExpired = true;
    this.replaceConnection(connection, { code: this.policy.tokenExpiredCloseCodes[0] ?? 4419, reason });
  }

  private onAuthorized(connection: Connection<Res>, authResponse: Res | undefined, handshake: Handshake<Req, Res>): void {
    connection.authResponse = authResponse;
    // Taken before anyone hears of the authorization: a subscription added from then on goes out alone.
    const live = [...this.live];
    if (this.session) {
      this.session.tokenExpired = false;
      this.session.lastAuthResponse = authResponse;
    }
    this.setState(SocketState.authorized);
    this.authorizedSubject.next(authResponse);
    if (this.connection !== connection) return;
    this.startHeartbeat(connection);
    this.flush();
    this.positions?.startHandshake();
    handshake.subscribe(authResponse, live);
    const waiting = connection.reauthorizeOnceAuthorized;
    connection.reauthorizeOnceAuthorized = [];
    if (waiting.length > 0 && this.config.reauthorize) this.runReauthorization(connection, this.config.reauthorize, waiting);
  }

  private onSubscribed(connection: Connection<Res>, responses: readonly Res[]): void {
    const session = this.session;
    if (!session) return;
    session.attempt = 0;
    this.subscribedCounter += 1;
    connection.subscribed = true;
    const report = this.positions?.report(connection.context.connection);
    if (report) {
      this.lastRecovery = report;
      this.logger.info('subscriptions resumed', report);
      this.recoveredSubject.next(report);
      if (this.connection !== connection) return;
    }
    this.setState(SocketState.subscribed);
    this.subscribedSubject.next([...responses]);
    if (!session.settled) {
      session.settled = true;
      session.result.next({ authResponse: connection.authResponse, subscribeResponses: responses });
      session.result.complete();
    }
    this.flush();
  }

  private onMessage(connection: Connection<Res>, event: MessageEvent<Data>): void {
    if (this.connection !== connection) return;
    const handshake = this.handshake;
    // Any message ends the window in which unanswered handshake requests may be refused.
    handshake?.nextMessage();
    const message = this.router.receive(event, handshake?.screen, this.reportUnreadable);
    if (message === ANSWERED) return;
    this.positions?.observe(message);
    this.messageBroadcast.emit(message);
  }

  private onClose(connection: Connection<Res>, code: number, reason: string, wasClean: boolean): void {
    if (this.connection !== connection) return;
    if (this.state === SocketState.closing) {
      this.finishClose(connection, { code, reason, wasClean });
      return;
    }
    this.afterDrop(connection, { code, reason, wasClean });
  }

  /** The socket ended without `close()`: decide between stopping, renewing the token and reconnecting. */
  private afterDrop(connection: Connection<Res>, ended: { code: number; reason: string; wasClean: boolean; error?: Error }): void {
    const session = this.session;
    // Closed as the answer to an unanswered auth that carried a renewed token: refused like an error frame would.
    const renewalRefused = connection.context.tokenExpired && this.connection === connection && this.handshake?.authOpenToRefusal === true;
    this.release(connection);
    if (!session) return;
    this.router.failSent();
    // The app may have closed (and opened again) from a failed request's error handler: nothing left to decide.
    if (this.session !== session) return;
    const { code, reason } = ended;
    const decision = classifyClose(code, this.policy);
    if (decision === 'stop') {
      this.stop(new FatalCloseError(code, reason), ended);
      return;
    }
    if (decision === 'renewToken') {
      if (session.tokenExpired || renewalRefused) {
        this.stop(new TokenExpiredError(code, reason), ended);
        return;
      }
      session.tokenExpired = true;
      this.scheduleReconnect(session, ended, 0);
      return;
    }
    session.attempt += 1;
    const state: ReconnectState = {
      attempt: session.attempt,
      code,
      reason,
      error: ended.error,
      wasPrevOpenSuccessful: connection.subscribed,
      subscribedCounter: this.subscribedCounter,
      erroredCounter: this.erroredCounter,
    };
    const error = ended.error instanceof WebSocketControllerError ? ended.error : new ConnectionLostError(code, reason);
    const auto = session.autoReconnect;
    if (!auto || !this.askPolicy('shouldReconnect', () => auto.shouldReconnect(state), true)) {
      this.stop(error, ended);
      return;
    }
    const delay = this.askPolicy('interval', () => auto.interval(state), FALLBACK_RECONNECT_INTERVAL);
    this.scheduleReconnect(session, ended, Math.max(0, delay), error);
  }

  /** Sends one re-authorization on an authorized connection and settles `results` with its outcome. */
  private runReauthorization(connection: Connection<Res>, config: ReauthorizeConfig<Req, Res>, results: AsyncSubject<Res | undefined>[]): void {
    const port = {
      request: (request: Req, timeout: number) => this.router.request(request, { requires: SocketState.authorized, buffer: false }, timeout),
      describe: (response: Res) => this.router.codec.describe(response),
      requestTimeout: this.router.requestTimeout,
    };
    const context = { connection: connection.context.connection, authResponse: connection.authResponse };
    const run = reauthorization(config, context, port, this.config.authorize?.isTokenExpiredResponse).subscribe({
      next: (response) => {
        if (response !== undefined) this.reauthorizedSubject.next(response);
        for (const result of results) {
          result.next(response);
          result.complete();
        }
      },
      error: (error: Error) => {
        for (const result of results) result.error(error);
        this.onReauthorizationFailed(connection, error);
      },
    });
    // A connection that ends first settles them without a value: the next one authorizes afresh.
    run.add(() => results.forEach((result) => result.complete()));
    connection.subscriptions.add(run);
  }

  /**
   * A re-authorization failed. When the server refused it or did not answer, the connection cannot be
   * trusted to outlive its old token: reconnect at once with a fresh auth (after a refusal as expired,
   * asking for a renewed token). When its request could not be made, the connection keeps its
   * authorization. A connection that ended meanwhile is the close handler's to decide.
   */
  private onReauthorizationFailed(connection: Connection<Res>, error: Error): void {
    if (error instanceof ReauthorizeRequestError) {
      this.logger.warn('re-authorization not sent', error);
      this.errorSubject.next(error);
      return;
    }
    const session = this.session;
    if (!(error instanceof ReauthorizeRejectedError) || !session || this.connection !== connection) return;
    if (this.state === SocketState.closing) return;
    if (error.tokenExpired) session.tokenExpired = true;
    this.abandon(connection);
    this.router.failSent();
    if (this.session !== session) return;
    this.scheduleReconnect(session, { code: 1000, reason: 'reauthorization failed', wasClean: true }, 0, error);
  }

  /** Calls a reconnect callback of the app; when it throws, the error goes to `error$` and `fallback` applies. */
  private askPolicy<T>(callback: keyof AutoReconnectOptions, call: () => T, fallback: T): T {
    try {
      return call();
    } catch (cause) {
      const error = new ReconnectPolicyError(callback, cause, fallback);
      this.logger.warn(error.message);
      this.errorSubject.next(error);
      return fallback;
    }
  }

  private scheduleReconnect(
    session: Session<Res>,
    ended: { code: number; reason: string; wasClean: boolean },
    delay: number,
    error?: WebSocketControllerError,
  ): void {
    session.reconnectTimer = this.scheduler.schedule(() => this.connect(session), delay);
    this.setState(SocketState.closed, { ...ended, willReconnect: true, reconnectIn: delay });
    this.logger.info('connection lost; reconnecting', { code: ended.code, reason: ended.reason, in: delay });
    if (error) this.errorSubject.next(error);
  }

  /** The network is back: a reconnect waiting out its backoff happens now. */
  private reconnectNow(session: Session<Res>): void {
    if (this.session !== session || !session.reconnectTimer) return;
    session.reconnectTimer.unsubscribe();
    this.connect(session);
  }

  /** Gives up on a connection that still looks open (dead heartbeat, no handshake answer) and reconnects. */
  private replaceConnection(connection: Connection<Res>, ended: { code: number; reason: string; error?: Error }): void {
    if (this.connection !== connection) return;
    if (this.state === SocketState.closing) {
      // close() is already letting it go: finish that instead of reconnecting.
      this.abandon(connection);
      this.finishClose(connection, { code: ended.code, reason: ended.reason, wasClean: false });
      return;
    }
    this.abandon(connection);
    this.afterDrop(connection, { ...ended, wasClean: false });
  }

  /** Stops for good with a reason: no reconnect, every waiting message and request fails. */
  private stop(error: WebSocketControllerError, ended?: { code: number; reason: string; wasClean: boolean }): void {
    const session = this.session;
    if (!session) return;
    this.endSession(session, error);
    const connection = this.connection;
    if (connection) this.abandon(connection);
    this.router.failSent();
    if (this.state !== SocketState.closed) {
      this.setState(SocketState.closed, { code: ended?.code ?? 1000, reason: ended?.reason ?? error.message, wasClean: ended?.wasClean ?? true, willReconnect: false });
    }
    this.logger.warn('stopped for good', error);
    this.errorSubject.next(error);
    this.closedForever(error);
  }

  /** Ends the `open()`: no more reconnects; the buffer and an unsettled `open()` result fail with `error`. */
  private endSession(session: Session<Res>, error: WebSocketControllerError): void {
    this.session = undefined;
    session.dispose();
    this.router.failWaiting(new SocketClosedError(error.message));
    if (!session.settled) {
      session.settled = true;
      session.result.error(error);
    }
  }

  /** Stops listening to a connection; from then on its events change nothing. */
  private release(connection: Connection<Res>): void {
    connection.detach();
    if (this.connection !== connection) return;
    this.connection = undefined;
    this.handshake = undefined;
  }

  /** Detaches a socket and closes it without waiting; a still-connecting one is closed once it opens. */
  private abandon(connection: Connection<Res>): void {
    this.release(connection);
    const ws = connection.ws;
    if (ws.readyState === CONNECTING) {
      ws.onopen = () => {
        ws.onopen = null;
        ws.close(1000, 'closed by client');
      };
    } else if (ws.readyState === OPEN) {
      ws.close(1000, 'closed by client');
    }
  }

  private finishClose(connection: Connection<Res>, ended: { code: number; reason: string; wasClean: boolean }): void {
    if (this.closeCompleted === undefined) return;
    this.release(connection);
    this.setState(SocketState.closed, { ...ended, willReconnect: false });
    this.closedForever();
    const done = this.closeCompleted;
    this.closeCompleted = undefined;
    done.next();
    done.complete();
  }

  /** The one place that says the controller stopped and will not reconnect. */
  private closedForever(error?: WebSocketControllerError): void {
    this.closedForeverSubject.next(error ? { error } : {});
  }

  private startHeartbeat(connection: Connection<Res>): void {
    const heartbeat = this.config.heartbeat;
    if (!heartbeat) return;
    startHeartbeat(heartbeat, this.scheduler, connection.subscriptions, {
      alive: () => this.connection === connection && isStateReached(this.state, SocketState.authorized),
      request: (request, timeout) => this.router.request(request, { requires: SocketState.authorized, buffer: false }, timeout),
      dead: (error) => this.replaceConnection(connection, { code: 1006, reason: 'heartbeat timeout', error }),
      skipped: (error) => {
        this.logger.warn('heartbeat not sent', error);
        this.errorSubject.next(error);
      },
    });
  }

  // ------------------------------------------------------------------ messages

  /** Whether a message goes out now, waits in the buffer, or is refused (and why). */
  private gate(requires: RequiredState, mayWait: boolean): 'now' | 'wait' | WebSocketControllerError {
    if (!this.session) {
      return new SocketClosedError(this.closeCompleted ? 'the socket is closing' : 'the socket is not open; call open() first');
    }
    const ready = this.connection !== undefined && isStateReached(this.state, requires);
    // A message that may wait goes behind those already waiting, so order is kept.
    if (ready && (!mayWait || this.router.waiting === 0)) return 'now';
    return mayWait ? 'wait' : new NotReadyError(this.state, requires);
  }

  private flush(): void {
    this.router.flush((requires) => this.connection !== undefined && isStateReached(this.state, requires));
  }

  /** Ends a live subscription on the server; a failure only gets logged (the subscription is gone either way). */
  private sendUnsubscribe(message: Req, answered: boolean): void {
    const dispatch = { requires: SocketState.authorized, buffer: false } as const;
    const sent: Observable<unknown> = answered ? this.router.request(message, dispatch) : this.router.send(message, dispatch);
    sent.subscribe({ error: (error) => this.logger.warn('unsubscribe not sent', error) });
  }
}

import {
  AsyncSubject,
  asyncScheduler,
  NEVER,
  Observable,
  of,
  SchedulerLike,
  share,
} from 'rxjs';
import { exponentialBackoff } from './backoff';
import { classifyClose, ClosePolicy } from './close-policy';
import {
  AuthContext,
  DEFAULT_FATAL_CLOSE_CODES,
  DEFAULT_TOKEN_EXPIRED_CLOSE_CODES,
  OpenOptions,
  ReconnectState,
  RequestKey,
  RequestOptions,
  SendOptions,
  WebSocketControllerConfig,
  WebSocketCtor,
  WebSocketLike,
} from './config';
import {
  AlreadyOpenedError,
  ClosedBeforeResponseError,
  ConnectError,
  ConnectionLostError,
  DeserializeError,
  DuplicateRequestIdError,
  ErrorResponseError,
  FatalCloseError,
  HeartbeatTimeoutError,
  MissingRequestIdError,
  NotReadyError,
  RequestTimeoutError,
  SocketClosedError,
  TokenExpiredError,
  WebSocketControllerError,
} from './errors';
import { silentLogger } from './logger';
import { Deadlines } from './deadlines';
import { PendingRequest, PendingRequests } from './pending-requests';
import { BufferedMessage, SendBuffer } from './send-buffer';
import { isStateReached, RequiredState, SocketState } from './socket-state';
import { browserOnline$ } from './platform';
import { Connection, OpenResult, Session } from './session';
import { Handshake } from './handshake';
import { MessageCodec } from './message-codec';
import { ControllerEvents } from './controller-events';

const CONNECTING = 0;
const OPEN = 1;

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
export class WebSocketController<Req, Res, Data = unknown> extends ControllerEvents<Res> {
  private readonly Ctor: WebSocketCtor;
  private readonly scheduler: SchedulerLike;
  private readonly policy: ClosePolicy;
  private readonly requestTimeout: number;
  private readonly closeTimeout: number;
  private readonly buffer: SendBuffer;
  private readonly codec: MessageCodec<Req, Res, Data>;
  private readonly pending = new PendingRequests<Res>((request) => this.deadlines.cancel(request));
  private readonly deadlines: Deadlines<PendingRequest<Res>>;
  private readonly online$: Observable<unknown>;
  private session?: Session<Res>;
  private connection?: Connection<Res>;
  private closeCompleted?: AsyncSubject<void>;

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
    this.codec = new MessageCodec(config);
    this.deadlines = new Deadlines<PendingRequest<Res>>(this.scheduler, (request) => {
      this.pending.delete(request);
      request.subscriber.error(new RequestTimeoutError(request.key, request.timeout));
    });
    this.requestTimeout = config.requestTimeout ?? 30_000;
    this.closeTimeout = config.closeTimeout ?? 3000;
    this.buffer = new SendBuffer({ size: config.buffer?.size ?? 1000, overflow: config.buffer?.overflow ?? 'dropNew' });
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
    return this.pending.size;
  }

  /** How many messages wait in the buffer. */
  get bufferedMessages(): number {
    return this.buffer.length;
  }

  /**
   * Starts connecting now and keeps the socket up until `close()` or a fatal stop. The returned
   * observable emits once the socket is first subscribed, then completes; it errors with the reason
   * when the controller stops first. Subscribing to it is optional.
   *
   * @throws AlreadyOpenedError when already open, unless `doNotThrowWhenOpened` is set.
   * @example
   * socket.open({ autoReconnect: { interval: ({ attempt }) => Math.min(30_000, 1000 * attempt) } }).subscribe();
   */
  open(options: OpenOptions = {}): Observable<OpenResult<Res>> {
    if (this.session) {
      if (options.doNotThrowWhenOpened) return this.session.result.asObservable();
      throw new AlreadyOpenedError(this.state);
    }
    const auto = options.autoReconnect;
    const backoff = exponentialBackoff();
    const session = new Session<Res>(
      auto === false
        ? false
        : {
            interval: auto?.interval ?? ((state: ReconnectState) => backoff(state.attempt)),
            shouldReconnect: auto?.shouldReconnect ?? (() => true),
          },
    );
    this.session = session;
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
      // Closed, waiting to reconnect: cancelling the reconnect was all there was to do.
      this.closedForeverSubject.next({});
      return of(undefined);
    }
    if (connection.ws.readyState === CONNECTING) {
      // Closing a socket that is still connecting makes browsers log an error; let it finish and
      // close it then, detached from us.
      this.abandon(connection);
      this.setState(SocketState.closing);
      this.setState(SocketState.closed, { code: 1000, reason: 'closed by client', wasClean: true, willReconnect: false });
      this.closedForeverSubject.next({});
      return of(undefined);
    }
    const done = new AsyncSubject<void>();
    this.closeCompleted = done;
    this.setState(SocketState.closing);
    this.failSentRequests();
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
  send(message: Req, options: SendOptions = {}): Observable<void> {
    const result = new AsyncSubject<void>();
    const frame = this.codec.serialize(message);
    const requires = options.requires ?? SocketState.subscribed;
    const route = frame instanceof Error ? frame : this.route(requires, options.buffer !== false);
    const transmit = () => {
      this.write(frame as Data);
      result.next();
      result.complete();
    };
    if (route === 'now') transmit();
    else if (route === 'wait') this.buffer.push({ requires, transmit, fail: (error) => result.error(error) });
    else result.error(route);
    return result.asObservable();
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
  request(request: Req, options: RequestOptions = {}): Observable<Res> {
    return new Observable<Res>((subscriber) => {
      const stamped = this.codec.stamp(request);
      const key = this.codec.requestKey(stamped);
      const frame = this.codec.serialize(stamped);
      const requires = options.requires ?? SocketState.subscribed;
      const route =
        key === undefined
          ? new MissingRequestIdError()
          : this.pending.has(key)
            ? new DuplicateRequestIdError(key)
            : frame instanceof Error
              ? frame
              : this.route(requires, options.buffer !== false);
      if (route instanceof Error) {
        subscriber.error(route);
        return undefined;
      }
      const entry = new PendingRequest<Res>(this.pending, key as RequestKey, options.timeout ?? this.requestTimeout, subscriber);
      this.pending.add(entry);
      if (route === 'now') {
        this.transmitRequest(entry, frame as Data);
        return entry;
      }
      const waiting: BufferedMessage = {
        requires,
        transmit: () => this.transmitRequest(entry, frame as Data),
        fail: (error) => {
          this.pending.delete(entry);
          subscriber.error(error);
        },
      };
      this.buffer.push(waiting);
      return () => {
        this.pending.delete(entry);
        this.buffer.remove(waiting);
      };
    });
  }

  // ------------------------------------------------------------------ connection life

  private connect(session: Session<Res>): void {
    if (this.session !== session) return;
    session.reconnectTimer = undefined;
    const context: AuthContext = { connection: ++session.connections, tokenExpired: session.tokenExpired };
    this.setState(SocketState.pending);
    let ws: WebSocketLike;
    try {
      const url = typeof this.config.url === 'function' ? this.config.url() : this.config.url;
      this.logger.debug('connecting', { url, connection: context.connection });
      ws = new this.Ctor(url, this.config.protocol);
      if (this.config.binaryType) ws.binaryType = this.config.binaryType;
    } catch (error) {
      this.stop(new ConnectError(error));
      return;
    }
    const connection = new Connection<Res>(ws, context);
    this.connection = connection;
    ws.onopen = () => this.onOpen(connection);
    ws.onmessage = (event) => this.onMessage(connection, event.data as Data);
    ws.onerror = (event) => this.logger.debug('socket error (a close event follows)', event);
    ws.onclose = (event) => this.onClose(connection, event.code, event.reason, event.wasClean);
  }

  private onOpen(connection: Connection<Res>): void {
    if (this.connection !== connection) return;
    this.setState(SocketState.opened);
    // Events of a connection that was replaced meanwhile change nothing.
    const ours = (run: () => void) => {
      if (this.connection === connection) run();
    };
    const handshake: Handshake<Req, Res> = new Handshake<Req, Res>(
      this.config.authorize,
      this.config.subscribe,
      (request) => this.exchange(request, this.requestTimeout),
      (response) => this.codec.describe(response),
      connection.subscriptions,
      {
        authorized: (response) => ours(() => this.onAuthorized(connection, response, handshake)),
        subscribed: (responses) => ours(() => this.onSubscribed(connection, responses)),
        refused: (error) => ours(() => this.stop(error)),
        // The same decision as a "token expired" close.
        tokenExpired: (reason) =>
          ours(() => this.replaceConnection(connection, { code: this.policy.tokenExpiredCloseCodes[0] ?? 4419, reason })),
        timedOut: (error) => ours(() => this.replaceConnection(connection, { code: 1006, reason: 'no response to the handshake', error })),
      },
    );
    handshake.authorize(connection.context);
  }

  private onAuthorized(connection: Connection<Res>, authResponse: Res | undefined, handshake: Handshake<Req, Res>): void {
    connection.authResponse = authResponse;
    if (this.session) this.session.tokenExpired = false;
    this.setState(SocketState.authorized);
    this.authorizedSubject.next(authResponse);
    this.startHeartbeat(connection);
    this.flush();
    handshake.subscribe(authResponse);
  }

  private onSubscribed(connection: Connection<Res>, responses: readonly Res[]): void {
    const session = this.session;
    if (!session) return;
    session.attempt = 0;
    this.setState(SocketState.subscribed);
    this.subscribedSubject.next(responses);
    if (!session.settled) {
      session.settled = true;
      session.result.next({ authResponse: connection.authResponse, subscribeResponses: responses });
      session.result.complete();
    }
    this.flush();
  }

  private onMessage(connection: Connection<Res>, data: Data): void {
    if (this.connection !== connection) return;
    let message: Res;
    try {
      message = this.codec.deserialize(data);
    } catch (error) {
      this.errorSubject.next(new DeserializeError(error, data));
      return;
    }
    const request = this.pending.take(this.codec.responseKey(message));
    if (request) this.settle(request, message);
    else this.messagesSubject.next(message);
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
    connection.detach();
    this.connection = undefined;
    if (!session) return;
    this.failSentRequests();
    const { code, reason } = ended;
    const decision = classifyClose(code, this.policy);
    if (decision === 'stop') {
      this.stop(new FatalCloseError(code, reason), ended);
      return;
    }
    if (decision === 'renewToken') {
      if (session.tokenExpired) {
        this.stop(new TokenExpiredError(code, reason), ended);
        return;
      }
      session.tokenExpired = true;
      this.scheduleReconnect(session, ended, 0);
      return;
    }
    session.attempt += 1;
    const state: ReconnectState = { attempt: session.attempt, code, reason, error: ended.error };
    const error = ended.error instanceof WebSocketControllerError ? ended.error : new ConnectionLostError(code, reason);
    if (!session.autoReconnect || !session.autoReconnect.shouldReconnect(state)) {
      this.stop(error, ended);
      return;
    }
    this.scheduleReconnect(session, ended, Math.max(0, session.autoReconnect.interval(state)), error);
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
    this.failSentRequests();
    if (this.state !== SocketState.closed) {
      this.setState(SocketState.closed, { code: ended?.code ?? 1000, reason: ended?.reason ?? error.message, wasClean: ended?.wasClean ?? true, willReconnect: false });
    }
    this.logger.warn('stopped for good', error);
    this.errorSubject.next(error);
    this.closedForeverSubject.next({ error });
  }

  /** Ends the `open()`: no more reconnects; the buffer and an unsettled `open()` result fail with `error`. */
  private endSession(session: Session<Res>, error: WebSocketControllerError): void {
    this.session = undefined;
    session.dispose();
    this.buffer.failAll(new SocketClosedError(error.message));
    if (!session.settled) {
      session.settled = true;
      session.result.error(error);
    }
  }

  /** Detaches a socket and closes it without waiting; a still-connecting one is closed once it opens. */
  private abandon(connection: Connection<Res>): void {
    connection.detach();
    this.connection = undefined;
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
    if (this.connection !== connection) return;
    connection.detach();
    this.connection = undefined;
    this.setState(SocketState.closed, { ...ended, willReconnect: false });
    this.closedForeverSubject.next({});
    const done = this.closeCompleted;
    this.closeCompleted = undefined;
    done?.next();
    done?.complete();
  }

  private startHeartbeat(connection: Connection<Res>): void {
    const heartbeat = this.config.heartbeat;
    if (!heartbeat) return;
    const beat = () => {
      if (this.connection !== connection) return;
      connection.subscriptions.add(
        this.exchange(heartbeat.createRequest(), heartbeat.timeout).subscribe({
          next: () => connection.subscriptions.add(this.scheduler.schedule(beat, heartbeat.interval)),
          error: (error: Error) => {
            if (error instanceof RequestTimeoutError) {
              this.replaceConnection(connection, { code: 1006, reason: 'heartbeat timeout', error: new HeartbeatTimeoutError(heartbeat.timeout) });
            }
          },
        }),
      );
    };
    connection.subscriptions.add(this.scheduler.schedule(beat, heartbeat.interval));
  }

  // ------------------------------------------------------------------ messages

  /** Whether a message goes out now, waits in the buffer, or is refused (and why). */
  private route(requires: RequiredState, mayWait: boolean): 'now' | 'wait' | WebSocketControllerError {
    if (!this.session) {
      return new SocketClosedError(this.closeCompleted ? 'the socket is closing' : 'the socket is not open; call open() first');
    }
    const ready = this.connection !== undefined && isStateReached(this.state, requires);
    // A message that may wait goes behind those already waiting, so order is kept.
    if (ready && (!mayWait || this.buffer.length === 0)) return 'now';
    return mayWait ? 'wait' : new NotReadyError(this.state, requires);
  }

  private flush(): void {
    this.buffer.flush((message) => this.connection !== undefined && isStateReached(this.state, message.requires));
  }

  /** Sends an internal request (auth, subscription, heartbeat) now, bypassing the buffer. */
  private exchange(request: Req, timeout: number): Observable<Res> {
    return new Observable<Res>((subscriber) => {
      const stamped = this.codec.stamp(request);
      const key = this.codec.requestKey(stamped);
      const frame = this.codec.serialize(stamped);
      if (key === undefined || frame instanceof Error) {
        subscriber.error(key === undefined ? new MissingRequestIdError() : frame);
        return undefined;
      }
      const entry = new PendingRequest<Res>(this.pending, key, timeout, subscriber);
      this.pending.add(entry);
      this.transmitRequest(entry, frame as Data);
      return entry;
    });
  }

  /** Writes a request and starts its response timeout. */
  private transmitRequest(entry: PendingRequest<Res>, frame: Data): void {
    entry.sent = true;
    this.deadlines.add(entry);
    this.write(frame);
  }

  private settle(request: PendingRequest<Res>, response: Res): void {
    if (this.config.isErrorResponse?.(response)) {
      request.subscriber.error(new ErrorResponseError(response, this.codec.describe(response)));
    } else {
      request.subscriber.next(response);
      request.subscriber.complete();
    }
  }

  private write(frame: Data): void {
    (this.connection as Connection<Res>).ws.send(frame as never);
  }

  private failSentRequests(): void {
    for (const request of this.pending.takeSent()) request.subscriber.error(new ClosedBeforeResponseError(request.key));
  }
}

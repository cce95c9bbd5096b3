import { catchError, defaultIfEmpty, forkJoin, ignoreElements, Observable, of, SchedulerLike, Subscription, switchMap, take, tap } from 'rxjs';
import { AuthContext, AuthorizeConfig, SubscribeConfig } from './config';
import {
  AuthRejectedError,
  AuthRequestError,
  ClosedBeforeResponseError,
  ErrorResponseError,
  RequestTimeoutError,
  SubscribeRejectedError,
  SubscribeRequestError,
  WebSocketControllerError,
  WelcomeTimeoutError,
} from './errors';
import { LiveSubscription } from './live-subscriptions';
import { PLAIN_SUBSCRIPTIONS, PreparedSubscription, SubscriptionHooks } from './recovery';

/** What a handshake tells its controller. */
export interface HandshakeEvents<Res> {
  /** The auth request was accepted (or none is configured). */
  authorized(authResponse: Res | undefined): void;
  /** Every subscription request was acknowledged (or none is configured); the responses of those answered. */
  subscribed(responses: readonly Res[]): void;
  /** A refusal, or requests that could not be made: stop for good. */
  refused(error: WebSocketControllerError): void;
  /** The server refused the token as expired (`authorize.isTokenExpiredResponse`). */
  tokenExpired(reason: string): void;
  /** The welcome or a handshake response did not come in time: the connection is to be replaced. */
  timedOut(error: WebSocketControllerError): void;
}

/** How a handshake reaches the socket: the controller's one path for requests and messages. */
export interface HandshakePort<Req, Res> {
  /** Sends a request now and emits its response (errors with `ErrorResponseError`, `RequestTimeoutError`, ...). */
  request(request: Req): Observable<Res>;
  /** Sends a message the server never answers, now; completes once it was written. */
  send(message: Req): Observable<void>;
  isError(response: Res): boolean;
  describe(response: Res): string;
  readonly scheduler: SchedulerLike;
  readonly requestTimeout: number;
}

/** How soon after an unanswered auth request, in ms, a close still counts as its refusal (see `authOpenToRefusal`). */
export const CLOSE_REFUSAL_WINDOW = 5_000;

/** A request written without an answer to wait for; the first message after it may refuse it. */
interface Unanswered<Res> {
  refuse(response: Res, detail: string): void;
}

/**
 * The requests every connection starts with: waiting for the server's welcome (when it speaks first),
 * the auth request created anew for the connection, then the subscription requests (the config's, then
 * those added while the socket lives). It decides what each answer means; the controller decides what
 * to do about it. Everything it runs lives in the connection's subscriptions.
 *
 * A request the server never answers counts as accepted once written. Until the server's next message,
 * it can still be refused: when that message is an error response that answers no request, it refuses
 * the oldest such request written (see {@link nextMessage} and {@link screen}).
 */
export class Handshake<Req, Res> {
  private welcomeWait?: { context: AuthContext<Res>; timer: Subscription };
  private unanswered: Unanswered<Res>[] = [];
  /** Those whose window the message being handled closed. */
  private refusable: readonly Unanswered<Res>[] = [];
  /** The auth request, when it was written without an answer to wait for: its entry and when it was written. */
  private unansweredAuth?: { readonly entry: Unanswered<Res>; readonly writtenAt: number };

  constructor(
    private readonly authorizeConfig: AuthorizeConfig<Req, Res> | undefined,
    private readonly subscribeConfig: SubscribeConfig<Req, Res> | undefined,
    private readonly port: HandshakePort<Req, Res>,
    private readonly subscriptions: Subscription,
    private readonly events: HandshakeEvents<Res>,
    /** Around each subscription request: resuming it where the last connection left off, and hearing its answer. */
    private readonly hooks: SubscriptionHooks<Req, Res> = PLAIN_SUBSCRIPTIONS as SubscriptionHooks<Req, Res>,
  ) {}

  /** Starts the handshake of a freshly opened connection: waits for the welcome, if any, then authorizes. */
  start(context: AuthContext<Res>): void {
    const welcome = this.authorizeConfig?.welcome;
    if (!welcome) {
      this.authorize(context);
      return;
    }
    const timeout = welcome.timeout ?? this.port.requestTimeout;
    const timer = this.port.scheduler.schedule(() => this.events.timedOut(new WelcomeTimeoutError(timeout)), timeout);
    this.subscriptions.add(timer);
    this.welcomeWait = { context, timer };
  }

  /**
   * Ends the window in which the requests written without an answer may still be refused: call it for
   * every incoming message, before the message is handled (its handling may write new ones). The
   * requests it closed the window of are those `screen` may refuse with this message.
   */
  nextMessage(): void {
    if (this.refusable.length === 0 && this.unanswered.length === 0) return;
    this.refusable = this.unanswered;
    if (this.unanswered.length > 0) this.unanswered = [];
  }

  /**
   * Whether a close now is the server's answer to an auth request it never answers: no message came
   * since it was written, less than {@link CLOSE_REFUSAL_WINDOW} ago (or `requestTimeout`, if shorter).
   * A server that refuses such an auth by closing (with a "token expired" code, say) does so within a
   * round trip; a close later than that is the end of a connection that was accepted (its token
   * expired, say), even when the server said nothing meanwhile.
   */
  get authOpenToRefusal(): boolean {
    const auth = this.unansweredAuth;
    if (auth === undefined || !this.unanswered.includes(auth.entry)) return false;
    return this.port.scheduler.now() - auth.writtenAt < Math.min(CLOSE_REFUSAL_WINDOW, this.port.requestTimeout);
  }

  /**
   * Looks at a message that answers no request by its key, before it is routed further or becomes a
   * push. Returns true when the handshake took it: the welcome it waited for, or, being an error
   * response, the refusal of the oldest request whose window this message closed.
   */
  readonly screen = (message: Res): boolean => {
    const wait = this.welcomeWait;
    if (wait && (this.authorizeConfig?.welcome?.isWelcome?.(message) ?? true)) {
      this.welcomeWait = undefined;
      wait.timer.unsubscribe();
      this.authorize({ ...wait.context, welcome: message });
      return true;
    }
    const oldest = this.refusable[0];
    if (!oldest || !this.port.isError(message)) return false;
    this.refusable = [];
    oldest.refuse(message, this.port.describe(message));
    return true;
  };

  /** Creates, sends and awaits the subscription requests: the config's, then the live ones (call once authorized). */
  subscribe(authResponse: Res | undefined, live: readonly LiveSubscription<Req, Res>[]): void {
    const subscribe = this.subscribeConfig;
    const requests$ = subscribe ? subscribe.createRequests(authResponse).pipe(take(1), defaultIfEmpty(undefined)) : of(undefined);
    this.subscriptions.add(
      requests$.subscribe({
        next: (requests) => this.sendSubscriptions(requests ?? [], live),
        error: (error) => this.events.refused(new SubscribeRequestError(error)),
      }),
    );
  }

  /** Sends one live subscription on a connection whose handshake is past it; settles it alone. */
  sendLive(subscription: LiveSubscription<Req, Res>): void {
    this.subscriptions.add(
      this.liveSubscription(subscription, false).subscribe({
        error: (error: Error) => {
          if (error instanceof RequestTimeoutError) this.events.timedOut(error);
        },
      }),
    );
  }

  private authorize(context: AuthContext<Res>): void {
    const authorize = this.authorizeConfig;
    if (!authorize) {
      this.events.authorized(undefined);
      return;
    }
    this.subscriptions.add(
      authorize
        .createRequest(context)
        .pipe(take(1), defaultIfEmpty(undefined))
        .subscribe({
          next: (request) => (request === undefined ? this.events.authorized(undefined) : this.sendAuth(request)),
          error: (error) => this.events.refused(new AuthRequestError(error)),
        }),
    );
  }

  private sendAuth(request: Req): void {
    const authorize = this.authorizeConfig as AuthorizeConfig<Req, Res>;
    const refuse = (response: Res, detail: string) => {
      if (authorize.isTokenExpiredResponse?.(response)) this.events.tokenExpired(detail);
      else this.events.refused(new AuthRejectedError(response, detail));
    };
    const refusal = (error: Error) => new AuthRequestError(error);
    if (authorize.expectsResponse === false) {
      const entry = { refuse };
      this.subscriptions.add(
        this.sendUnanswered(request, entry).subscribe({
          complete: () => {
            this.unansweredAuth = { entry, writtenAt: this.port.scheduler.now() };
            this.events.authorized(undefined);
          },
          error: (error: Error) => this.onError(error, refusal),
        }),
      );
      return;
    }
    const isSuccessful = authorize.isResponseSuccessful;
    this.subscriptions.add(
      this.port.request(request).subscribe({
        next: (response) => {
          if (isSuccessful && !isSuccessful(response)) this.events.refused(new AuthRejectedError(response, this.port.describe(response)));
          else this.events.authorized(response);
        },
        error: (error: Error) =>
          error instanceof ErrorResponseError ? refuse(error.response as Res, error.message) : this.onError(error, refusal),
      }),
    );
  }

  private sendSubscriptions(requests: readonly Req[], live: readonly LiveSubscription<Req, Res>[]): void {
    const refused = (response: Res, detail: string) => this.events.refused(new SubscribeRejectedError(response, detail));
    let prepared: PreparedSubscription<Req, Res>[];
    try {
      prepared = requests.map((request) => this.hooks.prepare(request, true));
    } catch (error) {
      this.events.refused(new SubscribeRequestError(error));
      return;
    }
    const configured = prepared.map(({ request, answered }) =>
      this.subscription(request, this.expectsResponse(request), refused).pipe(tap(answered)),
    );
    const all = [...configured, ...live.map((subscription) => this.liveSubscription(subscription, true))];
    if (all.length === 0) {
      this.events.subscribed([]);
      return;
    }
    this.subscriptions.add(
      forkJoin(all).subscribe({
        next: (responses) => {
          const answered = responses.slice(0, configured.length).filter((response): response is Res => response !== undefined);
          this.events.subscribed(answered);
        },
        error: (error: Error) => this.onError(error, (cause) => new SubscribeRequestError(cause)),
      }),
    );
  }

  /**
   * One subscription request: emits its response (`undefined` when the server never answers it) once
   * accepted; a refusal goes to `refused` and the observable completes without a value.
   */
  private subscription(request: Req, answered: boolean, refused: (response: Res, detail: string) => void): Observable<Res | undefined> {
    if (!answered) return this.sendUnanswered(request, { refuse: refused }).pipe(ignoreElements(), defaultIfEmpty(undefined));
    const isSuccessful = this.subscribeConfig?.isResponseSuccessful;
    return new Observable<Res | undefined>((subscriber) =>
      this.port.request(request).subscribe({
        next: (response) => {
          if (isSuccessful && !isSuccessful(response)) refused(response, this.port.describe(response));
          else subscriber.next(response);
          subscriber.complete();
        },
        error: (error: Error) => {
          if (!(error instanceof ErrorResponseError)) return subscriber.error(error);
          refused(error.response as Res, error.message);
          subscriber.complete();
        },
      }),
    );
  }

  /**
   * A live subscription settles alone: its request is created anew (and resumed, on a reconnect); a
   * refusal, or a request that cannot be created or made, fails it (and only it) and the handshake goes
   * on; a timeout or a drop is the connection's, as for any request.
   */
  private liveSubscription(live: LiveSubscription<Req, Res>, resume: boolean): Observable<Res | undefined> {
    const refused = (response: Res, detail: string) => live.refuse(new SubscribeRejectedError(response, detail));
    return live.create().pipe(
      take(1),
      switchMap((created) => {
        live.lastRequest = created;
        const { request, answered } = this.hooks.prepare(created, resume);
        return this.subscription(request, live.expectsResponse, refused).pipe(tap(answered));
      }),
      tap((response) => live.accept(response)),
      defaultIfEmpty(undefined),
      catchError((error: Error) => {
        if (error instanceof RequestTimeoutError || error instanceof ClosedBeforeResponseError) throw error;
        live.refuse(new SubscribeRequestError(error));
        return of(undefined);
      }),
    );
  }

  /** Writes a request the server never answers and opens the window in which it may still be refused. */
  private sendUnanswered(request: Req, unanswered: Unanswered<Res>): Observable<void> {
    return new Observable<void>((subscriber) =>
      this.port.send(request).subscribe({
        complete: () => {
          this.unanswered.push(unanswered);
          subscriber.complete();
        },
        error: (error) => subscriber.error(error),
      }),
    );
  }

  private expectsResponse(request: Req): boolean {
    const expects = this.subscribeConfig?.expectsResponse ?? true;
    return typeof expects === 'function' ? expects(request) : expects;
  }

  /**
   * A timeout replaces the connection; a drop is the controller's close handler's to decide; any other
   * failure (no key, a duplicate key, a frame that cannot be serialized or is too large) means the
   * request can never be made: stop, with the reason, instead of waiting forever.
   */
  private onError(error: Error, cannotBeMade: (cause: Error) => WebSocketControllerError): void {
    if (error instanceof RequestTimeoutError) this.events.timedOut(error);
    else if (error instanceof ClosedBeforeResponseError) return;
    else this.events.refused(error instanceof ErrorResponseError ? error : cannotBeMade(error));
  }
}

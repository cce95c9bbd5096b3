import { BehaviorSubject, filter, map, Observable, Subject } from 'rxjs';
import { Broadcast } from './broadcast';
import { WebSocketControllerError } from './errors';
import { WebSocketLogger } from './logger';
import type { RecoveryReport } from './recovery';
import { SocketState, SocketTransition } from './socket-state';

/** How a connection ended, as emitted by `closed$`. */
export interface SocketCloseInfo {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
  /** Whether a reconnect is scheduled. */
  readonly willReconnect: boolean;
  /** The wait before that reconnect, in ms. */
  readonly reconnectIn?: number;
}

/** Emitted by `closedForever$` when the controller stops and will not reconnect. */
export interface ClosedForeverEvent {
  /** Why it stopped; `undefined` when `close()` was called. */
  readonly error?: WebSocketControllerError;
}

/**
 * The state machine of a {@link WebSocketController} and every stream it exposes: one state, one
 * writer (`setState`), an observable per transition. None of these streams ever errors or completes,
 * so a failure never ends a subscription to them.
 */
export abstract class ControllerEvents<Res> {
  private readonly stateSubject = new BehaviorSubject<SocketState>(SocketState.closed);
  private readonly transitionsSubject = new Subject<SocketTransition & { close?: SocketCloseInfo }>();
  protected readonly authorizedSubject = new Subject<Res | undefined>();
  protected readonly openedSubject = new Subject<Event>();
  protected readonly subscribedSubject = new Subject<Res[]>();
  /** Pushes and unclaimed responses: a Subject's job, without its allocations for each of thousands of pushes. */
  protected readonly messageBroadcast = new Broadcast<Res>();
  protected readonly errorSubject = new Subject<WebSocketControllerError>();
  /** Reports a frame the deserializer could not read (to `error$`); one function for every frame. */
  protected readonly reportUnreadable = (error: WebSocketControllerError): void => this.errorSubject.next(error);
  protected readonly closedForeverSubject = new Subject<ClosedForeverEvent>();
  protected readonly reauthorizedSubject = new Subject<Res>();
  protected readonly recoveredSubject = new Subject<RecoveryReport>();

  /** The current state, replayed to every new subscriber. */
  readonly state$: Observable<SocketState> = this.stateSubject.asObservable();
  /** Every move of the state machine. */
  readonly transitions$: Observable<SocketTransition> = this.transitionsSubject.asObservable();
  /** A connection attempt started. */
  readonly pending$: Observable<void> = this.reaching(SocketState.pending);
  /**
   * The WebSocket handshake finished; emits the socket's `open` event (in Node, the `ws` package's
   * event object).
   */
  readonly opened$: Observable<Event> = this.openedSubject.asObservable();
  /** The server accepted the auth request; emits its response (`undefined` when no auth is configured). */
  readonly authorized$: Observable<Res | undefined> = this.authorizedSubject.asObservable();
  /** Every subscription was acknowledged; emits their responses (those the server answered). */
  readonly subscribed$: Observable<Res[]> = this.subscribedSubject.asObservable();
  /** `close()` started the closing handshake. */
  readonly closing$: Observable<void> = this.reaching(SocketState.closing);
  /** A connection ended; says how, and whether a reconnect follows. */
  readonly closed$: Observable<SocketCloseInfo> = this.transitionsSubject.pipe(
    filter((t) => t.to === SocketState.closed && t.close !== undefined),
    map((t) => t.close as SocketCloseInfo),
  );
  /**
   * Every incoming message that does not answer a request of this controller: the pushes (and
   * responses nobody waits for any more), deserialized. Responses go to their request only.
   */
  readonly messages$: Observable<Res> = this.messageBroadcast;
  /** Every failure, typed: drops, refusals, unreadable frames, heartbeat timeouts. Never completes or errors. */
  readonly error$: Observable<WebSocketControllerError> = this.errorSubject.asObservable();
  /** The controller stopped and will not reconnect (fatal close, refusal, `close()`, or reconnects given up). */
  readonly closedForever$: Observable<ClosedForeverEvent> = this.closedForeverSubject.asObservable();
  /** The server renewed the open connection's authorization (`reauthorize()`); emits its answer. */
  readonly reauthorized$: Observable<Res> = this.reauthorizedSubject.asObservable();
  /**
   * A reconnect resumed subscriptions (`recovery` config): whether the server replayed what was
   * missed, per stream, or the app must replace what it holds. Emitted before the state reaches
   * `subscribed`; the replayed pushes follow on `messages$`.
   */
  readonly recovered$: Observable<RecoveryReport> = this.recoveredSubject.asObservable();

  protected constructor(protected readonly logger: WebSocketLogger) {}

  /** The current state. */
  get state(): SocketState {
    return this.stateSubject.value;
  }

  /** The one writer of the state. */
  protected setState(to: SocketState, close?: SocketCloseInfo): void {
    const from = this.stateSubject.value;
    if (from === to) return;
    this.logger.debug(`${from} → ${to}`);
    this.stateSubject.next(to);
    this.transitionsSubject.next({ from, to, close });
  }

  private reaching(state: SocketState): Observable<void> {
    return this.transitionsSubject.pipe(
      filter((t) => t.to === state),
      map(() => undefined),
    );
  }
}

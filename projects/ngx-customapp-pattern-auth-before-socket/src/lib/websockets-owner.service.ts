import { Injectable, type OnDestroy, inject } from '@angular/core';
import type {
  OpenResult,
  RecoveryOutcome,
  SocketState,
  StreamRecovery,
  WebSocketController,
  WebSocketControllerError,
} from 'customapp-rxjs-websocket';
import { JwtService } from 'ngx-customapp-jwt';
import {
  AsyncSubject,
  defaultIfEmpty,
  defer,
  forkJoin,
  map,
  type Observable,
  of,
  skip,
  Subject,
  Subscription,
  switchMap,
} from 'rxjs';
import { AuthBeforeSocketError, SocketsInitAbortedError } from './errors';
import type { AuthBeforeSocketConfig, SocketChainLink, SocketConfig, SocketId, SocketsOpenResults } from './socket-config';
import { asObservable, createSocketSlot, type SocketSlot } from './socket-slot';
import { nextSocketStatus, type SocketStatus } from './socket-status';
import { AUTH_BEFORE_SOCKET_CONFIG, SOCKETS_WEBSOCKET_CTOR } from './tokens';

/**
 * A socket moved to another state, as `WebSocketsOwnerService.stateChanges$` emits it.
 *
 * @example
 * sockets.stateChanges$.subscribe(({ socketId, status }) => statusBar.set(socketId, status));
 */
export interface SocketStateChange {
  readonly socketId: string;
  readonly state: SocketState;
  readonly status: SocketStatus;
}

/**
 * A socket reported a failure, as `WebSocketsOwnerService.errors$` emits it.
 *
 * @example
 * sockets.errors$.subscribe(({ socketId, error }) => log.warn(socketId, error.message));
 */
export interface SocketErrorEvent {
  readonly socketId: string;
  readonly error: WebSocketControllerError;
}

/**
 * A socket stopped for good for a reason other than `close()`, as `WebSocketsOwnerService.closedForever$`
 * emits it. `code` is the close code when the server closed it.
 *
 * @example
 * sockets.closedForever$.subscribe(({ socketId, code }) => code === 4441 && router.navigateByUrl('/login'));
 */
export interface SocketClosedForeverEvent {
  readonly socketId: string;
  readonly error: WebSocketControllerError;
  readonly code?: number;
}

/**
 * A socket came back from a reconnect with resumed subscriptions (the controller's `recovery` option),
 * as `WebSocketsOwnerService.recovered$` emits it: `'recovered'`, the pushes missed meanwhile follow
 * (`replayed` of them, over every stream); `'resynced'`, they cannot be, so the app must replace what
 * it holds (the server sends the state again, or the app fetches it).
 *
 * @example
 * sockets.recovered$.subscribe(({ socketId, outcome }) => outcome === 'resynced' && reload(socketId));
 */
export interface SocketRecoveredEvent {
  readonly socketId: string;
  readonly outcome: RecoveryOutcome;
  readonly replayed: number;
  readonly streams: readonly StreamRecovery[];
}

/**
 * The longest `closeAll()` could take in 1.2.x before it failed with a `TimeoutError`, in ms. Nothing
 * reads it any more: `closeAll()` never fails, because each socket stops waiting for the server's
 * closing handshake after the controller's own `closeTimeout` (`commonConfig.closeTimeout`, default
 * 3000 ms) and counts as closed.
 *
 * @deprecated Set `commonConfig.closeTimeout` (per socket) instead; see MIGRATION.md.
 */
export const closeTimeout = 10_000;

/** One `init()`: the open chain under way and the result its caller waits for. */
class InitRun {
  readonly result = new AsyncSubject<void>();
  readonly subscription = new Subscription();

  succeed(): void {
    this.subscription.unsubscribe();
    this.result.next();
    this.result.complete();
  }

  fail(error: unknown): void {
    this.subscription.unsubscribe();
    this.result.error(error);
  }
}

/**
 * Owns every socket of the chain. Its `sockets` hold one `WebSocketController` per `socketId`: those of
 * the chain's first link exist from the start (so services can be written against them before login),
 * those of later links from when the chain first reaches them; each id keeps its controller for good.
 *
 * The package's effects call `init()` after a login and `closeAll()` after a logout: you usually only
 * read `sockets`.
 *
 * @example
 * @Injectable({ providedIn: 'root' })
 * export class BaseSocketService {
 *   private readonly owner: WebSocketsOwnerService<api.Request.$Properties, api.Response, ArrayBuffer, User> = inject(WebSocketsOwnerService);
 *   get socket() { return this.owner.sockets['main']; }
 *   request(req: Omit<api.Request.$Properties, 'id'>) { return this.socket.request({ id: 0, ...req }); }
 * }
 */
@Injectable()
export class WebSocketsOwnerService<
  Req = unknown,
  Res = unknown,
  Data = unknown,
  UserInfo = unknown,
  Credentials = unknown,
  AuthResponse = unknown,
  UserId = unknown,
> implements OnDestroy
{
  private readonly chain = inject(AUTH_BEFORE_SOCKET_CONFIG) as AuthBeforeSocketConfig<Req, Res, Data, UserInfo>;
  private readonly jwt = inject(JwtService) as JwtService<Credentials, AuthResponse, UserInfo, UserId>;
  private readonly webSocketCtor = inject(SOCKETS_WEBSOCKET_CTOR, { optional: true }) ?? undefined;
  private readonly slots = new Map<string, SocketSlot<Req, Res, Data, UserInfo>>();
  private readonly stateChangesSubject = new Subject<SocketStateChange>();
  private readonly errorsSubject = new Subject<SocketErrorEvent>();
  private readonly closedForeverSubject = new Subject<SocketClosedForeverEvent>();
  private readonly recoveredSubject = new Subject<SocketRecoveredEvent>();
  private readonly listeners = new Subscription();
  private run?: InitRun;
  /** Sends every renewed token in band on the sockets with a `reauthorize` part, while they are open. */
  private renewals?: Subscription;

  /** The controllers, by `socketId`. */
  readonly sockets: Record<SocketId, WebSocketController<Req, Res, Data>> = {};
  /** Every state change of every socket, with its derived status. */
  readonly stateChanges$: Observable<SocketStateChange> = this.stateChangesSubject.asObservable();
  /** Every failure of every socket (drops, refusals, unreadable frames). */
  readonly errors$: Observable<SocketErrorEvent> = this.errorsSubject.asObservable();
  /** A socket stopped for good for a reason other than `close()` (a fatal close code, a refused auth, ...). */
  readonly closedForever$: Observable<SocketClosedForeverEvent> = this.closedForeverSubject.asObservable();
  /** A socket's reconnect resumed its subscriptions: recovered or resynced (see `recovery` in the controller's config). */
  readonly recovered$: Observable<SocketRecoveredEvent> = this.recoveredSubject.asObservable();

  constructor() {
    // provideAuthBeforeSocket() has checked the chain: the first link has sockets, each with its own id.
    for (const config of this.chain.chain.sockets) this.slotFor(config);
  }

  /**
   * One socket's controller, typed by the caller: spares spelling the service's seven type parameters.
   * Throws `AuthBeforeSocketError` for an id the chain has not reached (a later link's socket exists
   * from when the chain first reaches it). See also {@link injectSocket}.
   *
   * @example
   * const categories = inject(WebSocketsOwnerService).socket<api.Request.$Properties, api.Response>('categories');
   * categories.request({ id: 0, menuAdd: { name: 'Soups' } });
   */
  socket<SocketReq = Req, SocketRes = Res, SocketData = Data>(socketId: SocketId): WebSocketController<SocketReq, SocketRes, SocketData> {
    const controller = this.sockets[socketId];
    if (!controller) {
      const known = Object.keys(this.sockets).map((id) => `"${id}"`).join(', ');
      throw new AuthBeforeSocketError(
        `No socket "${socketId}" (the sockets are ${known}): a socket of a later link of the chain exists once the chain has reached it.`,
      );
    }
    return controller as unknown as WebSocketController<SocketReq, SocketRes, SocketData>;
  }

  /**
   * Every controller, in the order the chain first reached them.
   *
   * @example
   * const busy = owner.socketsArray().some((socket) => socket.requestsInFlight > 0);
   */
  socketsArray(): WebSocketController<Req, Res, Data>[] {
    return Object.values(this.sockets);
  }

  /** Whether an `init()` is under way. */
  get initializing(): boolean {
    return this.run !== undefined;
  }

  /** The status of a socket (`closed` for an id the chain has not reached). */
  status(socketId: SocketId): SocketStatus {
    return this.slots.get(socketId)?.status ?? 'closed';
  }

  /**
   * Opens the chain as the current user: closes whatever is open (so the sockets never open twice and
   * always authorize as the current user), opens the first link's sockets at the same time, and once
   * all are subscribed asks `socketsReady` for the next link, and so on. Starts at once; the returned
   * observable completes when the whole chain is subscribed, or errors with the first failure, after
   * which every socket is closed again. A newer `init()` or `closeAll()` ends it with
   * `SocketsInitAbortedError`.
   *
   * @example
   * sockets.init().subscribe({ complete: () => ready.set(true), error: (e) => toast(e.message) });
   */
  init(): Observable<void> {
    const previous = this.run;
    const run = new InitRun();
    this.run = run;
    previous?.fail(new SocketsInitAbortedError('init'));
    this.closeControllers();
    run.subscription.add(
      this.openLink(this.chain.chain).subscribe({
        complete: () => {
          if (this.run === run) this.run = undefined;
          run.succeed();
        },
        error: (error: unknown) => {
          if (this.run === run) {
            this.run = undefined;
            this.closeControllers();
          }
          run.fail(error);
        },
      }),
    );
    return run.result.asObservable();
  }

  /**
   * Closes every socket and stops an `init()` under way. Starts at once; the returned observable
   * emits and completes when every socket is closed.
   *
   * @example
   * sockets.closeAll().subscribe(() => router.navigateByUrl('/login'));
   */
  closeAll(): Observable<void> {
    const run = this.run;
    this.run = undefined;
    run?.fail(new SocketsInitAbortedError('closeAll'));
    this.renewals?.unsubscribe();
    this.renewals = undefined;
    return this.closeControllers();
  }

  ngOnDestroy(): void {
    this.closeAll();
    this.listeners.unsubscribe();
    this.stateChangesSubject.complete();
    this.errorsSubject.complete();
    this.closedForeverSubject.complete();
    this.recoveredSubject.complete();
  }

  private openLink(link: SocketChainLink<Req, Res, Data, UserInfo>): Observable<void> {
    return defer(() => {
      const slots = link.sockets.map((config) => this.slotFor(config));
      if (slots.some((slot) => slot.config.reauthorize)) this.followRenewals();
      return forkJoin(
        slots.map((slot) =>
          slot.controller
            .open(slot.config.openOptions ?? this.chain.commonOpenOptions)
            .pipe(map((result): [string, OpenResult<Res>] => [slot.socketId, result])),
        ),
      ).pipe(defaultIfEmpty([] as [string, OpenResult<Res>][]));
    }).pipe(
      switchMap((entries) => {
        const socketsReady = link.socketsReady;
        if (!socketsReady) return of(undefined);
        const responses: SocketsOpenResults<Res> = Object.fromEntries(entries);
        return this.jwt
          .freshJwt()
          .pipe(switchMap((token) => asObservable(socketsReady.call(link, this.jwt.user() as UserInfo, token, responses))));
      }),
      switchMap((next) => (next ? this.openLink(next) : of(undefined))),
    );
  }

  /**
   * From the first socket with a `reauthorize` part until `closeAll()`: each token `JwtService`
   * renews (one refresh for every socket) is sent in band on every such socket. A socket whose server
   * refuses it reconnects on its own (the controller's fallback); a socket not open does nothing.
   */
  private followRenewals(): void {
    if (this.renewals) return;
    this.renewals = this.jwt.renewals$.subscribe(() => {
      for (const slot of this.slots.values()) {
        if (slot.config.reauthorize) slot.controller.reauthorize().subscribe({ error: () => undefined });
      }
    });
  }

  /** The slot of a socket id, made (with its controller) the first time the id is met. */
  private slotFor(config: SocketConfig<Req, Res, Data, UserInfo>): SocketSlot<Req, Res, Data, UserInfo> {
    const existing = this.slots.get(config.socketId);
    if (existing) {
      existing.config = config;
      return existing;
    }
    const slot = createSocketSlot(this.chain, config, this.jwt as JwtService<unknown, unknown, UserInfo>, this.webSocketCtor);
    const { socketId, controller } = slot;
    this.slots.set(socketId, slot);
    this.sockets[socketId] = controller;
    // These listen to the service's own controllers and end in ngOnDestroy.
    this.listeners.add(
      controller.state$.pipe(skip(1)).subscribe((state) => {
        slot.status = nextSocketStatus(slot.status, state, controller.reconnecting);
        this.stateChangesSubject.next({ socketId, state, status: slot.status });
      }),
    );
    this.listeners.add(controller.error$.subscribe((error) => this.errorsSubject.next({ socketId, error })));
    this.listeners.add(
      controller.recovered$.subscribe(({ outcome, replayed, streams }) => this.recoveredSubject.next({ socketId, outcome, replayed, streams })),
    );
    this.listeners.add(
      controller.closedForever$.subscribe(({ error }) => {
        // Stopped while it waited to reconnect, the controller stays `closed` and reports no state
        // change: without this its status would read `reconnecting` for good.
        if (slot.status !== 'closed') {
          slot.status = 'closed';
          this.stateChangesSubject.next({ socketId, state: controller.state, status: slot.status });
        }
        if (!error) return; // close() was called
        const code = (error as { code?: unknown }).code;
        this.closedForeverSubject.next({ socketId, error, ...(typeof code === 'number' ? { code } : {}) });
      }),
    );
    return slot;
  }

  private closeControllers(): Observable<void> {
    const closes = [...this.slots.values()].map(({ controller }) => controller.close());
    return forkJoin(closes).pipe(
      map(() => undefined),
      defaultIfEmpty(undefined),
    );
  }
}

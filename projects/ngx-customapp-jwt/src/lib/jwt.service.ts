import { Injectable, Injector, type OnDestroy, inject, runInInjectionContext } from '@angular/core';
import {
  BehaviorSubject,
  Observable,
  type ObservableInput,
  Subject,
  catchError,
  defaultIfEmpty,
  defer,
  distinctUntilChanged,
  filter,
  finalize,
  from,
  map,
  of,
  shareReplay,
  switchMap,
  take,
  throwError,
  throwIfEmpty,
} from 'rxjs';
import {
  InvalidAuthResponseError,
  JwtError,
  LoginAsApiMethodDoesNotHaveJwtInAuthResponse,
  LoginAsCalledWhenUnauthorized,
  LoginAsMethodUnimplemented,
  NoFreshJwtError,
  isUnauthorized,
  jwtErrorMessage,
  loginThrottledError,
} from './errors';
import { JwtApi } from './jwt-api';
import { jwtBackend, type JwtBackend } from './jwt-backend';
import { jwtExpiresAt } from './jwt-decode';
import { jwtGroupOf, jwtInfoOf, jwtTokensOf, type JwtGroup, type JwtInfo } from './jwt-group';
import { NO_SESSIONS, parseSessions, serializeSessions, type JwtSession, type JwtSessions, type JwtTokens } from './jwt-session';
import { followTab, type JwtTabChange } from './jwt-tab-change';
import { NoFreshJwtNotice } from './no-fresh-jwt-notice';
import type { ResolvedJwtConfig } from './resolved-jwt-config';
import { JWT_CLOCK, JWT_LOGGER, JWT_STORAGE, JWT_STORAGE_EVENTS, RESOLVED_JWT_CONFIG } from './tokens';

/**
 * `JwtService.freshJwt`: ours with options (a token string, or `NoFreshJwtError`), or 1.2.x's with a
 * boolean (the tokens as a `JwtGroup`, or `undefined`).
 */
export interface FreshJwt {
  /**
   * 1.2.x: emits the current tokens (refreshed first when needed), or `undefined` when none can be
   * had; never errors. Unless `doNotCallNoFreshJwt`, the 1.2.x `NoFreshJwtListener` is then called
   * (when any of its `callWhen` flags is set).
   *
   * @deprecated Use `freshJwt()` (a token, or `NoFreshJwtError`) instead; see MIGRATION.md.
   */
  (doNotCallNoFreshJwt: boolean): Observable<JwtGroup<JwtInfo> | undefined>;
  /**
   * Emits a usable access token once and completes: the current one, or — when it expires within
   * `skewSeconds`, or when it is the `rejectedToken` a server just refused as expired — a refreshed
   * one. Concurrent callers share one refresh. Errors with `NoFreshJwtError` when nobody is logged in
   * or the refresh fails (the session then ends).
   *
   * @example
   * jwt.freshJwt().pipe(switchMap((token) => http.get(url, { headers: { Authorization: `Bearer ${token}` } })));
   * // a socket closed with "token expired": get a token other than the one it used
   * jwt.freshJwt({ rejectedToken: tokenTheSocketUsed });
   */
  (options?: { rejectedToken?: string }): Observable<string>;
}

/**
 * Holds the tokens of the logged-in user (and of the masters of a login-as, on a stack) and gives
 * every caller a fresh access token. The effects drive it from the actions; call `freshJwt()` from
 * anything that needs a token (the HTTP interceptor does, the socket package does).
 *
 * Refreshing is single-flight: however many callers ask while the token is about to expire, one
 * refresh call is made and all of them get its token. When the refresh fails the session ends:
 * the state is logged out, `logoutSucceed` is dispatched and the `onNoFreshJwt` hook runs.
 *
 * With `syncTabs` (the default) it follows the other tabs of the app through the shared storage:
 * their logouts, logins and refreshed tokens become this tab's too (see `otherTabChanges$`).
 *
 * @example
 * const jwt = inject(JwtService);
 * jwt.freshJwt().pipe(switchMap((token) => openSocket(token)));
 * jwt.user$.subscribe((user) => ...);
 */
@Injectable()
export class JwtService<Credentials = unknown, AuthResponse = unknown, UserInfo = unknown, UserId = unknown>
  implements OnDestroy
{
  private readonly config = inject(RESOLVED_JWT_CONFIG) as ResolvedJwtConfig<AuthResponse, UserInfo>;
  private readonly api: JwtBackend<Credentials, AuthResponse, UserId> = jwtBackend(
    inject(JwtApi) as JwtApi<Credentials, AuthResponse, UserId>,
    this.config.apiTakes,
  );
  private readonly notice = inject(NoFreshJwtNotice);
  private readonly storage = inject(JWT_STORAGE);
  private readonly clock = inject(JWT_CLOCK);
  private readonly logger = inject(JWT_LOGGER);
  private readonly injector = inject(Injector);

  private readonly sessions$ = new BehaviorSubject<JwtSessions<UserInfo>>(this.restore());
  private readonly ended$ = new Subject<NoFreshJwtError>();
  private readonly tabChanges$ = new Subject<JwtTabChange<UserInfo>>();
  private readonly storageEvents = this.config.syncTabs
    ? inject(JWT_STORAGE_EVENTS)
        .pipe(filter(({ key }) => key === this.config.storageKey || key === null))
        .subscribe(({ key, newValue }) => this.followOtherTab(key === null ? null : newValue))
    : null;
  private refreshing: { readonly session: JwtSession<UserInfo | null>; readonly token$: Observable<string> } | null = null;
  private ownCalls = 0;

  /** The current user (`null` when nobody is logged in), now and on every change. */
  readonly user$: Observable<UserInfo | null> = this.sessions$.pipe(
    map(({ current }) => current?.user ?? null),
    distinctUntilChanged(),
  );

  /**
   * Emits when a session ends because no fresh token could be had, after the state is logged out.
   * The effects turn it into `logoutSucceed({ fromAllDevices: false, restoredMaster: false })`.
   */
  readonly sessionEnded$: Observable<NoFreshJwtError> = this.ended$.asObservable();

  /**
   * Emits when another tab changed who is logged in and this tab has followed (with `syncTabs`, the
   * default): its tokens are already this service's. The effects turn it into the actions that keep
   * the store and the listeners in step; see `JwtTabChange` for which. Tokens that another tab only
   * refreshed are adopted without a word.
   *
   * @example
   * jwt.otherTabChanges$.pipe(filter(({ kind }) => kind === 'logged-out')).subscribe(() => notice.show('Signed out in another tab.'));
   */
  readonly otherTabChanges$: Observable<JwtTabChange<UserInfo>> = this.tabChanges$.asObservable();

  /** The current user, or `null` (nobody, or a session whose user is not known yet: see `setJwt`). */
  user(): UserInfo | null {
    return this.sessions$.value.current?.user ?? null;
  }

  /** True while there is a session (a stored one counts, before `loginAgain` has checked it). */
  get isLoggedIn(): boolean {
    return this.sessions$.value.current !== null;
  }

  /** The current access token as it is, possibly expired: use `freshJwt()` to send it anywhere. */
  get accessToken(): string | null {
    return this.sessions$.value.current?.tokens.accessToken ?? null;
  }

  /**
   * The current tokens in the 1.2.x shape, each with its expiry in epoch milliseconds (`undefined`
   * when nobody is logged in). Possibly expired: use `freshJwt()` to send a token anywhere.
   *
   * @example
   * const refreshExpiresAt = inject(JwtService).jwt?.refreshToken?.expiresAt;
   */
  get jwt(): JwtGroup<JwtInfo> | undefined {
    const current = this.sessions$.value.current;
    return current ? jwtGroupOf(current.tokens) : undefined;
  }

  /**
   * True while the service itself is sending one of its `JwtApi` calls (synchronously, as HttpClient
   * runs its interceptors): `jwtInterceptor` leaves those requests alone.
   */
  get sendingOwnCall(): boolean {
    return this.ownCalls > 0;
  }

  /** True without login-as: the current user logged in themselves. */
  get isMasterUser(): boolean {
    return this.sessions$.value.stack.length === 0;
  }

  /** How many login-as levels deep the current user is: 0 without login-as. */
  get loginAsDepth(): number {
    return this.sessions$.value.stack.length;
  }

  /** The users below the current one, the master first. */
  get stashedUsers(): readonly UserInfo[] {
    return this.sessions$.value.stack.map(({ user }) => user);
  }

  /**
   * A usable access token: `freshJwt()` emits one once and completes, refreshing it first when it
   * expires within `skewSeconds` (or is `options.rejectedToken`), one refresh for every concurrent
   * caller, or errors with `NoFreshJwtError`. `freshJwt(false)` / `freshJwt(true)` is the 1.2.x form.
   * A bound function, as in 1.2.x, so it may be passed around.
   *
   * @example
   * jwt.freshJwt().pipe(switchMap((token) => openSocket(token)));
   */
  readonly freshJwt: FreshJwt = ((arg?: boolean | { rejectedToken?: string }) =>
    typeof arg === 'boolean' ? this.freshJwtGroup(arg) : this.freshToken(arg ?? {})) as FreshJwt;

  /**
   * 1.2.x: calls `callback` with the current tokens, refreshed first when needed (synchronously when
   * they are fresh). When none can be had it calls `callback()` without them (unless
   * `callWithFreshOnly`) and, unless `doNotCallNoFreshJwt`, the `NoFreshJwtListener` as `freshJwt(false)` does.
   *
   * @deprecated Use `freshJwt()` instead; see MIGRATION.md.
   */
  withFreshJwt(callback: (jwt?: JwtGroup<JwtInfo>) => void, callWithFreshOnly = false, doNotCallNoFreshJwt = false): void {
    this.freshJwtGroup(doNotCallNoFreshJwt).subscribe((jwt) => {
      if (jwt) callback(jwt);
      else if (!callWithFreshOnly) callback();
    });
  }

  /**
   * Puts tokens in place of the current ones, keeping the user, or — when nobody is logged in —
   * starts a session whose user is not known until a `loginAgain({ credentials })`. Meant for tokens
   * the app got another way (a single sign-on redirect); logins set the tokens themselves. Throws
   * `InvalidAuthResponseError` unless the group has both tokens. Nothing is dispatched.
   *
   * @example
   * jwt.setJwt({ accessToken: { token: access, expiresAt }, refreshToken: { token: refresh, expiresAt: refreshExpiresAt } });
   * store.dispatch(authActions.loginAgain({ credentials: { token: access } }));
   */
  setJwt(jwt: JwtGroup<JwtInfo>): void {
    const tokens = jwtTokensOf(jwt);
    if (!tokens) throw new InvalidAuthResponseError('setJwt() needs a JwtGroup with an access token and a refresh token.');
    const { current, stack } = this.sessions$.value;
    this.setSessions({ current: { tokens, user: current?.user ?? null }, stack: current ? stack : [] });
  }

  /**
   * Forgets the session here (the login-as stack too), without calling the server and without
   * dispatching anything: the store keeps its user until you act. Prefer the `logout` action.
   *
   * @example
   * jwt.deleteJwt();
   */
  deleteJwt(): void {
    this.setSessions(NO_SESSIONS);
  }

  /**
   * Logs in with credentials, replacing any session (and login-as stack) there was, and gives the
   * server's answer. When the answer has no tokens (a 1.2.x `authResponseToJwt` may say so) the
   * session keeps its own. Errors with LoginThrottledError when the server answers 429 (too many
   * failed sign-ins).
   */
  login(credentials: Credentials): Observable<AuthResponse> {
    return this.callLogin(credentials).pipe(
      map((response) => {
        const { current, stack } = this.sessions$.value;
        const session = this.sessionFrom(response, { tokens: current?.tokens });
        this.setSessions({ current: session, stack: session.tokens === current?.tokens ? stack : [] });
        return response;
      }),
    );
  }

  /**
   * Logs in again and gives the user. Without credentials it checks the stored session (refreshing
   * it when it expires soon). With credentials (1.2.x's login by token) it calls `JwtApi.login` with
   * them and the session takes the answer's user (and its tokens, if it has any), keeping the
   * login-as stack; a 401 then ends the session here.
   */
  loginAgain(credentials?: Credentials): Observable<{ readonly user: UserInfo; readonly response?: AuthResponse }> {
    return defer(() => {
      if (credentials !== undefined) return this.loginAgainWith(credentials);
      const current = this.sessions$.value.current;
      if (!current) {
        return throwError(() => new NoFreshJwtError('not-logged-in', 'There is no stored session to log in again with: log in.'));
      }
      if (current.user === null) {
        return throwError(
          () => new NoFreshJwtError('not-logged-in', 'The stored session has no user yet: log in again with credentials, or log in.'),
        );
      }
      return this.freshToken().pipe(map(() => ({ user: this.currentUserOrThrow('The session ended while logging in again.') })));
    });
  }

  /** Acts as another user; the current session goes onto the stack until `logout()`. Gives the server's answer. */
  loginAs(userId: UserId): Observable<AuthResponse> {
    return defer(() => {
      const loginAs = this.api.loginAs();
      if (!loginAs) return throwError(() => new LoginAsMethodUnimplemented());
      const unauthorized = (error: LoginAsCalledWhenUnauthorized) => {
        this.notice.notify('loginAsJwtNotFound', `JwtService: login-as found no fresh token: ${error.message}`);
        return throwError(() => error);
      };
      if (this.sessions$.value.current?.user == null) return unauthorized(new LoginAsCalledWhenUnauthorized());
      return this.freshToken().pipe(
        catchError((error: unknown) =>
          error instanceof NoFreshJwtError
            ? unauthorized(new LoginAsCalledWhenUnauthorized(error.reason, { cause: error }))
            : throwError(() => error),
        ),
        switchMap((masterToken) => this.call('loginAs', () => loginAs(this.accessInfo(masterToken), userId))),
        map((response) => {
          const session = this.sessionFrom(response, { missingTokens: () => new LoginAsApiMethodDoesNotHaveJwtInAuthResponse() });
          const { current: master, stack } = this.sessions$.value;
          if (master?.user == null) throw new LoginAsCalledWhenUnauthorized();
          this.setSessions({ current: session, stack: [...stack, { tokens: master.tokens, user: master.user }] });
          return response;
        }),
      );
    });
  }

  /**
   * Ends the current session on the server (every session of its user with `fromAllDevices`), then
   * here: back to the master when it ended a login-as (`isLoggedIn` is then still true), else logged
   * out. Logging out while logged out succeeds. A 401 from the server counts as done: the session was
   * over there already. With `localOnly` the server is not called (it ended the session itself,
   * e.g. closed a socket saying so). When the server fails it otherwise, the session is kept.
   */
  logout(fromAllDevices = false, options: { localOnly?: boolean } = {}): Observable<void> {
    return defer(() => {
      if (!this.isLoggedIn) return of(undefined);
      if (options.localOnly) return of(this.endCurrent());
      return this.freshToken().pipe(
        switchMap((accessToken) =>
          this.send(() => this.api.logout(this.accessInfo(accessToken), fromAllDevices)).pipe(
            take(1),
            defaultIfEmpty(null),
            catchError((error: unknown) => (isUnauthorized(error) ? of(null) : throwError(() => error))),
          ),
        ),
        map(() => this.endCurrent()),
      );
    });
  }

  /** The readable message of a failure, as errored actions carry it. */
  errorMessage(error: unknown): string {
    return this.config.errorMessage?.(error) ?? jwtErrorMessage(error);
  }

  ngOnDestroy(): void {
    this.storageEvents?.unsubscribe();
    this.sessions$.complete();
    this.ended$.complete();
    this.tabChanges$.complete();
  }

  /**
   * Another tab stored `raw` (or removed the session, for `null`): adopt it as start-up would, data
   * that cannot be read counting as logged out. Nothing is written back: the storage holds it already,
   * and the unreadable data may be a newer version of the app in that tab, which must keep it.
   */
  private followOtherTab(raw: string | null): void {
    const key = this.config.storageKey;
    let next: JwtSessions<UserInfo> = NO_SESSIONS;
    if (raw !== null) {
      const parsed = parseSessions<UserInfo>(raw, this.config.isUserInfo);
      if (parsed) next = parsed;
      else this.logger.warn(`Another tab stored unreadable or foreign data under the storage key "${key}": following it as a logout.`);
    }
    const { sessions, change } = followTab(this.sessions$.value, next);
    if (sessions) this.sessions$.next(sessions);
    if (!change) return;
    this.logger.debug(`Followed another tab: ${change.kind}.`);
    this.tabChanges$.next(change);
  }

  /** Follows what the storage holds now, as if another tab had just written it; true if that changed anything. */
  private followStoredSession(): boolean {
    let raw: string | null;
    try {
      raw = this.storage.getItem(this.config.storageKey);
    } catch {
      return false;
    }
    const before = this.sessions$.value;
    this.followOtherTab(raw);
    return this.sessions$.value !== before;
  }

  private freshToken(options: { rejectedToken?: string } = {}): Observable<string> {
    return defer(() => {
      const session = this.sessions$.value.current;
      if (!session) {
        return throwError(() => new NoFreshJwtError('not-logged-in', 'Nobody is logged in: log in first.'));
      }
      const rejected = options.rejectedToken !== undefined && options.rejectedToken === session.tokens.accessToken;
      if (!rejected && !this.expiresSoon(session.tokens)) return of(session.tokens.accessToken);
      if (this.refreshing?.session !== session) {
        this.refreshing = { session, token$: this.refresh(session) };
      }
      return this.refreshing.token$;
    });
  }

  private freshJwtGroup(doNotCallNoFreshJwt: boolean): Observable<JwtGroup<JwtInfo> | undefined> {
    return this.freshToken().pipe(
      map(() => this.jwt),
      catchError((error: unknown) => {
        if (!(error instanceof NoFreshJwtError)) return throwError(() => error);
        if (!doNotCallNoFreshJwt) this.notice.notify('any', `JwtService: no fresh token: ${error.message}`);
        return of(undefined);
      }),
    );
  }

  private callLogin(credentials: Credentials): Observable<AuthResponse> {
    return this.call('login', () => this.api.login(credentials)).pipe(
      catchError((error: unknown) => throwError(() => loginThrottledError(error, this.clock.now()) ?? error)),
    );
  }

  private loginAgainWith(credentials: Credentials): Observable<{ readonly user: UserInfo; readonly response: AuthResponse }> {
    const started = this.sessions$.value.current;
    return this.callLogin(credentials).pipe(
      catchError((error: unknown) => {
        // The server refused the credentials the session's own token made: the session is over.
        if (isUnauthorized(error) && started && this.sessions$.value.current === started) this.setSessions(NO_SESSIONS);
        return throwError(() => error);
      }),
      map((response) => {
        const { current, stack } = this.sessions$.value;
        const session = this.sessionFrom(response, { tokens: current?.tokens });
        this.setSessions({ current: session, stack: current ? stack : [] });
        return { user: session.user, response };
      }),
    );
  }

  /** `token` as a `JwtInfo`, with the expiry the server stated for it when it is the current access token. */
  private accessInfo(token: string): JwtInfo {
    const tokens = this.sessions$.value.current?.tokens;
    return jwtInfoOf(token, tokens?.accessToken === token ? tokens.expiresAt : undefined);
  }

  private refresh(session: JwtSession<UserInfo | null>): Observable<string> {
    const { refreshToken, refreshExpiresAt: statedExpiresAt } = session.tokens;
    const refreshExpiresAt = jwtExpiresAt(refreshToken) ?? (statedExpiresAt === undefined ? null : statedExpiresAt * 1000);
    const source$ =
      refreshExpiresAt !== null && refreshExpiresAt <= this.clock.now()
        ? throwError(() => new NoFreshJwtError('session-expired', 'The session has expired: log in again.'))
        : this.call('refresh', () => this.api.refresh(jwtGroupOf(session.tokens).refreshToken));
    const token$: Observable<string> = source$.pipe(
      switchMap((answer) => {
        const next: JwtSession<UserInfo | null> = {
          tokens: this.checkedTokens(this.config.tokensFromRefresh(answer), () => new InvalidAuthResponseError('The refresh answer has no tokens.')),
          user: this.config.userFromRefresh(answer) ?? session.user,
        };
        if (this.replaceSession(session, next)) {
          this.logger.debug('Refreshed the access token.');
          return of(next.tokens.accessToken);
        }
        // Another login replaced this session meanwhile: answer with the token of the new one.
        return this.freshJwt();
      }),
      catchError((error: unknown) => {
        if (this.sessions$.value.current !== session) return this.freshJwt();
        // Another tab may have refreshed first (rotating this refresh token away), logged out or
        // logged in, its storage event not here yet: follow it rather than end (and erase) its session.
        if (this.config.syncTabs && this.followStoredSession()) return this.freshJwt();
        const ended =
          error instanceof NoFreshJwtError
            ? error
            : new NoFreshJwtError('refresh-failed', `The session could not be refreshed: ${this.errorMessage(error)}`, {
                cause: error,
              });
        this.endSession(ended);
        return throwError(() => ended);
      }),
      finalize(() => {
        if (this.refreshing?.token$ === token$) this.refreshing = null;
      }),
      // Shared and not cancelled when its callers unsubscribe: the server may already have rotated
      // the refresh token, so the answer must be kept.
      shareReplay({ bufferSize: 1, refCount: false }),
    );
    return token$;
  }

  private endSession(error: NoFreshJwtError): void {
    this.logger.warn('The session ended: no fresh access token could be had.', error);
    this.setSessions(NO_SESSIONS);
    this.ended$.next(error);
    const hook = this.config.onNoFreshJwt;
    if (!hook) return;
    try {
      runInInjectionContext(this.injector, () => hook(error));
    } catch (hookError) {
      this.logger.error('The onNoFreshJwt hook threw.', hookError);
    }
  }

  private endCurrent(): void {
    const { stack } = this.sessions$.value;
    this.setSessions(stack.length === 0 ? NO_SESSIONS : { current: stack[stack.length - 1], stack: stack.slice(0, -1) });
  }

  /**
   * Puts `next` where `previous` is, current or on the stack. True only when `next` is now the
   * current session, i.e. its token is the one the callers asked for.
   */
  private replaceSession(previous: JwtSession<UserInfo | null>, next: JwtSession<UserInfo | null>): boolean {
    const { current, stack } = this.sessions$.value;
    if (current === previous) {
      this.setSessions({ current: next, stack });
      return true;
    }
    // A login-as started meanwhile and put `previous` on the stack, so it has a user (and so does `next`).
    const index = stack.indexOf(previous as JwtSession<UserInfo>);
    const user = next.user ?? previous.user;
    if (index < 0 || user === null) return false;
    this.setSessions({ current, stack: stack.map((entry, i) => (i === index ? { tokens: next.tokens, user } : entry)) });
    return false;
  }

  private currentUserOrThrow(message: string): UserInfo {
    const user = this.sessions$.value.current?.user;
    if (user === undefined || user === null) throw new NoFreshJwtError('not-logged-in', message);
    return user;
  }

  private call<T>(method: keyof JwtBackend<unknown, unknown, unknown>, request: () => ObservableInput<T>): Observable<T> {
    return this.send(request).pipe(
      take(1),
      throwIfEmpty(() => new JwtError(`JwtApi.${method} completed without an answer.`)),
    );
  }

  /**
   * Subscribes to a JwtApi call with `sendingOwnCall` set. HttpClient runs its interceptors while it
   * is subscribed, so `jwtInterceptor` sees the flag and lets the call through untouched: a refresh
   * request that waited for a fresh token would wait for itself.
   */
  private send<T>(request: () => ObservableInput<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      this.ownCalls += 1;
      try {
        return from(request()).subscribe(subscriber);
      } finally {
        this.ownCalls -= 1;
      }
    });
  }

  /**
   * The session a login's answer makes. Without tokens in it, the session keeps `fallback.tokens`
   * when there are any (1.2.x's login by token), else it is `missingTokens()`'s error.
   */
  private sessionFrom(
    response: AuthResponse,
    fallback: { readonly tokens?: JwtTokens; readonly missingTokens?: () => Error },
  ): JwtSession<UserInfo> {
    const missingTokens =
      fallback.missingTokens ?? (() => new InvalidAuthResponseError('The auth response has no access token and refresh token.'));
    const tokens = this.checkedTokens(this.config.tokensFromResponse(response) ?? fallback.tokens ?? null, missingTokens);
    const user = this.config.userFromResponse(response);
    if (user === undefined || user === null) {
      throw new InvalidAuthResponseError(
        'The auth response has no user. Pass `userFromResponse` to provideJwt() to read the user out of your response.',
      );
    }
    return { tokens, user };
  }

  private checkedTokens(tokens: JwtTokens | null, missing: () => Error): JwtTokens {
    if (tokens === null) throw missing();
    if (typeof tokens.accessToken !== 'string' || typeof tokens.refreshToken !== 'string') {
      throw new InvalidAuthResponseError('tokensFromResponse gave no string accessToken and refreshToken.');
    }
    return tokens;
  }


  private expiresSoon(tokens: JwtTokens): boolean {
    const expiresAt = jwtExpiresAt(tokens.accessToken) ?? (tokens.expiresAt === undefined ? null : tokens.expiresAt * 1000);
    return expiresAt !== null && expiresAt - this.config.skewSeconds * 1000 <= this.clock.now();
  }

  private setSessions(sessions: JwtSessions<UserInfo>): void {
    this.sessions$.next(sessions);
    const key = this.config.storageKey;
    try {
      const raw = serializeSessions(sessions);
      if (raw === null) this.storage.removeItem(key);
      else this.storage.setItem(key, raw);
    } catch (error) {
      this.logger.warn('Could not write the session to storage: it will not survive a reload.', error);
    }
  }

  private restore(): JwtSessions<UserInfo> {
    const key = this.config.storageKey;
    let raw: string | null;
    try {
      raw = this.storage.getItem(key);
    } catch (error) {
      this.logger.warn('Could not read the session from storage.', error);
      return NO_SESSIONS;
    }
    if (raw === null) return NO_SESSIONS;
    const sessions = parseSessions<UserInfo>(raw, this.config.isUserInfo);
    if (sessions) return sessions;
    this.logger.warn(`Discarded unreadable or foreign data under the storage key "${key}".`);
    try {
      this.storage.removeItem(key);
    } catch {
      // Nothing more to do: the data is ignored either way.
    }
    return NO_SESSIONS;
  }
}

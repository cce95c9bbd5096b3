import { HttpErrorResponse } from '@angular/common/http';
import { Injectable, Injector, type OnDestroy, inject, runInInjectionContext } from '@angular/core';
import {
  type MonoTypeOperatorFunction,
  Observable,
  Subject,
  catchError,
  concatMap,
  defer,
  distinctUntilChanged,
  filter,
  finalize,
  map,
  of,
  shareReplay,
  switchMap,
  take,
  throwError,
} from 'rxjs';
import {
  InvalidAuthResponseError,
  LoginAsApiMethodDoesNotHaveJwtInAuthResponse,
  LoginAsCalledWhenUnauthorized,
  LoginAsMethodUnimplemented,
  NoFreshJwtError,
  isUnauthorized,
  jwtErrorMessage,
  loginThrottledError,
} from './errors';
import { JwtApi } from './jwt-api';
import { JwtBackend } from './jwt-backend';
import { jwtExpiresAt } from './jwt-decode';
import { accessTokenExpiresAt, proactiveRenewals, renewalDueAt } from './jwt-renewal';
import { jwtGroupOf, jwtInfoOf, jwtTokensOf, type JwtGroup, type JwtInfo } from './jwt-group';
import { NO_SESSIONS, type JwtSession, type JwtTokens } from './jwt-session';
import { JwtSessionStore } from './jwt-session-store';
import type { JwtTabChange } from './jwt-tab-change';
import type { FreshJwt } from './fresh-jwt';
import { NoFreshJwtNotice } from './no-fresh-jwt-notice';
import type { ResolvedJwtConfig } from './resolved-jwt-config';
import { JWT_CLOCK, JWT_LOGGER, JWT_STORAGE, JWT_STORAGE_EVENTS, RESOLVED_JWT_CONFIG } from './tokens';

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
  private readonly api = new JwtBackend<Credentials, AuthResponse, UserId>(
    inject(JwtApi) as JwtApi<Credentials, AuthResponse, UserId>,
    this.config.apiTakes,
  );
  private readonly notice = inject(NoFreshJwtNotice);
  private readonly clock = inject(JWT_CLOCK);
  private readonly logger = inject(JWT_LOGGER);
  private readonly injector = inject(Injector);

  private readonly sessions = new JwtSessionStore<UserInfo>({
    storage: inject(JWT_STORAGE),
    key: this.config.storageKey,
    isUserInfo: this.config.isUserInfo,
    logger: this.logger,
    otherTabs: this.config.syncTabs ? inject(JWT_STORAGE_EVENTS) : null,
  });
  private readonly ended$ = new Subject<NoFreshJwtError>();
  /** The access tokens this service's refreshes gave the session they renewed. */
  private readonly refreshed$ = new Subject<string>();
  /** The refresh on its way for each refresh token: one call per token (single flight), whichever session asks. */
  private readonly refreshes = new Map<string, Observable<string>>();
  /** Logout calls sent and not settled yet; a login, login again or login-as answered meanwhile waits for them. */
  private logoutsUnderWay = 0;
  /**
   * What each renewed session became (a refresh's answer replaces the session object, where it is):
   * a call made in a session finds out through it whether that session still is the current one.
   */
  private readonly renewedAs = new WeakMap<JwtSession<UserInfo | null>, JwtSession<UserInfo | null>>();
  /** A session another tab refreshed (or whose user it updated) goes on as the object this tab follows it with. */
  private readonly followingTabs = this.sessions.continued$.subscribe((pairs) => {
    for (const [before, after] of pairs) this.carryOn(before, after);
  });
  private readonly logoutSettled$ = new Subject<void>();

  /** The current user (`null` when nobody is logged in), now and on every change. */
  readonly user$: Observable<UserInfo | null> = this.sessions.changes$.pipe(
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
  readonly otherTabChanges$: Observable<JwtTabChange<UserInfo>> = this.sessions.tabChanges$;

  /**
   * The renewed access tokens of the current session, renewing them ahead of time while subscribed:
   * when the token falls due (`skewSeconds` before it expires, or halfway through its life when that
   * comes first) one refresh is made (single-flight, as for `freshJwt()`), and every token that renews
   * the session is emitted once — from that refresh, from a refresh `freshJwt()` made, or adopted from
   * another tab. A login, a logout or a login-as is not a renewal. Shared by every subscriber (one
   * timer, one refresh); nothing is scheduled while nobody subscribes. Never errors: a failed refresh
   * ends the session as usual, and renewals go on with the next one. A socket kept open past its
   * token's expiry sends each renewed token in band (the socket package does this for you).
   *
   * @example
   * jwt.renewals$.subscribe((token) => socket.send({ reauth: { accessToken: token } }));
   */
  readonly renewals$: Observable<string> = proactiveRenewals({
    sessions$: this.sessions.changes$,
    refreshed$: this.refreshed$,
    clock: this.clock,
    skewSeconds: this.config.skewSeconds,
    fresh: () => this.freshToken(),
  });

  /** The current user, or `null` (nobody, or a session whose user is not known yet: see `setJwt`). */
  user(): UserInfo | null {
    return this.sessions.value.current?.user ?? null;
  }

  /** True while there is a session (a stored one counts, before `loginAgain` has checked it). */
  get isLoggedIn(): boolean {
    return this.sessions.value.current !== null;
  }

  /** The current access token as it is, possibly expired: use `freshJwt()` to send it anywhere. */
  get accessToken(): string | null {
    return this.sessions.value.current?.tokens.accessToken ?? null;
  }

  /**
   * When the current access token expires, in epoch milliseconds (its `exp` claim, else the
   * `expiresAt` the server stated); `null` when nobody is logged in or the expiry is unknown.
   *
   * @example
   * const secondsLeft = ((jwt.accessTokenExpiresAt ?? Date.now()) - Date.now()) / 1000;
   */
  get accessTokenExpiresAt(): number | null {
    const current = this.sessions.value.current;
    return current ? accessTokenExpiresAt(current.tokens) : null;
  }

  /**
   * The current tokens in the 1.2.x shape, each with its expiry in epoch milliseconds (`undefined`
   * when nobody is logged in). Possibly expired: use `freshJwt()` to send a token anywhere.
   *
   * @example
   * const refreshExpiresAt = inject(JwtService).jwt?.refreshToken?.expiresAt;
   */
  get jwt(): JwtGroup<JwtInfo> | undefined {
    const current = this.sessions.value.current;
    return current ? jwtGroupOf(current.tokens) : undefined;
  }

  /**
   * True while the service itself is sending one of its `JwtApi` calls (synchronously, as HttpClient
   * runs its interceptors): `jwtInterceptor` leaves those requests alone.
   */
  get sendingOwnCall(): boolean {
    return this.api.sending;
  }

  /** True without login-as: the current user logged in themselves. */
  get isMasterUser(): boolean {
    return this.sessions.value.stack.length === 0;
  }

  /** How many login-as levels deep the current user is: 0 without login-as. */
  get loginAsDepth(): number {
    return this.sessions.value.stack.length;
  }

  /** The users below the current one, the master first. */
  get stashedUsers(): readonly UserInfo[] {
    return this.sessions.value.stack.map(({ user }) => user);
  }

  /**
   * A usable access token: `freshJwt()` emits one once and completes, refreshing it first when it
   * falls due (it expires within `skewSeconds`, or, living less than twice that, is past half its life; or it is `options.rejectedToken`), one refresh for every concurrent
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
    const { current, stack } = this.sessions.value;
    this.sessions.set({ current: { tokens, user: current?.user ?? null }, stack: current ? stack : [] });
  }

  /**
   * Forgets the session here (the login-as stack too), without calling the server and without
   * dispatching anything: the store keeps its user until you act. Prefer the `logout` action.
   *
   * @example
   * jwt.deleteJwt();
   */
  deleteJwt(): void {
    this.sessions.set(NO_SESSIONS);
  }

  /**
   * Logs in with credentials, replacing any session (and login-as stack) there was, and gives the
   * server's answer. When the answer has no tokens (a 1.2.x `authResponseToJwt` may say so) the
   * session keeps its own, unless it ended meanwhile. Errors with LoginThrottledError when
   * the server answers 429 (too many failed sign-ins).
   */
  login(credentials: Credentials): Observable<AuthResponse> {
    return defer(() => {
      const started = this.sessions.value.current;
      return this.callLogin(credentials).pipe(
        this.afterLogoutsSettle(),
        map((response) => {
          const { current, stack } = this.sessions.value;
          const session = this.sessionFrom(response, this.tokensKept(started));
          const keptTokens = current !== null && session.tokens === current.tokens;
          // Without tokens of its own, it goes on with the current session (and its stack).
          if (keptTokens) this.carryOn(current, session);
          this.sessions.set({ current: session, stack: keptTokens ? stack : [] });
          return response;
        }),
      );
    });
  }

  /**
   * Logs in again and gives the user. Without credentials it checks the stored session (refreshing
   * it when it expires soon). With credentials (1.2.x's login by token) it calls `JwtApi.login` with
   * them and the session takes the answer's user (and its tokens, if it has any), keeping the
   * login-as stack; a 401 then ends the session here. With credentials and answered while a logout call
   * is on its way, it applies once the logout has settled, as `login` does.
   */
  loginAgain(credentials?: Credentials): Observable<{ readonly user: UserInfo; readonly response?: AuthResponse }> {
    return defer(() => {
      if (credentials !== undefined) return this.loginAgainWith(credentials);
      const current = this.sessions.value.current;
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

  /**
   * Acts as another user; the current session goes onto the stack until `logout()`. Gives the server's
   * answer. Answered while a logout call is on its way, it applies once the logout has settled, on the
   * session the logout left. When the session it was made from is no longer the current one (a
   * logout ended it, a login replaced it), it fails with LoginAsCalledWhenUnauthorized rather than act
   * for someone else.
   */
  loginAs(userId: UserId): Observable<AuthResponse> {
    return defer(() => {
      const loginAs = this.api.loginAs();
      if (!loginAs) return throwError(() => new LoginAsMethodUnimplemented());
      const unauthorized = (error: LoginAsCalledWhenUnauthorized) => {
        this.notice.notify('loginAsJwtNotFound', `JwtService: login-as found no fresh token: ${error.message}`);
        return error;
      };
      const started = this.sessions.value.current;
      if (started?.user == null) return throwError(() => unauthorized(new LoginAsCalledWhenUnauthorized()));
      return this.withFreshToken((masterToken) => loginAs(this.accessInfo(masterToken), userId)).pipe(
        catchError((error: unknown) =>
          error instanceof NoFreshJwtError
            ? throwError(() => unauthorized(new LoginAsCalledWhenUnauthorized(error.reason, { cause: error })))
            : throwError(() => error),
        ),
        this.afterLogoutsSettle(),
        map((response) => {
          const session = this.sessionFrom(response, { missingTokens: () => new LoginAsApiMethodDoesNotHaveJwtInAuthResponse() });
          const { current: master, stack } = this.sessions.value;
          // A logout answered meanwhile ended the session it was made from, or a login replaced it.
          if (master?.user == null || !this.isCurrent(started)) throw unauthorized(new LoginAsCalledWhenUnauthorized());
          // The master itself goes onto the stack, so that a refresh of it on its way still finds it.
          this.sessions.set({ current: session, stack: [...stack, master as JwtSession<UserInfo>] });
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
   *
   * A login answered while the logout call is on its way (a user switched: the form was sent before
   * the logout came back) is applied once the logout has settled, so the logout ends the session it
   * was called for and the login is the last word, whichever answer came first. The same holds for a
   * `loginAgain` with credentials and a `loginAs`. A logout only ever ends the session it was called
   * for: answered after that session ended otherwise (another logout), it changes nothing here, and it
   * never sends the token of a session that took its place (it fails with NoFreshJwtError instead).
   */
  logout(fromAllDevices = false, options: { localOnly?: boolean } = {}): Observable<void> {
    return defer(() => {
      if (!this.isLoggedIn) return of(undefined);
      if (options.localOnly) return of(this.endCurrent());
      const called = this.sessions.value.current;
      this.logoutsUnderWay += 1;
      return this.withFreshToken((accessToken) => this.api.logout(this.accessInfo(accessToken), fromAllDevices)).pipe(
        catchError((error: unknown) => (isUnauthorized(error) ? of(null) : throwError(() => error))),
        // Ends the session it was called for, if no other logout did meanwhile.
        map(() => (this.isCurrent(called) ? this.endCurrent() : undefined)),
        // After the caller has had the outcome (the effects dispatch logoutSucceed on it), so a login waiting comes after.
        finalize(() => {
          this.logoutsUnderWay -= 1;
          this.logoutSettled$.next();
        }),
      );
    });
  }

  /** The readable message of a failure, as errored actions carry it. */
  errorMessage(error: unknown): string {
    return this.config.errorMessage?.(error) ?? jwtErrorMessage(error);
  }

  ngOnDestroy(): void {
    this.followingTabs.unsubscribe();
    this.sessions.destroy();
    this.ended$.complete();
    this.logoutSettled$.complete();
    this.refreshed$.complete();
  }

  /**
   * Makes one of the service's own calls with a fresh access token and, when the server refuses that
   * token as expired (`isTokenExpiredResponse`: its clock or a revocation of access tokens disagrees
   * with the token's own expiry), once more with a renewed one, as the interceptor does for the app's
   * requests. Without it a login-as failed, and a logout ended the session here but not on the server.
   */
  private withFreshToken<T>(call: (accessToken: string) => Observable<T>): Observable<T> {
    return defer(() => {
      // The call is made for the current session: never with the token of one that took its place.
      const session = this.sessions.value.current;
      const tokenOfSession = (options: { rejectedToken?: string } = {}) =>
        this.freshToken(options).pipe(
          map((token) => {
            if (!this.isCurrent(session)) throw new NoFreshJwtError('not-logged-in', 'The session this call was made in ended meanwhile.');
            return token;
          }),
        );
      return tokenOfSession().pipe(
        switchMap((accessToken) =>
          call(accessToken).pipe(
            catchError((error: unknown) =>
              error instanceof HttpErrorResponse && this.config.isTokenExpiredResponse(error)
                ? tokenOfSession({ rejectedToken: accessToken }).pipe(switchMap(call))
                : throwError(() => error),
            ),
          ),
        ),
      );
    });
  }

  private freshToken(options: { rejectedToken?: string } = {}): Observable<string> {
    return defer(() => {
      const session = this.sessions.value.current;
      if (!session) {
        return throwError(() => new NoFreshJwtError('not-logged-in', 'Nobody is logged in: log in first.'));
      }
      const rejected = options.rejectedToken !== undefined && options.rejectedToken === session.tokens.accessToken;
      if (!rejected && !this.expiresSoon(session.tokens)) return of(session.tokens.accessToken);
      const { refreshToken } = session.tokens;
      let token$ = this.refreshes.get(refreshToken);
      if (!token$) {
        token$ = this.refresh(session);
        this.refreshes.set(refreshToken, token$);
      }
      return token$;
    });
  }

  private freshJwtGroup(doNotCallNoFreshJwt: boolean): Observable<JwtGroup<JwtInfo> | undefined> {
    return this.freshToken().pipe(
      // The group of the token given, which is the current session's unless another session (a login
      // waiting for a logout, say) became current as it came: then that one's, made fresh in turn.
      switchMap((token) => (this.sessions.value.current?.tokens.accessToken === token ? of(this.jwt) : this.freshJwtGroup(doNotCallNoFreshJwt))),
      catchError((error: unknown) => {
        if (!(error instanceof NoFreshJwtError)) return throwError(() => error);
        if (!doNotCallNoFreshJwt) this.notice.notify('any', `JwtService: no fresh token: ${error.message}`);
        return of(undefined);
      }),
    );
  }

  /** Passes each value on once no logout call is under way: at once, or when the last one has settled. */
  private afterLogoutsSettle<T>(): MonoTypeOperatorFunction<T> {
    return concatMap((value) =>
      this.logoutsUnderWay === 0
        ? of(value)
        : this.logoutSettled$.pipe(
            filter(() => this.logoutsUnderWay === 0),
            take(1),
            map(() => value),
          ),
    );
  }

  private callLogin(credentials: Credentials): Observable<AuthResponse> {
    return this.api.login(credentials).pipe(
      catchError((error: unknown) => throwError(() => loginThrottledError(error, this.clock.now()) ?? error)),
    );
  }

  private loginAgainWith(credentials: Credentials): Observable<{ readonly user: UserInfo; readonly response: AuthResponse }> {
    const started = this.sessions.value.current;
    return this.callLogin(credentials).pipe(
      catchError((error: unknown) => {
        // The server refused the credentials the session's own token made: the session is over.
        if (isUnauthorized(error) && started && this.isCurrent(started)) this.sessions.set(NO_SESSIONS);
        return throwError(() => error);
      }),
      this.afterLogoutsSettle(),
      map((response) => {
        const { current, stack } = this.sessions.value;
        const session = this.sessionFrom(response, this.tokensKept(started));
        // It goes on with the current session (the login-as stack stays), as a refresh does.
        if (current) this.carryOn(current, session);
        this.sessions.set({ current: session, stack: current ? stack : [] });
        return { user: session.user, response };
      }),
    );
  }

  /** `token` as a `JwtInfo`, with the expiry the server stated for it when it is the current access token. */
  private accessInfo(token: string): JwtInfo {
    const tokens = this.sessions.value.current?.tokens;
    return jwtInfoOf(token, tokens?.accessToken === token ? tokens.expiresAt : undefined);
  }

  private refresh(session: JwtSession<UserInfo | null>): Observable<string> {
    const { refreshToken, refreshExpiresAt: statedExpiresAt } = session.tokens;
    const refreshExpiresAt = jwtExpiresAt(refreshToken) ?? (statedExpiresAt === undefined ? null : statedExpiresAt * 1000);
    const source$ =
      refreshExpiresAt !== null && refreshExpiresAt <= this.clock.now()
        ? throwError(() => new NoFreshJwtError('session-expired', 'The session has expired: log in again.'))
        : this.api.refresh(jwtGroupOf(session.tokens).refreshToken);
    // The token of whatever session is current now, asked once this refresh no longer stands for it.
    const settledThenFresh = () => {
      if (this.refreshes.get(refreshToken) === token$) this.refreshes.delete(refreshToken);
      return this.freshJwt();
    };
    const token$: Observable<string> = source$.pipe(
      switchMap((answer) => {
        const tokens = this.checkedTokens(this.config.tokensFromRefresh(answer), () => new InvalidAuthResponseError('The refresh answer has no tokens.'));
        if (this.replaceSession(session, tokens, this.config.userFromRefresh(answer))) {
          this.logger.debug('Refreshed the access token.');
          this.refreshed$.next(tokens.accessToken);
          return of(tokens.accessToken);
        }
        // Another login replaced this session meanwhile: answer with the token of the new one.
        return settledThenFresh();
      }),
      catchError((error: unknown) => {
        // The session ended, or went on with other tokens meanwhile (a login again): not this refresh's to end.
        if (this.sessions.value.current?.tokens.refreshToken !== refreshToken) return settledThenFresh();
        // Another tab may have refreshed first (rotating this refresh token away), logged out or
        // logged in, its storage event not here yet: follow it rather than end (and erase) its session.
        if (this.config.syncTabs && this.sessions.followStored()) return settledThenFresh();
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
        if (this.refreshes.get(refreshToken) === token$) this.refreshes.delete(refreshToken);
      }),
      // Shared and not cancelled when its callers unsubscribe: the server may already have rotated
      // the refresh token, so the answer must be kept.
      shareReplay({ bufferSize: 1, refCount: false }),
    );
    return token$;
  }

  private endSession(error: NoFreshJwtError): void {
    this.logger.warn('The session ended: no fresh access token could be had.', error);
    this.sessions.set(NO_SESSIONS);
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
    const { stack } = this.sessions.value;
    this.sessions.set(stack.length === 0 ? NO_SESSIONS : { current: stack[stack.length - 1], stack: stack.slice(0, -1) });
  }

  /**
   * Renews the session a refresh was made for with its `tokens`, wherever it is now: the current
   * session or one on the stack holding the refresh token used (the same object, or the one it went on
   * as: a login answered without tokens, another tab's write followed). True only when that is the
   * current session, i.e. its token is the one the callers asked for.
   */
  private replaceSession(previous: JwtSession<UserInfo | null>, tokens: JwtTokens, user: UserInfo | null | undefined): boolean {
    const { refreshToken } = previous.tokens;
    const { current, stack } = this.sessions.value;
    const renew = (target: JwtSession<UserInfo | null>): JwtSession<UserInfo | null> => {
      if (this.latestOf(previous).tokens.refreshToken === refreshToken) this.carryOn(previous, target);
      const renewed = { tokens, user: user ?? target.user };
      this.carryOn(target, renewed);
      return renewed;
    };
    if (current?.tokens.refreshToken === refreshToken) {
      this.sessions.set({ current: renew(current), stack });
      return true;
    }
    // A login-as started meanwhile and put the session on the stack, so it has a user.
    const index = stack.findIndex((entry) => entry.tokens.refreshToken === refreshToken);
    if (index < 0) return false;
    const renewed = renew(stack[index]) as JwtSession<UserInfo>;
    this.sessions.set({ current, stack: stack.map((entry, i) => (i === index ? renewed : entry)) });
    return false;
  }

  /** `next` goes on with `session` (as whatever that already went on as): the calls made in it belong to `next` now. */
  private carryOn(session: JwtSession<UserInfo | null>, next: JwtSession<UserInfo | null>): void {
    const last = this.latestOf(session);
    if (last !== next) this.renewedAs.set(last, next);
  }

  /** What `session` became through the refreshes and logins that went on with it. */
  private latestOf(session: JwtSession<UserInfo | null>): JwtSession<UserInfo | null> {
    let latest = session;
    while (this.renewedAs.has(latest)) latest = this.renewedAs.get(latest) as JwtSession<UserInfo | null>;
    return latest;
  }

  /** Whether `session` (or what its refreshes made of it) is the current session; `null`: nobody is logged in. */
  private isCurrent(session: JwtSession<UserInfo | null> | null): boolean {
    return (session === null ? null : this.latestOf(session)) === this.sessions.value.current;
  }

  private currentUserOrThrow(message: string): UserInfo {
    const user = this.sessions.value.current?.user;
    if (user === undefined || user === null) throw new NoFreshJwtError('not-logged-in', message);
    return user;
  }

  /**
   * What a login's answer without tokens falls back on: the tokens of the session the login was sent
   * in, while it is the current one; else none (they would be another session's).
   */
  private tokensKept(started: JwtSession<UserInfo | null> | null): { readonly tokens?: JwtTokens; readonly missingTokens?: () => Error } {
    if (this.isCurrent(started)) return { tokens: this.sessions.value.current?.tokens };
    return {
      missingTokens: () =>
        new NoFreshJwtError('not-logged-in', 'The session this login was sent in ended before its answer came: log in again.'),
    };
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
    const dueAt = renewalDueAt(tokens, this.config.skewSeconds);
    return dueAt !== null && dueAt <= this.clock.now();
  }
}

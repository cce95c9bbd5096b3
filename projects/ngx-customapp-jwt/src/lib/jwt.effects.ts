import { Injectable, inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { EMPTY, catchError, exhaustMap, mergeMap, of } from 'rxjs';
import { NoFreshJwtError } from './errors';
import { createJwtActions } from './jwt-actions';
import { JwtService } from './jwt.service';

const actions = createJwtActions();

/**
 * The package's effects: they run the flows of `JwtService` for the actions and keep the store in
 * step with it. `provideJwt()` and `JwtModule.forRoot()` register them; registering them once more
 * (as some 1.2.x apps did) changes nothing, since NgRx runs one instance of an effects class.
 *
 * Each flow dispatches the state changes first and its `…Succeed` last, so a listener of
 * `loginSucceed` or `logoutSucceed` finds the store (and `JwtService`) up to date:
 * - `login` → `setUser` → `loginSucceed`, or `loginErrored`;
 * - `loginAgain` → `setUser` (with the stored login-as stack) → `loginAgainSucceed`, or `loginAgainErrored`;
 * - `loginAs` → `stashUser` → `setUser` → `loginAsSucceed`, or `loginAsErrored`;
 * - `logout` → `setUser` → `unstashUser` → `logoutSucceed({ restoredMaster: true })` when a login-as
 *   ended, else `setUser(null)` → `logoutSucceed({ restoredMaster: false })`; or `logoutErrored`.
 */
@Injectable()
export class JwtEffects<Credentials = unknown, AuthResponse = unknown, UserInfo = unknown, UserId = unknown> {
  private readonly actions$ = inject(Actions);
  private readonly jwt = inject(JwtService) as JwtService<Credentials, AuthResponse, UserInfo, UserId>;

  readonly login$ = createEffect(() =>
    this.actions$.pipe(
      ofType(actions.login),
      exhaustMap(({ credentials }) =>
        this.jwt.login(credentials as Credentials).pipe(
          mergeMap((response) => {
            const user = this.jwt.user() ?? undefined;
            return [actions.setUser({ user, stashedUsers: [] }), actions.loginSucceed({ response, user })];
          }),
          catchError((error: unknown) => of(actions.loginErrored({ error: this.jwt.errorMessage(error) }))),
        ),
      ),
    ),
  );

  readonly loginAgain$ = createEffect(() =>
    this.actions$.pipe(
      ofType(actions.loginAgain),
      exhaustMap(({ credentials }) =>
        this.jwt.loginAgain(credentials as Credentials | undefined).pipe(
          mergeMap(({ user, response }) => [
            actions.setUser({ user, stashedUsers: this.jwt.stashedUsers }),
            actions.loginAgainSucceed({ response, user }),
          ]),
          catchError((error: unknown) => of(actions.loginAgainErrored({ error: this.jwt.errorMessage(error) }))),
        ),
      ),
    ),
  );

  readonly loginAs$ = createEffect(() =>
    this.actions$.pipe(
      ofType(actions.loginAs),
      exhaustMap(({ userId }) =>
        this.jwt.loginAs(userId as UserId).pipe(
          mergeMap((response) => {
            const stashed = this.jwt.stashedUsers;
            const user = this.jwt.user() ?? undefined;
            return [
              actions.stashUser({ user: stashed[stashed.length - 1] }),
              actions.setUser({ user }),
              actions.loginAsSucceed({ response, user }),
            ];
          }),
          catchError((error: unknown) => of(actions.loginAsErrored({ error: this.jwt.errorMessage(error) }))),
        ),
      ),
    ),
  );

  /**
   * When the token could not be refreshed for the logout call, the session has ended already and
   * `sessionEnded$` has said so: nothing more is dispatched here.
   */
  readonly logout$ = createEffect(() =>
    this.actions$.pipe(
      ofType(actions.logout),
      exhaustMap(({ fromAllDevices, localOnly }) =>
        this.jwt.logout(fromAllDevices, { localOnly }).pipe(
          mergeMap(() => {
            // Still logged in after a logout: a login-as ended and its master is current again.
            const restoredMaster = this.jwt.isLoggedIn;
            return restoredMaster
              ? [actions.setUser({ user: this.jwt.user() }), actions.unstashUser(), actions.logoutSucceed({ fromAllDevices, restoredMaster })]
              : [actions.setUser({ user: null, stashedUsers: [] }), actions.logoutSucceed({ fromAllDevices, restoredMaster })];
          }),
          catchError((error: unknown) =>
            error instanceof NoFreshJwtError && error.reason !== 'not-logged-in'
              ? EMPTY
              : of(actions.logoutErrored({ error: this.jwt.errorMessage(error) })),
          ),
        ),
      ),
    ),
  );

  /** A session that ended for want of a fresh token is a logout like any other for the listeners. */
  readonly sessionEnded$ = createEffect(() =>
    this.jwt.sessionEnded$.pipe(
      mergeMap(() => [
        actions.setUser({ user: null, stashedUsers: [] }),
        actions.logoutSucceed({ fromAllDevices: false, restoredMaster: false }),
      ]),
    ),
  );

  /**
   * Another tab changed who is logged in and `JwtService` has followed: the store follows with the
   * actions a change made here would dispatch, so the listeners (sockets, navigation) follow too.
   * `loginSucceed` / `loginAsSucceed` carry an auth response only the other tab had, so a login there
   * is reported as what it is here: a login again from the stored session (without a `response`).
   */
  readonly otherTabChanged$ = createEffect(() =>
    this.jwt.otherTabChanges$.pipe(
      mergeMap((change) => {
        switch (change.kind) {
          case 'logged-out':
            return [
              actions.setUser({ user: null, stashedUsers: [] }),
              actions.logoutSucceed({ fromAllDevices: false, restoredMaster: false }),
            ];
          case 'restored-master':
            return [
              ...(change.levels === 1
                ? [actions.setUser({ user: change.user }), actions.unstashUser()]
                : [actions.setUser({ user: change.user, stashedUsers: change.stashedUsers })]),
              actions.logoutSucceed({ fromAllDevices: false, restoredMaster: true }),
            ];
          case 'logged-in':
            return [
              actions.setUser({ user: change.user, stashedUsers: change.stashedUsers }),
              actions.loginAgainSucceed({ response: undefined, user: change.user ?? undefined }),
            ];
          case 'user-updated':
            return [actions.setUser({ user: change.user, stashedUsers: change.stashedUsers })];
        }
      }),
    ),
  );
}

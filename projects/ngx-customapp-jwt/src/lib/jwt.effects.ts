import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { EMPTY, catchError, exhaustMap, mergeMap, of } from 'rxjs';
import { NoFreshJwtError } from './errors';
import { createJwtActions } from './jwt-actions';
import { JwtService } from './jwt.service';

const actions = createJwtActions();

/** `login` → the server → the user is set, then `loginSucceed`; or `loginErrored`. */
const login$ = createEffect(
  (actions$ = inject(Actions), jwt = inject(JwtService)) =>
    actions$.pipe(
      ofType(actions.login),
      exhaustMap(({ credentials }) =>
        jwt.login(credentials).pipe(
          mergeMap(({ authResponse, user }) => [
            actions.setUser({ user, stashedUsers: [] }),
            actions.loginSucceed({ authResponse, user }),
          ]),
          catchError((error: unknown) => of(actions.loginErrored({ error: jwt.errorMessage(error) }))),
        ),
      ),
    ),
  { functional: true },
);

/** `loginAgain` → the stored session, refreshed when needed → its users set, then `loginAgainSucceed`. */
const loginAgain$ = createEffect(
  (actions$ = inject(Actions), jwt = inject(JwtService)) =>
    actions$.pipe(
      ofType(actions.loginAgain),
      exhaustMap(() =>
        jwt.loginAgain().pipe(
          mergeMap((user) => [
            actions.setUser({ user, stashedUsers: jwt.stashedUsers }),
            actions.loginAgainSucceed({ user }),
          ]),
          catchError((error: unknown) => of(actions.loginAgainErrored({ error: jwt.errorMessage(error) }))),
        ),
      ),
    ),
  { functional: true },
);

/** `loginAs` → the current user is stashed, the target set, then `loginAsSucceed`; or `loginAsErrored`. */
const loginAs$ = createEffect(
  (actions$ = inject(Actions), jwt = inject(JwtService)) =>
    actions$.pipe(
      ofType(actions.loginAs),
      exhaustMap(({ userId }) =>
        jwt.loginAs(userId).pipe(
          mergeMap(({ authResponse, user }) => [
            actions.stashUser(),
            actions.setUser({ user }),
            actions.loginAsSucceed({ authResponse, user }),
          ]),
          catchError((error: unknown) => of(actions.loginAsErrored({ error: jwt.errorMessage(error) }))),
        ),
      ),
    ),
  { functional: true },
);

/**
 * `logout` → the server → back to the master (`unstashUser`) or nobody (`setUser(null)`), then
 * `logoutSucceed` saying which. When the token could not be refreshed for the call, the session has
 * ended already and `sessionEnded$` below has said so: nothing more is dispatched here.
 */
const logout$ = createEffect(
  (actions$ = inject(Actions), jwt = inject(JwtService)) =>
    actions$.pipe(
      ofType(actions.logout),
      exhaustMap(({ fromAllDevices, localOnly }) =>
        jwt.logout(fromAllDevices, { localOnly }).pipe(
          mergeMap(({ restoredMaster }) => [
            restoredMaster ? actions.unstashUser() : actions.setUser({ user: null, stashedUsers: [] }),
            actions.logoutSucceed({ fromAllDevices, restoredMaster }),
          ]),
          catchError((error: unknown) =>
            error instanceof NoFreshJwtError && error.reason !== 'not-logged-in'
              ? EMPTY
              : of(actions.logoutErrored({ error: jwt.errorMessage(error) })),
          ),
        ),
      ),
    ),
  { functional: true },
);

/** A session that ended for want of a fresh token is a logout like any other for the listeners. */
const sessionEnded$ = createEffect(
  (jwt = inject(JwtService)) =>
    jwt.sessionEnded$.pipe(
      mergeMap(() => [
        actions.setUser({ user: null, stashedUsers: [] }),
        actions.logoutSucceed({ fromAllDevices: false, restoredMaster: false }),
      ]),
    ),
  { functional: true },
);

/**
 * Another tab changed who is logged in and `JwtService` has followed: the store follows with the
 * actions a change made here would dispatch, so the listeners (sockets, navigation) follow too.
 * `loginSucceed` / `loginAsSucceed` carry an auth response only the other tab had, so a login there
 * is reported as what it is here: a login again from the stored session.
 */
const otherTabChanged$ = createEffect(
  (jwt = inject(JwtService)) =>
    jwt.otherTabChanges$.pipe(
      mergeMap((change) => {
        switch (change.kind) {
          case 'logged-out':
            return [
              actions.setUser({ user: null, stashedUsers: [] }),
              actions.logoutSucceed({ fromAllDevices: false, restoredMaster: false }),
            ];
          case 'restored-master':
            return [
              change.levels === 1 ? actions.unstashUser() : actions.setUser({ user: change.user, stashedUsers: change.stashedUsers }),
              actions.logoutSucceed({ fromAllDevices: false, restoredMaster: true }),
            ];
          case 'logged-in':
            return [
              actions.setUser({ user: change.user, stashedUsers: change.stashedUsers }),
              actions.loginAgainSucceed({ user: change.user }),
            ];
          case 'user-updated':
            return [actions.setUser({ user: change.user, stashedUsers: change.stashedUsers })];
        }
      }),
    ),
  { functional: true },
);

/** Every effect of the package, as `provideEffects()` and `EffectsModule.forFeature()` take them. */
export const jwtEffects = { login$, loginAgain$, loginAs$, logout$, sessionEnded$, otherTabChanged$ };

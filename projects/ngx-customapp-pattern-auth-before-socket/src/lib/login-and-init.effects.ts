import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import type { Action, ActionCreator } from '@ngrx/store';
import { JWT_ACTIONS, type JwtActions } from 'ngx-customapp-jwt';
import { map, mergeMap, type Observable, of, race, switchMap, take } from 'rxjs';
import {
  initSocketsErrored,
  initSocketsSucceed,
  loginAgainAndInitSocketsErrored,
  loginAgainAndInitSocketsSucceed,
  loginAndInitSocketsErrored,
  loginAndInitSocketsSucceed,
  loginAsAndInitSocketsErrored,
  loginAsAndInitSocketsSucceed,
} from './sockets-actions';


/** One kind of login, as seen from the JWT package, and the composite actions that answer it. */
interface LoginKind {
  readonly name: string;
  readonly start: (jwt: JwtActions) => ActionCreator;
  readonly succeed: (jwt: JwtActions) => ActionCreator;
  readonly errored: (jwt: JwtActions) => ActionCreator;
  readonly compositeSucceed: () => Action;
  readonly compositeErrored: (props: { error: string }) => Action;
}

/**
 * For every attempt of one kind of login: exactly one composite outcome. It waits for the JWT
 * package's outcome, then for the sockets' (`initSockets` follows every successful login), and stops
 * listening as soon as it has answered. The JWT package signs in one attempt of a kind at a time and
 * ignores those made meanwhile: such an attempt ends at once, as ignored. A newer attempt made once
 * the sockets are being opened does sign in, and ends the older one as superseded.
 */
function loginAndInit(kind: LoginKind) {
  return createEffect(
    (actions$ = inject(Actions), jwtActions = inject(JWT_ACTIONS)) => {
      const start = kind.start(jwtActions);
      const succeed = kind.succeed(jwtActions);
      const errored = kind.errored(jwtActions);
      const isErrored = (action: object): action is Action & { error: string } => (action as Action).type === errored.type;
      /** An attempt waits for the JWT package's outcome (which ignores the attempts made meanwhile). */
      let signingIn = false;
      return actions$.pipe(
        ofType(start),
        mergeMap((): Observable<Action> => {
          if (signingIn) {
            return of(kind.compositeErrored({ error: `Ignored: a ${kind.name} was already under way, and its outcome follows.` }));
          }
          signingIn = true;
          return actions$.pipe(
            ofType(succeed, errored),
            take(1),
            switchMap((loginOutcome) => {
              signingIn = false;
              if (isErrored(loginOutcome)) return of(kind.compositeErrored({ error: loginOutcome.error }));
              const superseded$ = actions$.pipe(
                ofType(start),
                take(1),
                map(() => kind.compositeErrored({ error: `Superseded by a newer ${kind.name} before this one finished.` })),
              );
              const init$ = actions$.pipe(
                ofType(initSocketsSucceed, initSocketsErrored),
                take(1),
                map((initOutcome) =>
                  initOutcome.type === initSocketsErrored.type ? kind.compositeErrored({ error: initOutcome.error }) : kind.compositeSucceed(),
                ),
              );
              return race(init$, superseded$);
            }),
          );
        }),
      );
    },
    { functional: true },
  );
}

/** `login` → `loginAndInitSocketsSucceed` / `loginAndInitSocketsErrored`. */
const loginAndInitSockets$ = loginAndInit({
  name: 'login',
  start: (jwt) => jwt.login,
  succeed: (jwt) => jwt.loginSucceed,
  errored: (jwt) => jwt.loginErrored,
  compositeSucceed: loginAndInitSocketsSucceed,
  compositeErrored: loginAndInitSocketsErrored,
});

/** `loginAgain` → `loginAgainAndInitSocketsSucceed` / `loginAgainAndInitSocketsErrored`. */
const loginAgainAndInitSockets$ = loginAndInit({
  name: 'login again',
  start: (jwt) => jwt.loginAgain,
  succeed: (jwt) => jwt.loginAgainSucceed,
  errored: (jwt) => jwt.loginAgainErrored,
  compositeSucceed: loginAgainAndInitSocketsSucceed,
  compositeErrored: loginAgainAndInitSocketsErrored,
});

/** `loginAs` → `loginAsAndInitSocketsSucceed` / `loginAsAndInitSocketsErrored`. */
const loginAsAndInitSockets$ = loginAndInit({
  name: 'login as',
  start: (jwt) => jwt.loginAs,
  succeed: (jwt) => jwt.loginAsSucceed,
  errored: (jwt) => jwt.loginAsErrored,
  compositeSucceed: loginAsAndInitSocketsSucceed,
  compositeErrored: loginAsAndInitSocketsErrored,
});

/** The effects that pair each login with the sockets' initialization. */
export const loginAndInitEffects = { loginAndInitSockets$, loginAgainAndInitSockets$, loginAsAndInitSockets$ };

import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { CloseCode } from '@e2e-server/protocol';
import { socketClosedForever } from 'ngx-customapp-pattern-auth-before-socket';
import { exhaustMap, filter, ignoreElements, merge, of, take, tap } from 'rxjs';
import { authActions } from './auth';
import { SignOutNotice } from './sign-out-notice';

/**
 * To the menu after signing in, here or in another tab of the app (which this tab follows through
 * the shared storage and reports as loginAgainSucceed).
 */
export const toMenuAfterLogin = createEffect(
  (actions$ = inject(Actions), router = inject(Router)) =>
    actions$.pipe(
      ofType(authActions.loginSucceed, authActions.loginAgainSucceed),
      filter(({ type }) => type === authActions.loginSucceed.type || router.url.startsWith('/login')),
      tap(() => void router.navigateByUrl('/')),
    ),
  { functional: true, dispatch: false },
);

/** To the login page once nobody is signed in any more (not after a login-as ended). */
export const toLoginAfterLogout = createEffect(
  (actions$ = inject(Actions), router = inject(Router)) =>
    actions$.pipe(
      ofType(authActions.logoutSucceed),
      filter(({ restoredMaster }) => !restoredMaster),
      tap(() => void router.navigateByUrl('/login')),
    ),
  { functional: true, dispatch: false },
);

/** Why a socket that stopped for good ended the session, in the user's words. */
function reasonFor(code: number | undefined, error: string): string {
  switch (code) {
    case CloseCode.LoggedOutEverywhere:
      return 'You were signed out because your account logged out from every device.';
    case CloseCode.SessionLoggedOut:
      return 'You were signed out: this session was logged out.';
    case CloseCode.AuthRefused:
      return 'You were signed out: the server no longer accepts this session. Please sign in again.';
    default:
      return `The connection to the server stopped: ${error} Please sign in again.`;
  }
}

/** The server ended the session for these codes: the local logout must not call it again. */
const ENDED_BY_SERVER: readonly number[] = [CloseCode.LoggedOutEverywhere, CloseCode.SessionLoggedOut, CloseCode.AuthRefused];

/**
 * A socket stopped for good (the session was logged out elsewhere, or the server refused it): sign
 * out here too and say why on the login page. Both sockets may report it: the first report acts and
 * the others are ignored until its logout has finished.
 */
export const logoutWhenSocketClosedForever = createEffect(
  (actions$ = inject(Actions), notice = inject(SignOutNotice)) =>
    actions$.pipe(
      ofType(socketClosedForever),
      exhaustMap(({ code, error }) => {
        // Listen for the outcome before dispatching: the logout may finish synchronously.
        const outcome$ = actions$.pipe(
          ofType(authActions.logoutSucceed, authActions.logoutErrored),
          take(1),
          tap((outcome) => {
            if (outcome.type === authActions.logoutSucceed.type && !outcome.restoredMaster) notice.show(reasonFor(code, error));
          }),
          ignoreElements(),
        );
        // The server ended the session already for these codes: telling it again would only get a 401.
        const localOnly = code !== undefined && ENDED_BY_SERVER.includes(code);
        return merge(outcome$, of(authActions.logout({ localOnly })));
      }),
    ),
  { functional: true },
);

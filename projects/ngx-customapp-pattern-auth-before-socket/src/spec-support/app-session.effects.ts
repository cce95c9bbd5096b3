// What an app does when a socket stops for good (as the demo does): it signs out here too, telling
// the server only when the server did not end the session itself.
import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { exhaustMap, ignoreElements, merge, of, take } from 'rxjs';
import { CloseCode } from '../../../../e2e-server/src/protocol';
import { socketClosedForever } from '../public-api';
import { authActions } from './e2e-server';

/** The server ended the session for these codes: the logout here must not call it again. */
const ENDED_BY_SERVER: readonly number[] = [CloseCode.LoggedOutEverywhere, CloseCode.SessionLoggedOut, CloseCode.AuthRefused];

/** A socket stopped for good: log out; the reports of the other sockets wait until that logout ended. */
export const logoutWhenSocketClosedForever = createEffect(
  (actions$ = inject(Actions)) =>
    actions$.pipe(
      ofType(socketClosedForever),
      exhaustMap(({ code }) => {
        // Listen for the outcome before dispatching: a local logout finishes synchronously.
        const outcome$ = actions$.pipe(ofType(authActions.logoutSucceed, authActions.logoutErrored), take(1), ignoreElements());
        return merge(outcome$, of(authActions.logout({ localOnly: code !== undefined && ENDED_BY_SERVER.includes(code) })));
      }),
    ),
  { functional: true },
);

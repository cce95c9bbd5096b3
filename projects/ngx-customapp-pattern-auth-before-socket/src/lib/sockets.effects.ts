import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { Store } from '@ngrx/store';
import { JWT_ACTIONS, JWT_SELECTORS } from 'ngx-customapp-jwt';
import { catchError, filter, map, mergeMap, of, switchMap, withLatestFrom } from 'rxjs';
import { socketErrorMessage, socketsErrorMessage } from './errors';
import {
  closeSockets,
  closeSocketsFinished,
  initSockets,
  initSocketsErrored,
  initSocketsSucceed,
  socketClosedForever,
  socketErrored,
  socketStateChanged,
} from './sockets-actions';
import { WebSocketsOwnerService } from './websockets-owner.service';

/** A login of any kind succeeded: open the sockets as the new user (closing those of the previous one). */
const openAfterLogin$ = createEffect(
  (actions$ = inject(Actions), jwtActions = inject(JWT_ACTIONS)) =>
    actions$.pipe(
      ofType(jwtActions.loginSucceed, jwtActions.loginAgainSucceed, jwtActions.loginAsSucceed),
      map(() => initSockets()),
    ),
  { functional: true },
);

/** A logout ended a login-as: reopen as the master. A full logout: close everything. */
const afterLogout$ = createEffect(
  (actions$ = inject(Actions), jwtActions = inject(JWT_ACTIONS)) =>
    actions$.pipe(
      ofType(jwtActions.logoutSucceed),
      map(({ restoredMaster }) => (restoredMaster ? initSockets() : closeSockets())),
    ),
  { functional: true },
);

/** `initSockets` → the whole chain subscribed → `initSocketsSucceed`, or `initSocketsErrored`. A newer one takes over. */
const initSockets$ = createEffect(
  (actions$ = inject(Actions), sockets = inject(WebSocketsOwnerService)) =>
    actions$.pipe(
      ofType(initSockets),
      switchMap(() =>
        sockets.init().pipe(
          map(() => initSocketsSucceed()),
          catchError((error: unknown) => of(initSocketsErrored({ error: socketsErrorMessage(error) }))),
        ),
      ),
    ),
  { functional: true },
);

/** `closeSockets` → every socket closed → `closeSocketsFinished`. */
const closeSockets$ = createEffect(
  (actions$ = inject(Actions), sockets = inject(WebSocketsOwnerService)) =>
    actions$.pipe(
      ofType(closeSockets),
      mergeMap(() => sockets.closeAll().pipe(map(() => closeSocketsFinished()))),
    ),
  { functional: true },
);

/** Every move of every socket, for the reducer and the selectors. */
const socketStateChanged$ = createEffect(
  (sockets = inject(WebSocketsOwnerService)) => sockets.stateChanges$.pipe(map((change) => socketStateChanged(change))),
  { functional: true },
);

/** Every failure of every socket, readable. */
const socketErrored$ = createEffect(
  (sockets = inject(WebSocketsOwnerService)) =>
    sockets.errors$.pipe(map(({ socketId, error }) => socketErrored({ socketId, error: socketErrorMessage(socketId, error) }))),
  { functional: true },
);

/**
 * A socket stopped for good on its own. While a logout is under way the server closing the session's
 * sockets (4440/4441) is the expected end, not news: the logout's own outcome says what happens next.
 */
const socketClosedForever$ = createEffect(
  (sockets = inject(WebSocketsOwnerService), store = inject(Store), jwtSelectors = inject(JWT_SELECTORS)) =>
    sockets.closedForever$.pipe(
      withLatestFrom(store.select(jwtSelectors.selectLogoutInProgress)),
      filter(([, logoutInProgress]) => !logoutInProgress),
      map(([{ socketId, error, code }]) =>
        socketClosedForever({ socketId, error: socketErrorMessage(socketId, error), ...(code === undefined ? {} : { code }) }),
      ),
    ),
  { functional: true },
);

/** The effects that drive the sockets from the JWT package's actions. */
export const socketsEffects = {
  openAfterLogin$,
  afterLogout$,
  initSockets$,
  closeSockets$,
  socketStateChanged$,
  socketErrored$,
  socketClosedForever$,
};

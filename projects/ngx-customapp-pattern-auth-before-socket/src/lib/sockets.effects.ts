import { inject, Injectable } from '@angular/core';
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
  socketRecovered,
  socketStateChanged,
} from './sockets-actions';
import { WebSocketsOwnerService } from './websockets-owner.service';

/**
 * The effects that drive the sockets from the JWT package's actions: they open the sockets after every
 * login (`initSockets`), close them after a full logout (`closeSockets`), reopen them as the master
 * after a logout that ended a login-as, and turn each socket's moves and failures into actions. The
 * package registers them (`provideAuthBeforeSocket()`, `PatternAuthBeforeSocketModule.forRoot()`);
 * registering the class again is harmless, NgRx runs one instance of an effects class.
 *
 * @example
 * // Nothing to do: the package registers them. In a spec of your own effects, they are in the providers:
 * TestBed.configureTestingModule({ providers: [provideStore(), provideEffects(), provideFakeJwt(), provideAuthBeforeSocket(config)] });
 */
@Injectable()
export class SocketsEffects {
  private readonly actions$ = inject(Actions);
  private readonly jwtActions = inject(JWT_ACTIONS);
  private readonly jwtSelectors = inject(JWT_SELECTORS);
  private readonly sockets = inject(WebSocketsOwnerService);
  private readonly store = inject(Store);

  /** A login of any kind succeeded: open the sockets as the new user (closing those of the previous one). */
  readonly openAfterLogin$ = createEffect(() =>
    this.actions$.pipe(
      ofType(this.jwtActions.loginSucceed, this.jwtActions.loginAgainSucceed, this.jwtActions.loginAsSucceed),
      map(() => initSockets()),
    ),
  );

  /** A logout ended a login-as: reopen as the master. A full logout: close everything. */
  readonly afterLogout$ = createEffect(() =>
    this.actions$.pipe(
      ofType(this.jwtActions.logoutSucceed),
      map(({ restoredMaster }) => (restoredMaster ? initSockets() : closeSockets())),
    ),
  );

  /** `initSockets` → the whole chain subscribed → `initSocketsSucceed`, or `initSocketsErrored`. A newer one takes over. */
  readonly initSockets$ = createEffect(() =>
    this.actions$.pipe(
      ofType(initSockets),
      switchMap(() =>
        this.sockets.init().pipe(
          map(() => initSocketsSucceed()),
          catchError((error: unknown) => of(initSocketsErrored({ error: socketsErrorMessage(error) }))),
        ),
      ),
    ),
  );

  /** `closeSockets` → every socket closed → `closeSocketsFinished`. */
  readonly closeSockets$ = createEffect(() =>
    this.actions$.pipe(
      ofType(closeSockets),
      mergeMap(() => this.sockets.closeAll().pipe(map(() => closeSocketsFinished()))),
    ),
  );

  /** Every move of every socket, for the reducer and the selectors. */
  readonly socketStateChanged$ = createEffect(() => this.sockets.stateChanges$.pipe(map((change) => socketStateChanged(change))));

  /** Every reconnect that resumed subscriptions: recovered or resynced. */
  readonly socketRecovered$ = createEffect(() => this.sockets.recovered$.pipe(map((event) => socketRecovered(event))));

  /** Every failure of every socket, readable. */
  readonly socketErrored$ = createEffect(() =>
    this.sockets.errors$.pipe(map(({ socketId, error }) => socketErrored({ socketId, error: socketErrorMessage(socketId, error) }))),
  );

  /**
   * A socket stopped for good on its own. While a logout is under way the server closing the session's
   * sockets (4440/4441) is the expected end, not news: the logout's own outcome says what happens next.
   */
  readonly socketClosedForever$ = createEffect(() =>
    this.sockets.closedForever$.pipe(
      withLatestFrom(this.store.select(this.jwtSelectors.selectLogoutInProgress)),
      filter(([, logoutInProgress]) => !logoutInProgress),
      map(([{ socketId, error, code }]) =>
        socketClosedForever({ socketId, error: socketErrorMessage(socketId, error), ...(code === undefined ? {} : { code }) }),
      ),
    ),
  );
}

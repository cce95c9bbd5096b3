import { Injectable } from '@angular/core';
import { Router } from '@angular/router';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { loginAndInitSocketsSucceed } from 'ngx-customapp-pattern-auth-before-socket';
import { filter, map, tap } from 'rxjs';
import { authActions } from '../auth/auth.store';
import { BaseSocketService } from '../sockets/base-socket.service';
import { mainSocketAuthorized } from './session.actions';

/** Where the session's events take the user. */
@Injectable()
export class SessionEffects {
  constructor(
    private actions$: Actions,
    private router: Router,
    private baseSocketService: BaseSocketService,
  ) {}

  /** Signed in and the menu is live: into the app. */
  toMenuAfterLogin$ = createEffect(
    () =>
      this.actions$.pipe(
        ofType(loginAndInitSocketsSucceed),
        tap(() => void this.router.navigate(['/'])),
      ),
    { dispatch: false },
  );

  /** Nobody is signed in any more (a logout, not a return from acting as another user): the login page. */
  toLoginAfterLogout$ = createEffect(
    () =>
      this.actions$.pipe(
        ofType(authActions.setUser),
        filter(({ user }) => !user),
        tap(() => void this.router.navigate(['/login'])),
      ),
    { dispatch: false },
  );

  socketAuthorized$ = createEffect(() => this.baseSocketService.authorizedUser$.pipe(map((user) => mainSocketAuthorized({ user }))));
}

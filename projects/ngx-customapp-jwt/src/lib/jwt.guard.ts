import { inject } from '@angular/core';
import { Router, type UrlTree } from '@angular/router';
import { Actions, ofType } from '@ngrx/effects';
import { Store } from '@ngrx/store';
import { type Observable, defer, map, merge, of, switchMap, take, EMPTY } from 'rxjs';
import { createJwtActions } from './jwt-actions';
import { jwtFeature } from './jwt-feature';
import { JwtService } from './jwt.service';
import { JWT_CONFIG } from './tokens';

/**
 * Lets a route through when someone is logged in. After a reload, when a session is stored but not
 * yet checked, it dispatches `loginAgain` and waits for the outcome (it also waits for a login or
 * login-again already under way). Otherwise it answers `loginUrl` (as a redirect) or `false`.
 * Works as `canActivate`, `canActivateChild` and `canMatch`.
 *
 * @example
 * const routes: Routes = [
 *   { path: 'login', component: LoginPage },
 *   { path: '', canActivate: [jwtGuard], children: [...] },
 * ];
 */
export function jwtGuard(): Observable<boolean | UrlTree> {
  const store = inject(Store);
  const actions$ = inject(Actions);
  const jwt = inject(JwtService);
  const router = inject(Router);
  const { loginUrl } = inject(JWT_CONFIG);
  const actions = createJwtActions();
  const denied = (): boolean | UrlTree => (loginUrl === null ? false : router.parseUrl(loginUrl));

  const outcome$ = actions$.pipe(
    ofType(actions.loginAgainSucceed, actions.loginAgainErrored, actions.loginSucceed, actions.loginErrored),
    take(1),
    map(({ type }) => (type === actions.loginAgainSucceed.type || type === actions.loginSucceed.type ? true : denied())),
  );

  return store.select(jwtFeature.selectJwtState).pipe(
    take(1),
    switchMap((state) => {
      if (state.loginAgainInProgress || state.loginInProgress) return outcome$;
      if (state.user !== null && jwt.isLoggedIn) return of(true);
      if (!jwt.isLoggedIn) return of(denied());
      // Listen first, then dispatch, so an answer given at once is not missed.
      return merge(
        outcome$,
        defer(() => {
          store.dispatch(actions.loginAgain());
          return EMPTY;
        }),
      ).pipe(take(1));
    }),
  );
}

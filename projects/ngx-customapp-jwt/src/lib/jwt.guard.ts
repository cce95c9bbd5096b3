import { Injectable, Injector, inject, runInInjectionContext } from '@angular/core';
import { type ActivatedRouteSnapshot, type CanActivate, Router, type RouterStateSnapshot, type UrlTree } from '@angular/router';
import { Actions } from '@ngrx/effects';
import { type Action, type ActionCreator, Store } from '@ngrx/store';
import { type Observable, EMPTY, catchError, defer, filter, map, merge, of, switchMap, take, throwError } from 'rxjs';
import { NoFreshJwtError } from './errors';
import { createJwtActions } from './jwt-actions';
import { jwtFeature } from './jwt-feature';
import { jwtInfoOf } from './jwt-group';
import { JwtService } from './jwt.service';
import { NoFreshJwtNotice } from './no-fresh-jwt-notice';
import { RESOLVED_JWT_CONFIG } from './tokens';

/**
 * Lets a route through when someone is logged in. After a reload, when a session is stored but not
 * yet checked, it dispatches `loginAgain` and waits for the outcome (it also waits for a login or
 * login-again already under way). Otherwise it answers `loginUrl` (as a redirect) or `false`.
 * Works as `canActivate`, `canActivateChild` and `canMatch`.
 *
 * With a 1.2.x `LegacyJwtConfig` that has `jwtGuard`, it dispatches `loginAgain({ credentials:
 * jwtToCredentials(accessToken) })` and waits for `actionAppReady` / `actionAppNotReady`; the
 * `NoFreshJwtListener` is told when it answers `false` and `callWhen.guardNotFoundJwt` is set.
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
  const notice = inject(NoFreshJwtNotice);
  const { loginUrl, guard } = inject(RESOLVED_JWT_CONFIG);
  const actions = createJwtActions();
  const ready: ActionCreator[] = [guard?.appReady ?? actions.loginAgainSucceed, actions.loginSucceed];
  const notReady: ActionCreator[] = [guard?.appNotReady ?? actions.loginAgainErrored, actions.loginErrored];
  const denied = (why: string): boolean | UrlTree => {
    notice.notify('guardNotFoundJwt', `JwtGuard: ${why}`);
    return loginUrl === null ? false : router.parseUrl(loginUrl);
  };

  const ends = (creators: ActionCreator[], action: Action) => creators.some(({ type }) => type === action.type);
  const outcome$ = actions$.pipe(
    filter((action: Action) => ends(ready, action) || ends(notReady, action)),
    take(1),
    map((action) => (ends(ready, action) ? true : denied(`logging in again ended with ${action.type}.`))),
  );
  // Listen first, then dispatch, so an answer given at once is not missed.
  const loginAgain = (credentials?: unknown) =>
    merge(
      outcome$,
      defer(() => {
        store.dispatch(actions.loginAgain(credentials === undefined ? {} : { credentials }));
        return EMPTY;
      }),
    ).pipe(take(1));

  return store.select(jwtFeature.selectJwtState).pipe(
    take(1),
    switchMap((state) => {
      if (state.loginAgainInProcess || state.loginInProcess) return outcome$;
      if (state.user != null && jwt.isLoggedIn) return of(true);
      if (!jwt.isLoggedIn) return of(denied('nobody is logged in.'));
      if (!guard) return loginAgain();
      return jwt.freshJwt().pipe(
        switchMap((token) => loginAgain(guard.credentialsFor(jwt.jwt?.accessToken ?? jwtInfoOf(token)))),
        catchError((error: unknown) =>
          error instanceof NoFreshJwtError ? of(denied(`no fresh token: ${error.message}`)) : throwError(() => error),
        ),
      );
    }),
  );
}

/**
 * `jwtGuard` as the class 1.2.x put in `canActivate`.
 *
 * @deprecated Use `jwtGuard` (a functional guard) instead; see MIGRATION.md.
 * @example
 * { path: 'main', component: ShellComponent, canActivate: [JwtGuard] }
 */
@Injectable({ providedIn: 'root' })
export class JwtGuard<Credentials = unknown, AuthResponse = unknown, UserInfo = unknown> implements CanActivate {
  private readonly injector = inject(Injector);

  canActivate(
    // Unused, as in 1.2.x: the guard reads the session, not the route.
    _route: ActivatedRouteSnapshot,
    _state: RouterStateSnapshot,
  ): Observable<boolean | UrlTree> | Promise<boolean | UrlTree> | boolean | UrlTree {
    return runInInjectionContext(this.injector, jwtGuard);
  }
}

import { createAction, props } from '@ngrx/store';
import type { RecoveryOutcome, SocketState, StreamRecovery } from 'customapp-rxjs-websocket';
import type { SocketStatus } from './socket-status';

/**
 * The source of every action of this package: their types read
 * `[ngx-customapp-pattern-auth-before-socket] init sockets`, …
 *
 * @example
 * const fromSockets = (action: Action) => action.type.startsWith(`[${SOCKETS_ACTIONS_SOURCE}]`);
 */
export const SOCKETS_ACTIONS_SOURCE = 'ngx-customapp-pattern-auth-before-socket';

/**
 * Opens every socket of the chain (closing open ones first). Dispatched by the package after
 * `loginSucceed`, `loginAgainSucceed`, `loginAsSucceed` and a `logoutSucceed` that restored the master;
 * dispatch it yourself to retry after `initSocketsErrored`.
 *
 * @example
 * store.dispatch(initSockets());
 */
export const initSockets = createAction('[ngx-customapp-pattern-auth-before-socket] init sockets');

/**
 * Every socket of the chain is subscribed.
 *
 * @example
 * actions$.pipe(ofType(initSocketsSucceed));
 */
export const initSocketsSucceed = createAction('[ngx-customapp-pattern-auth-before-socket] init sockets succeed');

/**
 * The sockets could not be initialized (every socket was closed again); `error` is a readable reason.
 * The user is logged in but has no sockets: suggest logging in again.
 *
 * @example
 * actions$.pipe(ofType(initSocketsErrored), tap(({ error }) => snackBar.open(error)));
 */
export const initSocketsErrored = createAction(
  '[ngx-customapp-pattern-auth-before-socket] init sockets errored',
  props<{ error: string }>(),
);

/**
 * Closes every socket. Dispatched by the package after a full `logoutSucceed`.
 *
 * @example
 * store.dispatch(closeSockets());
 */
export const closeSockets = createAction('[ngx-customapp-pattern-auth-before-socket] close sockets');

/**
 * Every socket is closed.
 *
 * @example
 * actions$.pipe(ofType(closeSocketsFinished));
 */
export const closeSocketsFinished = createAction('[ngx-customapp-pattern-auth-before-socket] close sockets finished');

/**
 * Used to make an authorization and a socket initialization an atomic action.
 * Is dispatched when BOTH the login action and the initSockets action succeed.
 *
 * @example
 * actions$.pipe(ofType(loginAndInitSocketsSucceed), tap(() => router.navigateByUrl('/')));
 */
export const loginAndInitSocketsSucceed = createAction(
  '[ngx-customapp-pattern-auth-before-socket] login and init sockets succeed',
);

/**
 * Used to make an authorization and a socket initialization an atomic action.
 * Is dispatched when either the login action OR the initSockets action errored.
 *
 * @example
 * actions$.pipe(ofType(loginAndInitSocketsErrored), tap(({ error }) => form.setErrors({ server: error })));
 */
export const loginAndInitSocketsErrored = createAction(
  '[ngx-customapp-pattern-auth-before-socket] login and init sockets errored',
  props<{ error: string }>(),
);

/**
 * Used to make an authorization and a socket initialization an atomic action.
 * Is dispatched when BOTH the loginAs action and the initSockets action succeed.
 *
 * @example
 * actions$.pipe(ofType(loginAsAndInitSocketsSucceed), tap(() => router.navigateByUrl('/')));
 */
export const loginAsAndInitSocketsSucceed = createAction(
  '[ngx-customapp-pattern-auth-before-socket] login as and init sockets succeed',
);

/**
 * Used to make an authorization and a socket initialization an atomic action.
 * Is dispatched when either the loginAs action OR the initSockets action errored.
 *
 * @example
 * actions$.pipe(ofType(loginAsAndInitSocketsErrored), tap(({ error }) => snackBar.open(error)));
 */
export const loginAsAndInitSocketsErrored = createAction(
  '[ngx-customapp-pattern-auth-before-socket] login as and init sockets errored',
  props<{ error: string }>(),
);

/**
 * Used to make an authorization and a socket initialization an atomic action.
 * Is dispatched when BOTH the loginAgain action and the initSockets action succeed.
 *
 * @example
 * actions$.pipe(ofType(loginAgainAndInitSocketsSucceed), tap(() => splash.hide()));
 */
export const loginAgainAndInitSocketsSucceed = createAction(
  '[ngx-customapp-pattern-auth-before-socket] login again and init sockets succeed',
);

/**
 * Used to make an authorization and a socket initialization an atomic action.
 * Is dispatched when either the loginAgain action OR the initSockets action errored.
 *
 * @example
 * actions$.pipe(ofType(loginAgainAndInitSocketsErrored), tap(() => router.navigateByUrl('/login')));
 */
export const loginAgainAndInitSocketsErrored = createAction(
  '[ngx-customapp-pattern-auth-before-socket] login again and init sockets errored',
  props<{ error: string }>(),
);

/**
 * A socket's controller moved to another state. Dispatched by the package for every move; the
 * reducer keeps it for the selectors.
 *
 * @example
 * actions$.pipe(ofType(socketStateChanged), filter(({ status }) => status === 'reconnecting'));
 */
export const socketStateChanged = createAction(
  '[ngx-customapp-pattern-auth-before-socket] socket state changed',
  props<{ socketId: string; state: SocketState; status: SocketStatus }>(),
);

/**
 * A socket reported a failure (a drop, a refusal, an unreadable frame); `error` is readable.
 *
 * @example
 * actions$.pipe(ofType(socketErrored), tap(({ socketId, error }) => log.warn(socketId, error)));
 */
export const socketErrored = createAction(
  '[ngx-customapp-pattern-auth-before-socket] socket errored',
  props<{ socketId: string; error: string }>(),
);

/**
 * A socket stopped for good outside `closeSockets`/a logout: the server logged its session out
 * (`code` 4440/4441 on the e2e-server), refused its auth, or it gave up reconnecting. Send the user to
 * the login page, or dispatch `initSockets()` to retry.
 *
 * @example
 * actions$.pipe(ofType(socketClosedForever), tap(() => router.navigateByUrl('/login')));
 */
export const socketClosedForever = createAction(
  '[ngx-customapp-pattern-auth-before-socket] socket closed forever',
  props<{ socketId: string; error: string; code?: number }>(),
);

/**
 * A socket came back from a reconnect with its subscriptions resumed (the controller's `recovery`
 * option): `'recovered'`, the pushes missed during the outage follow (`replayed` of them); `'resynced'`,
 * they could not be given, so what the app holds of those streams must be replaced (the server sends
 * the state again) or fetched again. `streams` says it per stream. Dispatched before the socket's
 * status is `live` again; the reducer keeps it for `selectSocketRecovery`.
 *
 * @example
 * actions$.pipe(ofType(socketRecovered), filter(({ outcome }) => outcome === 'resynced'), map(() => reloadMenu()));
 */
export const socketRecovered = createAction(
  '[ngx-customapp-pattern-auth-before-socket] socket recovered',
  props<{ socketId: string; outcome: RecoveryOutcome; replayed: number; streams: readonly StreamRecovery[] }>(),
);

import {
  EMPTY,
  type Observable,
  catchError,
  defer,
  distinctUntilChanged,
  filter,
  ignoreElements,
  map,
  merge,
  pairwise,
  share,
  switchMap,
  timer,
} from 'rxjs';
import { decodeJwtPayload } from './jwt-decode';
import type { JwtClock } from './jwt-clock';
import type { JwtSessions, JwtTokens } from './jwt-session';

/** When the access token expires, in epoch ms: its `exp` claim, else the expiry the server stated; `null` when unknown. */
export function accessTokenExpiresAt(tokens: JwtTokens): number | null {
  const exp = decodeJwtPayload(tokens.accessToken)?.exp;
  if (typeof exp === 'number' && Number.isFinite(exp)) return exp * 1000;
  return tokens.expiresAt === undefined ? null : tokens.expiresAt * 1000;
}

/**
 * When the access token falls due for renewal, in epoch ms: `skewSeconds` before it expires, or
 * halfway through its life when that is later (a token of 3 s is renewed 1.5 s before it expires,
 * not at every call). The life is known from the token's `iat` claim; `null` when the expiry is unknown.
 */
export function renewalDueAt(tokens: JwtTokens, skewSeconds: number): number | null {
  const expiresAt = accessTokenExpiresAt(tokens);
  if (expiresAt === null) return null;
  const iat = decodeJwtPayload(tokens.accessToken)?.iat;
  const lifetime = typeof iat === 'number' && Number.isFinite(iat) ? expiresAt - iat * 1000 : Infinity;
  return expiresAt - Math.min(skewSeconds * 1000, Math.max(0, lifetime / 2));
}

/** The longest a timer waits before it looks at the clock again (setTimeout cannot wait past ~24.8 days). */
const LONGEST_WAIT_MS = 24 * 60 * 60 * 1000;

/**
 * The shortest time between two proactive refreshes: a server that answers a refresh with a token
 * already due must not make the renewal loop.
 */
const SHORTEST_GAP_MS = 1000;

/** What proactive renewal needs of `JwtService`. */
export interface RenewalSource {
  /** Every change of the sessions, the current ones first. */
  readonly sessions$: Observable<JwtSessions<unknown>>;
  /** Tokens that a refresh of the current session gave (its own single-flight refresh). */
  readonly refreshed$: Observable<string>;
  readonly clock: JwtClock;
  readonly skewSeconds: number;
  /** A fresh token: refreshes (single-flight) when the current one is due. */
  fresh(): Observable<string>;
}

/**
 * The renewed access tokens of the current session, renewing them proactively while subscribed: a
 * timer per token refreshes it when it falls due (`renewalDueAt`), and every access token that
 * renews the session is emitted once — from that refresh, from any other refresh of the session, or
 * adopted from another tab that refreshed it. A login, a logout or a login-as is not a renewal. Shared:
 * one timer and one refresh for every subscriber; a failed refresh ends the session (as for
 * `freshJwt()`) and the stream waits for the next one. Never errors.
 */
export function proactiveRenewals(source: RenewalSource): Observable<string> {
  let lastRenewal = -Infinity;
  const renewWhenDue = (tokens: JwtTokens): Observable<never> =>
    defer(() => {
      const dueAt = renewalDueAt(tokens, source.skewSeconds);
      if (dueAt === null) return EMPTY;
      const now = source.clock.now();
      const wait = Math.max(dueAt, lastRenewal + SHORTEST_GAP_MS) - now;
      if (wait > 0) return timer(Math.min(wait, LONGEST_WAIT_MS)).pipe(switchMap(() => renewWhenDue(tokens)));
      lastRenewal = now;
      // The refresh replaces the tokens, which ends this timer and starts the next token's.
      return source.fresh().pipe(
        ignoreElements(),
        catchError(() => EMPTY),
      );
    });
  const timers$ = source.sessions$.pipe(
    map(({ current }) => current?.tokens ?? null),
    distinctUntilChanged(),
    switchMap((tokens) => (tokens ? renewWhenDue(tokens) : EMPTY)),
  );
  // Another tab's refresh, followed: the same people (their user objects kept), other tokens.
  const adopted$ = source.sessions$.pipe(
    pairwise(),
    filter(
      ([before, after]) =>
        !!before.current &&
        !!after.current &&
        before.current.user !== null &&
        after.current.user === before.current.user &&
        after.stack.length === before.stack.length &&
        after.current.tokens.accessToken !== before.current.tokens.accessToken,
    ),
    map(([, after]) => (after.current as NonNullable<typeof after.current>).tokens.accessToken),
  );
  return merge(source.refreshed$, adopted$, timers$).pipe(distinctUntilChanged(), share());
}

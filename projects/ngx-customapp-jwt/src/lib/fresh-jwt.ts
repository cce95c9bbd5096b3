import type { Observable } from 'rxjs';
import type { JwtGroup, JwtInfo } from './jwt-group';

/**
 * `JwtService.freshJwt`: ours with options (a token string, or `NoFreshJwtError`), or 1.2.x's with a
 * boolean (the tokens as a `JwtGroup`, or `undefined`).
 */
export interface FreshJwt {
  /**
   * 1.2.x: emits the current tokens (refreshed first when needed), or `undefined` when none can be
   * had; never errors. Unless `doNotCallNoFreshJwt`, the 1.2.x `NoFreshJwtListener` is then called
   * (when any of its `callWhen` flags is set).
   *
   * @deprecated Use `freshJwt()` (a token, or `NoFreshJwtError`) instead; see MIGRATION.md.
   */
  (doNotCallNoFreshJwt: boolean): Observable<JwtGroup<JwtInfo> | undefined>;
  /**
   * Emits a usable access token once and completes: the current one, or — when it falls due (it
   * expires within `skewSeconds`, or, living less than twice that, is past half its life), or when it is the `rejectedToken` a
   * server just refused as expired — a refreshed one. Concurrent callers share one refresh. Errors with `NoFreshJwtError` when nobody is logged in
   * or the refresh fails (the session then ends).
   *
   * @example
   * jwt.freshJwt().pipe(switchMap((token) => http.get(url, { headers: { Authorization: `Bearer ${token}` } })));
   * // a socket closed with "token expired": get a token other than the one it used
   * jwt.freshJwt({ rejectedToken: tokenTheSocketUsed });
   */
  (options?: { rejectedToken?: string }): Observable<string>;
}

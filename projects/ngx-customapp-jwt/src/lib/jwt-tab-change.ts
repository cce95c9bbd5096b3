import { decodeJwtPayload } from './jwt-decode';
import type { JwtSession, JwtSessions } from './jwt-session';

/**
 * What another tab did to the stored session, once this tab has followed it (`JwtService` has the
 * other tab's tokens by then). `JwtService.otherTabChanges$` emits it and the package's effects turn
 * it into actions:
 *
 * - `'logged-out'`: nobody is logged in any more (a full logout there, or storage data this tab cannot
 *   read) → `setUser(null)`, `logoutSucceed({ fromAllDevices: false, restoredMaster: false })`.
 * - `'restored-master'`: a login-as ended there and a user below is current again (`levels` says how
 *   many login-as levels ended) → `unstashUser` (or `setUser` with the stack for more than one level),
 *   `logoutSucceed({ fromAllDevices: false, restoredMaster: true })`.
 * - `'logged-in'`: someone else is current: a login, a login as another user, or a login-as → `setUser`
 *   with the stack, `loginAgainSucceed`.
 * - `'user-updated'`: the same people, but a user's stored data changed (a refresh there read an
 *   updated user) → `setUser` with the stack only.
 *
 * Tokens refreshed by another tab, the users unchanged, give no change at all: they are adopted silently.
 *
 * @example
 * jwt.otherTabChanges$.pipe(filter(({ kind }) => kind === 'logged-out')).subscribe(() => notice.show('Signed out in another tab.'));
 */
export type JwtTabChange<UserInfo = unknown> =
  | { readonly kind: 'logged-out' }
  | { readonly kind: 'restored-master'; readonly user: UserInfo | null; readonly stashedUsers: readonly UserInfo[]; readonly levels: number }
  | { readonly kind: 'logged-in'; readonly user: UserInfo | null; readonly stashedUsers: readonly UserInfo[] }
  | { readonly kind: 'user-updated'; readonly user: UserInfo | null; readonly stashedUsers: readonly UserInfo[] };

/**
 * What this tab does when another tab stored `next` while this one holds `previous`: the sessions to
 * hold from now on (`null`: nothing to change) and the change to report (`null`: none). When only
 * tokens differ, the other tab's tokens are taken with this tab's user objects, so `user$` stays quiet.
 */
export function followTab<UserInfo>(
  previous: JwtSessions<UserInfo>,
  next: JwtSessions<UserInfo>,
): { readonly sessions: JwtSessions<UserInfo> | null; readonly change: JwtTabChange<UserInfo> | null } {
  const change = tabChange(previous, next);
  if (change) return { sessions: next, change };
  if (!next.current || !previous.current || tokensOf(next) === tokensOf(previous)) return { sessions: null, change: null };
  const sessions: JwtSessions<UserInfo> = {
    current: { tokens: next.current.tokens, user: previous.current.user },
    stack: next.stack.map(({ tokens }, i) => ({ tokens, user: previous.stack[i].user })),
  };
  return { sessions, change: null };
}

/**
 * How `next` differs from `previous` for the people in them, or `null` when only tokens differ.
 * A session is the same person when its access token's `sub` claim is the same; for tokens without
 * one (opaque tokens), when its user's JSON is.
 */
function tabChange<UserInfo>(previous: JwtSessions<UserInfo>, next: JwtSessions<UserInfo>): JwtTabChange<UserInfo> | null {
  const before = chain(previous);
  const after = chain(next);
  if (!next.current) return before.length === 0 ? null : { kind: 'logged-out' };
  const user = next.current.user;
  const stashedUsers = next.stack.map((session) => session.user);
  const samePeople = (length: number) => after.slice(0, length).every((session, i) => identity(session) === identity(before[i]));
  if (after.length === before.length && samePeople(after.length)) {
    const sameData = after.every((session, i) => JSON.stringify(session.user) === JSON.stringify(before[i].user));
    return sameData ? null : { kind: 'user-updated', user, stashedUsers };
  }
  if (after.length < before.length && samePeople(after.length)) {
    return { kind: 'restored-master', user, stashedUsers, levels: before.length - after.length };
  }
  return { kind: 'logged-in', user, stashedUsers };
}

function tokensOf({ current, stack }: JwtSessions<unknown>): string {
  return JSON.stringify(chain({ current, stack }).map(({ tokens }) => [
    tokens.accessToken,
    tokens.refreshToken,
    tokens.expiresAt ?? null,
    tokens.refreshExpiresAt ?? null,
  ]));
}

/**
 * The sessions of `previous` that go on in `followed` (what this tab now holds after following another
 * tab's write), each paired with what it became: all of them when only tokens or users changed, the
 * master's side when a login-as ended; none for a login or a logout.
 */
export function continuedSessions<UserInfo>(
  previous: JwtSessions<UserInfo>,
  followed: JwtSessions<UserInfo>,
  change: JwtTabChange<UserInfo> | null,
): readonly (readonly [JwtSession<UserInfo | null>, JwtSession<UserInfo | null>])[] {
  if (change !== null && change.kind !== 'user-updated' && change.kind !== 'restored-master') return [];
  const before = chain(previous);
  return chain(followed)
    .slice(0, before.length)
    .map((session, i) => [before[i], session] as const);
}

/** The sessions from the master's up to the current one; empty when nobody is logged in. */
function chain<UserInfo>({ current, stack }: JwtSessions<UserInfo>): readonly JwtSession<UserInfo | null>[] {
  return current ? [...stack, current] : [];
}

function identity(session: JwtSession<unknown>): string {
  const sub = decodeJwtPayload(session.tokens.accessToken)?.sub;
  return typeof sub === 'string' ? `sub:${sub}` : `user:${JSON.stringify(session.user)}`;
}

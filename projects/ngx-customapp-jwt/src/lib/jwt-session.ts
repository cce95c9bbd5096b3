import { jwtTokensOf } from './jwt-group';

/**
 * The tokens of one session, as the package keeps them.
 *
 * @example
 * const tokens: JwtTokens = { accessToken: response.jwt, refreshToken: response.refresh };
 */
export interface JwtTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  /**
   * When the access token expires, seconds since the epoch, if the server says so. Used only when
   * the access token has no `exp` claim of its own (an opaque token).
   */
  readonly expiresAt?: number;
  /**
   * When the refresh token expires, seconds since the epoch, if the server says so. Used only when
   * the refresh token has no `exp` claim of its own.
   */
  readonly refreshExpiresAt?: number;
}

/** One logged-in session: its tokens and its user. */
export interface JwtSession<UserInfo> {
  readonly tokens: JwtTokens;
  readonly user: UserInfo;
}

/**
 * Everything the package keeps: the current session and, below it, the sessions of the users who
 * logged in as someone else (the master first, the latest last). The current session's user is
 * `null` while it is not known: tokens stored by 1.2.x, or set with `JwtService.setJwt()`, until a
 * `loginAgain({ credentials })` reads the user. A session without a user never goes onto the stack.
 */
export interface JwtSessions<UserInfo> {
  readonly current: JwtSession<UserInfo | null> | null;
  readonly stack: readonly JwtSession<UserInfo>[];
}

/** Nobody logged in. */
export const NO_SESSIONS: JwtSessions<never> = { current: null, stack: [] };

/** The version of the stored format; anything else in storage is discarded. */
const STORED_VERSION = 1;

interface StoredSessions {
  readonly v: typeof STORED_VERSION;
  readonly tokens: JwtTokens;
  readonly user: unknown;
  readonly stack: readonly { readonly tokens: JwtTokens; readonly user: unknown }[];
}

/** The stored form of the sessions, or `null` when nobody is logged in (the key is then removed). */
export function serializeSessions<UserInfo>(sessions: JwtSessions<UserInfo>): string | null {
  if (!sessions.current) return null;
  const stored: StoredSessions = {
    v: STORED_VERSION,
    tokens: sessions.current.tokens,
    user: sessions.current.user,
    stack: sessions.stack,
  };
  return JSON.stringify(stored);
}

/**
 * Reads what `serializeSessions` wrote, or the tokens 1.2.x stored (a `JwtGroup<JwtInfo>`, read as
 * a session whose user is not known yet). Returns `null` for anything else — not JSON, another
 * version, another app's data under the same key, a user the app's `isUserInfo` rejects — so the
 * caller can discard it; never throws.
 */
export function parseSessions<UserInfo>(
  raw: string,
  isUserInfo: (value: unknown) => boolean,
): JwtSessions<UserInfo> | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isRecord(value)) return null;
  if (value['v'] === undefined) return parseStoredGroup(value);
  if (value['v'] !== STORED_VERSION || !Array.isArray(value['stack'])) return null;
  const current = parseSession<UserInfo>(value, isUserInfo, { userMayBeNull: true });
  const stack = (value['stack'] as unknown[]).map((entry) => (isRecord(entry) ? parseSession<UserInfo>(entry, isUserInfo) : null));
  if (!current || stack.some((entry) => entry === null)) return null;
  return { current, stack: stack as JwtSession<UserInfo>[] };
}

/** 1.2.x stored `JSON.stringify(jwtGroup)`: `{ accessToken: { token, expiresAt }, refreshToken: { token, expiresAt } }`. */
function parseStoredGroup(value: Record<string, unknown>): JwtSessions<never> | null {
  const info = (entry: unknown) =>
    isRecord(entry) && typeof entry['token'] === 'string' && typeof entry['expiresAt'] === 'number'
      ? { token: entry['token'], expiresAt: entry['expiresAt'] }
      : undefined;
  const tokens = jwtTokensOf({ accessToken: info(value['accessToken']), refreshToken: info(value['refreshToken']) });
  return tokens ? { current: { tokens, user: null }, stack: [] } : null;
}

function parseSession<UserInfo>(
  value: Record<string, unknown>,
  isUserInfo: (value: unknown) => boolean,
  { userMayBeNull = false } = {},
): JwtSession<UserInfo> | null {
  const tokens = value['tokens'];
  if (!isRecord(tokens)) return null;
  const { accessToken, refreshToken, expiresAt, refreshExpiresAt } = tokens;
  if (typeof accessToken !== 'string' || !accessToken || typeof refreshToken !== 'string' || !refreshToken) return null;
  if (expiresAt !== undefined && typeof expiresAt !== 'number') return null;
  if (refreshExpiresAt !== undefined && typeof refreshExpiresAt !== 'number') return null;
  const user = value['user'];
  if (user === null ? !userMayBeNull : user === undefined || !isUserInfo(user)) return null;
  return {
    tokens: {
      accessToken,
      refreshToken,
      ...(expiresAt === undefined ? {} : { expiresAt }),
      ...(refreshExpiresAt === undefined ? {} : { refreshExpiresAt }),
    },
    user: user as UserInfo,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

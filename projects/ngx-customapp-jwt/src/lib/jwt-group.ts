import { jwtExpiresAt } from './jwt-decode';
import type { JwtTokens } from './jwt-session';

/**
 * One token and when it expires, as the 1.2.x API hands tokens around (`JwtService.jwt`,
 * `setJwt`, the 1.2.x `JwtApi` and `authResponseToJwt`).
 *
 * @example
 * const access: JwtInfo = { token: response.accessToken, expiresAt: Date.parse(response.accessExpiresAt) };
 */
export interface JwtInfo {
  token: string;
  /**
   * When the token expires, milliseconds since the epoch. `Infinity` when nothing says (an opaque
   * token without an `expiresAt` from the server).
   */
  expiresAt: number;
}

/**
 * The tokens of a session in the 1.2.x shape: both optional, each of the `JwtInfoType` you choose
 * (`JwtInfo` everywhere in this package).
 *
 * @example
 * const jwt: JwtGroup<JwtInfo> | undefined = inject(JwtService).jwt;
 * const header = jwt?.accessToken ? `Bearer ${jwt.accessToken.token}` : undefined;
 */
export interface JwtGroup<JwtInfoType = JwtInfo> {
  accessToken?: JwtInfoType;
  refreshToken?: JwtInfoType;
}

/**
 * A token as a `JwtInfo`: its expiry comes from its `exp` claim, else from `statedExpiresAt`
 * (seconds, what the server said), else `Infinity`.
 */
export function jwtInfoOf(token: string, statedExpiresAt?: number): JwtInfo {
  return { token, expiresAt: jwtExpiresAt(token) ?? (statedExpiresAt === undefined ? Infinity : statedExpiresAt * 1000) };
}

/** The tokens of a session as a `JwtGroup` (see `jwtInfoOf` for the expiries). */
export function jwtGroupOf(tokens: JwtTokens): { accessToken: JwtInfo; refreshToken: JwtInfo } {
  return {
    accessToken: jwtInfoOf(tokens.accessToken, tokens.expiresAt),
    refreshToken: jwtInfoOf(tokens.refreshToken, tokens.refreshExpiresAt),
  };
}

/**
 * The session tokens of a `JwtGroup`, or `null` when it lacks either token (1.2.x kept no session
 * then either). Expiries are kept (in seconds, as `JwtTokens` counts) when they are finite.
 */
export function jwtTokensOf(group: JwtGroup<JwtInfo> | undefined | null): JwtTokens | null {
  const access = group?.accessToken;
  const refresh = group?.refreshToken;
  if (typeof access?.token !== 'string' || !access.token || typeof refresh?.token !== 'string' || !refresh.token) return null;
  return {
    accessToken: access.token,
    refreshToken: refresh.token,
    ...(Number.isFinite(access.expiresAt) ? { expiresAt: access.expiresAt / 1000 } : {}),
    ...(Number.isFinite(refresh.expiresAt) ? { refreshExpiresAt: refresh.expiresAt / 1000 } : {}),
  };
}

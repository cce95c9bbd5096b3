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

/** The tokens of a session as a `JwtGroup`; an expiry comes from the token's `exp`, else from what the server said. */
export function jwtGroupOf(tokens: JwtTokens): JwtGroup<JwtInfo> {
  const accessExpiresAt = jwtExpiresAt(tokens.accessToken) ?? (tokens.expiresAt === undefined ? Infinity : tokens.expiresAt * 1000);
  const refreshExpiresAt =
    jwtExpiresAt(tokens.refreshToken) ?? (tokens.refreshExpiresAt === undefined ? Infinity : tokens.refreshExpiresAt * 1000);
  return {
    accessToken: { token: tokens.accessToken, expiresAt: accessExpiresAt },
    refreshToken: { token: tokens.refreshToken, expiresAt: refreshExpiresAt },
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

/**
 * The registered claims this package reads, plus whatever else the token carries.
 *
 * @example
 * const actingAdmin = decodeJwtPayload(token)?.['act'];
 */
export interface JwtPayload {
  readonly sub?: string;
  /** Expiry, seconds since the epoch. */
  readonly exp?: number;
  /** Issued at, seconds since the epoch. */
  readonly iat?: number;
  readonly [claim: string]: unknown;
}

/**
 * Reads the payload of a JWT (the base64url JSON between the two dots). The signature is not
 * verified: a client cannot, and need not, since the server checks every token it receives.
 * Returns `null` for anything that is not a JWT with a JSON object payload.
 *
 * @example
 * decodeJwtPayload(jwt.accessToken ?? '')?.sub; // 'u-admin'
 */
export function decodeJwtPayload(token: string): JwtPayload | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const binary = atob(padded);
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    const payload: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as JwtPayload) : null;
  } catch {
    return null;
  }
}

/**
 * When a JWT expires, in milliseconds since the epoch, from its `exp` claim; `null` when the token
 * is not a JWT or has no numeric `exp`.
 *
 * @example
 * const expiresAt = jwtExpiresAt(token); // 1767225600000
 */
export function jwtExpiresAt(token: string): number | null {
  const exp = decodeJwtPayload(token)?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : null;
}

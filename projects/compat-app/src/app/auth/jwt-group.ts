import type { JwtGroup, JwtInfo } from 'ngx-customapp-jwt';
import type { AuthResponse } from './auth.models';

/** The `exp` claim of a JWT, in epoch ms (0 when it cannot be read). */
function expiryOf(token: string): number {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const exp = (JSON.parse(atob(payload)) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : 0;
  } catch {
    return 0;
  }
}

/** The tokens of a login, refresh or login-as answer, as the session keeps them. */
export function toJwtGroup(response: AuthResponse): JwtGroup<JwtInfo> {
  return {
    accessToken: { token: response.accessToken, expiresAt: response.expiresAt * 1000 },
    refreshToken: { token: response.refreshToken, expiresAt: expiryOf(response.refreshToken) },
  };
}

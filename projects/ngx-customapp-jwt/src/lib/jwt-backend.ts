import type { ObservableInput } from 'rxjs';
import type { JwtApi } from './jwt-api';
import type { JwtInfo } from './jwt-group';
import type { ResolvedJwtConfig } from './resolved-jwt-config';

/**
 * The app's `JwtApi` as `JwtService` calls it, tokens given as `JwtInfo`: passed on as they are to a
 * 1.2.x implementation, as their `token` string to ours.
 */
export interface JwtBackend<Credentials, AuthResponse, UserId> {
  login(credentials: Credentials): ObservableInput<AuthResponse>;
  /** Answers an auth response (ours) or a `JwtGroup<JwtInfo>` (1.2.x): `ResolvedJwtConfig.tokensFromRefresh` reads either. */
  refresh(refreshToken: JwtInfo): ObservableInput<unknown>;
  logout(accessToken: JwtInfo, fromAllDevices: boolean): ObservableInput<unknown>;
  /** `null` when the app's `JwtApi` has no `loginAs`. */
  loginAs(): ((masterAccessToken: JwtInfo, userId: UserId) => ObservableInput<AuthResponse>) | null;
}

export function jwtBackend<Credentials, AuthResponse, UserId>(
  api: JwtApi<Credentials, AuthResponse, UserId>,
  takes: ResolvedJwtConfig['apiTakes'],
): JwtBackend<Credentials, AuthResponse, UserId> {
  const token = (info: JwtInfo): string | JwtInfo => (takes === 'jwt-info' ? info : info.token);
  return {
    login: (credentials) => api.login(credentials),
    refresh: (refreshToken) => api.refresh(token(refreshToken)),
    logout: (accessToken, fromAllDevices) => api.logout(token(accessToken), fromAllDevices),
    loginAs: () => {
      const loginAs = api.loginAs;
      return loginAs ? (masterAccessToken, userId) => loginAs.call(api, token(masterAccessToken), userId) : null;
    },
  };
}

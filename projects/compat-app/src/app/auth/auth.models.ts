/** What the login form sends to `POST /api/auth/login`. */
export interface Credentials {
  login: string;
  password: string;
}

export type Role = 'ADMIN' | 'MANAGER' | 'VIEWER';

/** A user as the HTTP API describes one. */
export interface UserInfo {
  id: string;
  login: string;
  name: string;
  role: Role;
}

/** The answer of login, refresh and login-as. */
export interface AuthResponse {
  accessToken: string;
  refreshToken: string;
  /** The access token's expiry, in seconds since the epoch. */
  expiresAt: number;
  user: UserInfo;
  /** The admin acting as `user`, on a login-as answer. */
  actingUser?: UserInfo;
}

import { createJwtActions, createJwtFeature } from 'ngx-customapp-jwt';

/** What the login form sends to `POST /api/auth/login`. */
export interface Credentials {
  readonly login: string;
  readonly password: string;
}

export type Role = 'ADMIN' | 'MANAGER' | 'VIEWER';

/** A user as the HTTP API describes them. */
export interface User {
  readonly id: string;
  readonly login: string;
  readonly name: string;
  readonly role: Role;
}

/** The answer of login, refresh and login-as. */
export interface AuthResponse {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresAt: number;
  readonly user: User;
  /** Set on a login-as: the admin acting as `user`. */
  readonly actingUser?: User;
}

/** The ngx-customapp-jwt actions, typed for this app. */
export const authActions = createJwtActions<Credentials, AuthResponse, User, string>();

/** The ngx-customapp-jwt state and its selectors (user, login-as depth, progress flags, error). */
export const authFeature = createJwtFeature(authActions);

/** Whether a value read back from storage is still a user of this app. */
export function isUser(value: unknown): value is User {
  if (typeof value !== 'object' || value === null) return false;
  const user = value as Record<string, unknown>;
  return (
    typeof user['id'] === 'string' &&
    typeof user['login'] === 'string' &&
    typeof user['name'] === 'string' &&
    (user['role'] === 'ADMIN' || user['role'] === 'MANAGER' || user['role'] === 'VIEWER')
  );
}

/** How the app names a role. */
export function roleLabel(role: Role): string {
  return role === 'ADMIN' ? 'Admin' : role === 'MANAGER' ? 'Manager' : 'Viewer';
}

/** Whether the role may add, rename and delete categories (the server enforces it too). */
export function canEditMenu(role: Role | undefined): boolean {
  return role === 'ADMIN' || role === 'MANAGER';
}

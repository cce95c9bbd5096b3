import { createJwtActions, createJwtFeature } from 'ngx-customapp-jwt';

export interface Credentials {
  readonly login: string;
  readonly password: string;
}

export interface User {
  readonly id: string;
  readonly login: string;
  readonly name: string;
  readonly role: 'ADMIN' | 'MANAGER' | 'VIEWER';
}

export interface AuthResponse {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresAt: number;
  readonly user: User;
}

export const authActions = createJwtActions<Credentials, AuthResponse, User, string>();

export const authFeature = createJwtFeature(authActions);

export function isUser(value: unknown): value is User {
  if (typeof value !== 'object' || value === null) return false;
  const user = value as Record<string, unknown>;
  return typeof user['id'] === 'string' && typeof user['login'] === 'string' && typeof user['name'] === 'string';
}

// The workspaces of the `register` dialect: which users have which, for events and chat rooms.
import type { User } from '../users.js';

/** Every user has `ws-common` and `ws-personal-<id>`; MANAGER and ADMIN `ws-managers`; ADMIN `ws-admin`. */
export function workspacesOf(user: User): string[] {
  return [
    'ws-common',
    ...(user.role === 'ADMIN' ? ['ws-admin'] : []),
    ...(user.role === 'ADMIN' || user.role === 'MANAGER' ? ['ws-managers'] : []),
    `ws-personal-${user.id}`,
  ];
}

export function hasWorkspace(user: User, workspace: string): boolean {
  return workspacesOf(user).includes(workspace);
}

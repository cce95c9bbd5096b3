// The seeded users and their passwords. Users never change at run time, so this is a fixed list.
import { createHash, timingSafeEqual } from 'node:crypto';
import { api } from '../generated/api.js';

export type RoleName = 'ADMIN' | 'MANAGER' | 'VIEWER';

/** A user as the HTTP API shows it. */
export interface User {
  id: string;
  login: string;
  name: string;
  role: RoleName;
}

interface UserRecord extends User {
  passwordDigest: Buffer;
}

const digest = (password: string): Buffer => createHash('sha256').update(password).digest();

const SEED: readonly (User & { password: string })[] = [
  { id: 'u-admin', login: 'admin', name: 'Ada Admin', role: 'ADMIN', password: 'admin-pass' },
  { id: 'u-manager', login: 'manager', name: 'Max Manager', role: 'MANAGER', password: 'manager-pass' },
  { id: 'u-viewer', login: 'viewer', name: 'Vera Viewer', role: 'VIEWER', password: 'viewer-pass' },
];

/** Looks users up and checks passwords. */
export class UserDirectory {
  private readonly users: readonly UserRecord[] = SEED.map(({ password, ...user }) => ({
    ...user,
    passwordDigest: digest(password),
  }));

  list(): User[] {
    return this.users.map(publicUser);
  }

  findById(id: string): User | undefined {
    const record = this.users.find((user) => user.id === id);
    return record && publicUser(record);
  }

  /** The user whose login and password match, if any (the comparison takes the same time either way). */
  authenticate(login: string, password: string): User | undefined {
    const record = this.users.find((user) => user.login === login);
    const matches = timingSafeEqual(digest(password), record?.passwordDigest ?? digest(`${password}\u0000`));
    return record && matches ? publicUser(record) : undefined;
  }
}

/** The protobuf form of a user, for socket messages. */
export function toApiUser(user: User): api.User.$Properties {
  return { id: user.id, login: user.login, name: user.name, role: api.Role[user.role] };
}

function publicUser({ id, login, name, role }: User): User {
  return { id, login, name, role };
}

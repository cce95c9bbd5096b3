// The model of the model-based spec: who is signed in (the current identity and the login-as stack
// beneath it), whether each of those sessions still holds on the server, and the faults armed. It
// predicts where a step may end; the app's actual end must be one of those, and becomes the model.
import type { SignedIn } from './model-app';

export type Login = 'admin' | 'manager' | 'viewer';
export const LOGINS: readonly Login[] = ['admin', 'manager', 'viewer'];
export const USER_IDS: Readonly<Record<Login, string>> = { admin: 'u-admin', manager: 'u-manager', viewer: 'u-viewer' };
/** Who may change the menu. */
export const WRITERS: ReadonlySet<Login> = new Set<Login>(['admin', 'manager']);

/** One signed-in identity: its user, and whether its sign-in session still holds on the server. */
export interface Entry {
  readonly user: Login;
  readonly valid: boolean;
}

/** Who is signed in: the current identity and the masters of a login-as, the first master first. */
export interface Identity {
  readonly current: Entry | null;
  readonly stack: readonly Entry[];
}

export interface Model {
  current: Entry | null;
  stack: readonly Entry[];
  /** `fail-next-auth` is armed: the next socket auth is refused. */
  failNextAuth: boolean;
  /** Wrong passwords sent in this sequence (kept below the server's sign-in throttle). */
  wrongPasswords: number;
  /** Menu names made so far (each edit gets a fresh one). */
  names: number;
  /** When the last blackhole ends (performance.now() time): its sockets are gone by then. */
  blackholeEndsBy: number;
}

export const SIGNED_OUT: Identity = { current: null, stack: [] };

export function initialModel(): Model {
  return { ...SIGNED_OUT, failNextAuth: false, wrongPasswords: 0, names: 0, blackholeEndsBy: 0 };
}

export function describe(identity: Identity | SignedIn): string {
  if ('current' in identity) {
    if (!identity.current) return 'signed out';
    const masters = identity.stack.map((entry) => entry.user);
    return [...masters, identity.current.user].join(' as ');
  }
  return identity.user === null ? 'signed out' : [...identity.stack, identity.user].join(' as ');
}

/** Whether the app signed in as `signedIn` is the identity the model describes. */
export function sameIdentity(identity: Identity, signedIn: SignedIn): boolean {
  return describe(identity) === describe(signedIn);
}

/** The identity after the current one ended here: its master, or nobody. */
export function popped(identity: Identity): Identity {
  const master = identity.stack[identity.stack.length - 1];
  return master ? { current: master, stack: identity.stack.slice(0, -1) } : SIGNED_OUT;
}

/** The identity with every session of `user` ended on the server. */
export function invalidated(identity: Identity, user: Login): Identity {
  const mark = (entry: Entry): Entry => (entry.user === user ? { ...entry, valid: false } : entry);
  return { current: identity.current && mark(identity.current), stack: identity.stack.map(mark) };
}

/**
 * Where a new authorization of the current identity's sockets may end (a reconnect, a login again,
 * the master restored after a logout). When its session holds and no auth is set to fail: as it is.
 * Otherwise the refused socket makes the app sign out here, which falls back to the master, whose
 * sockets authorize in turn, and so on; a refresh that fails on the way signs everybody out at once.
 * So: signed out, or the nearest identity down the stack whose session holds.
 */
export function afterAuthorization(m: Model, identity: Identity = m): Identity[] {
  if (!identity.current) return [SIGNED_OUT];
  const refused = m.failNextAuth;
  m.failNextAuth = false;
  if (identity.current.valid && !refused) return [identity];
  let rest = popped(identity);
  while (rest.current && !rest.current.valid) rest = popped(rest);
  return rest.current ? [SIGNED_OUT, rest] : [SIGNED_OUT];
}

/** Makes the identity the app ended at the model's, when it is one of `expected`; undefined otherwise. */
export function adopt(m: Model, expected: readonly Identity[], signedIn: SignedIn): Identity | undefined {
  const found = expected.find((identity) => sameIdentity(identity, signedIn));
  if (!found) return undefined;
  m.current = found.current;
  m.stack = found.stack;
  return found;
}

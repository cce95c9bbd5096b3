// What the property spec (jwt.service.properties.spec.ts) checks of the sessions after every step:
// the storage holds what JwtService holds, and JwtService holds what the model holds.
import type { FakeJwtUser } from 'ngx-customapp-jwt/testing';
import { describeToken } from './scripted-auth-server';
import { type Held, InvariantViolation } from './session-calls';
import type { SetUp } from './set-up';

const STORAGE_KEY = 'ngx-customapp-jwt';

/** What the service stores (`{ v: 1, tokens, user, stack }`), as far as the checks read it. */
interface Stored {
  readonly tokens: { readonly accessToken: string; readonly refreshToken: string };
  readonly user: unknown;
  readonly stack: readonly { readonly tokens: { readonly accessToken: string; readonly refreshToken: string }; readonly user: FakeJwtUser }[];
}

function stored(t: SetUp): Stored | null {
  const raw = t.storage.getItem(STORAGE_KEY);
  return raw === null ? null : (JSON.parse(raw) as Stored);
}

/**
 * The storage holds what the service holds (user, tokens, the users of the login-as stack);
 * `loginAsDepth` and `isMasterUser` agree with `stashedUsers`; and the service (with the tokens of
 * its stack, read from the storage) holds what the model holds.
 */
export function checkSessions(t: SetUp, model: { readonly current: Held | null; readonly stack: readonly Held[] }): void {
  const { jwt } = t;
  const inStorage = stored(t);
  const real = jwt.isLoggedIn && {
    user: jwt.user(),
    accessToken: jwt.accessToken,
    refreshToken: jwt.jwt?.refreshToken?.token ?? null,
    stashed: jwt.stashedUsers,
  };
  const storedView = inStorage && {
    user: inStorage.user,
    accessToken: inStorage.tokens.accessToken,
    refreshToken: inStorage.tokens.refreshToken,
    stashed: inStorage.stack.map(({ user }) => user),
  };
  if (JSON.stringify(storedView || null) !== JSON.stringify(real || null)) {
    throw new InvariantViolation('the storage holds the session', `stored ${JSON.stringify(inStorage)}, in memory ${describeService(t)}`);
  }
  if (jwt.loginAsDepth !== jwt.stashedUsers.length || jwt.isMasterUser !== (jwt.loginAsDepth === 0)) {
    throw new InvariantViolation('loginAsDepth agrees with stashedUsers', `depth ${jwt.loginAsDepth}, stashed ${jwt.stashedUsers.length}`);
  }
  const expected = model.current && {
    user: model.current.user,
    accessToken: model.current.accessToken,
    refreshToken: model.current.refreshToken,
    stashed: model.stack.map(({ user }) => user),
  };
  const storedStack = (inStorage?.stack ?? []).map(({ tokens }) => [tokens.accessToken, tokens.refreshToken]);
  const expectedStack = model.stack.map(({ accessToken, refreshToken }) => [accessToken, refreshToken]);
  if (JSON.stringify(real || null) !== JSON.stringify(expected) || JSON.stringify(storedStack) !== JSON.stringify(expectedStack)) {
    throw new InvariantViolation(
      'the service holds the sessions the README promises',
      `expected ${describeSessions(model.current, model.stack)}, the service holds ${describeService(t)}`,
    );
  }
}

/** `admin u-admin/s3/a4 over admin u-admin/s1/a2`: the current session first, its masters below. */
export function describeSessions(current: Held | null, stack: readonly Held[]): string {
  if (!current) return 'nobody';
  return [current, ...[...stack].reverse()].map((held) => `${held.user.login} ${describeToken(held.accessToken)}`).join(' over ');
}

/** What the service holds, as `describeSessions` shows the model (the stack's tokens as stored). */
export function describeService(t: SetUp): string {
  const { jwt } = t;
  if (!jwt.isLoggedIn) return 'nobody';
  const below = [...(stored(t)?.stack ?? [])].reverse().map(({ user, tokens }) => ` over ${user.login} ${describeToken(tokens.accessToken)} (stored)`);
  return `${jwt.user()?.login} ${describeToken(jwt.accessToken)}${below.join('')}`;
}

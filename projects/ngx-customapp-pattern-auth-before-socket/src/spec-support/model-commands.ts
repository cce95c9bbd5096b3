// The steps of the model-based spec (fast-check's commands API): what a user does, what the app does,
// and the faults the e2e-server's control API injects. Each step acts, waits for what it started,
// lets the app settle, checks that the app ended where the model says it may, then every invariant.
import type { Action } from '@ngrx/store';
import * as fc from 'fast-check';
import {
  loginAgainAndInitSocketsErrored,
  loginAgainAndInitSocketsSucceed,
  loginAndInitSocketsErrored,
  loginAndInitSocketsSucceed,
  loginAsAndInitSocketsErrored,
  loginAsAndInitSocketsSucceed,
} from '../public-api';
import { authActions, control, e2eServer, httpLogin } from './e2e-server';
import { menuActions } from './menu-feature';
import { type ModelApp, MODEL_HEARTBEAT, MODEL_REQUEST_TIMEOUT, settle, SOCKET_IDS, SOCKET_PATHS } from './model-app';
import {
  eachLoginAttemptEndsInOneComposite,
  everyRequestSettlesOnceInTime,
  InvariantViolation,
  noFrameCarriesStaleToken,
  noSocketOpenWhileLoggedOut,
  storeMenuEqualsServer,
} from './model-invariants';
import {
  adopt,
  afterAuthorization,
  describe,
  type Identity,
  invalidated,
  type Login,
  LOGINS,
  type Model,
  popped,
  SIGNED_OUT,
  USER_IDS,
  WRITERS,
} from './model';
import { OtherSession } from './other-session';
import { until } from './waiting';

/** What a sequence runs against, and the tallies of the whole run. */
export interface Real {
  readonly app: ModelApp;
  readonly report: RunReport;
}

export interface RunReport {
  sequences: number;
  steps: number;
  readonly commands: Record<string, number>;
  /** Faults injected, by kind. */
  readonly faults: Record<string, number>;
  /** Of those, the ones injected while the app's sockets were live. */
  readonly faultsOnLiveSockets: Record<string, number>;
  menuChecks: number;
}

export function newReport(): RunReport {
  return { sequences: 0, steps: 0, commands: {}, faults: {}, faultsOnLiveSockets: {}, menuChecks: 0 };
}

function tally(counts: Record<string, number>, name: string): void {
  counts[name] = (counts[name] ?? 0) + 1;
}

/** Counts a fault by kind, and apart when it meets live sockets. */
function tallyFault(r: Real, name: string): void {
  tally(r.report.faults, name);
  if (SOCKET_IDS.every((id) => r.app.status(id) === 'live')) tally(r.report.faultsOnLiveSockets, name);
}

/** Wrong passwords a sequence may send: the server throttles a login after five within a minute. */
const MAX_WRONG_PASSWORDS = 3;
/** How long a fault may take to reach the client (a heartbeat finds a blackhole within interval + timeout). */
const FAULT_REACHES_CLIENT_MS = MODEL_HEARTBEAT.interval + MODEL_HEARTBEAT.timeout + MODEL_REQUEST_TIMEOUT + 2000;

type Composite = 'login' | 'login again' | 'login as';
const COMPOSITES: Readonly<Record<Composite, { succeed: string; errored: string }>> = {
  login: { succeed: loginAndInitSocketsSucceed.type, errored: loginAndInitSocketsErrored.type },
  'login again': { succeed: loginAgainAndInitSocketsSucceed.type, errored: loginAgainAndInitSocketsErrored.type },
  'login as': { succeed: loginAsAndInitSocketsSucceed.type, errored: loginAsAndInitSocketsErrored.type },
};

/**
 * After a step: the app settles, ends at one of the identities the model expects (which becomes the
 * model), its sockets follow the session, and every invariant holds.
 */
async function afterStep(m: Model, r: Real, expected: readonly Identity[]): Promise<void> {
  r.report.steps += 1;
  await settle(r.app);
  const signedIn = r.app.signedIn();
  if (!adopt(m, expected, signedIn)) {
    throw new InvariantViolation(
      'signedInAsTheModelSays',
      `signed in as "${describe(signedIn)}", expected ${expected.map((identity) => `"${describe(identity)}"`).join(' or ')}`,
    );
  }
  await checkInvariants(r, false);
}

/** Every invariant of a settled app. */
export async function checkInvariants(r: Real, atRest: boolean): Promise<void> {
  const { app } = r;
  socketsFollowTheSession(app);
  await noSocketOpenWhileLoggedOut(app);
  noFrameCarriesStaleToken(app);
  everyRequestSettlesOnceInTime(app, true);
  eachLoginAttemptEndsInOneComposite(app.dispatched);
  if ((await storeMenuEqualsServer(app)) === 'checked') r.report.menuChecks += 1;
  else if (atRest && app.jwt.isLoggedIn) throw new InvariantViolation('storeMenuEqualsServer', 'signed in at rest, but the sockets are not live');
}

/** Settled and signed in: every socket live; signed out: every socket closed. */
export function socketsFollowTheSession(app: ModelApp): void {
  const want = app.jwt.isLoggedIn ? 'live' : 'closed';
  const statuses = SOCKET_IDS.map((id) => `${id} ${app.status(id)}`).join(', ');
  if (!SOCKET_IDS.every((id) => app.status(id) === want)) {
    throw new InvariantViolation('socketsFollowTheSession', `${app.jwt.isLoggedIn ? 'signed in' : 'signed out'} and settled, but ${statuses}`);
  }
}

/** Dispatches a login of some kind and waits for its composite outcome. */
async function attempt(r: Real, kind: Composite, action: Action, succeed: boolean | 'either'): Promise<void> {
  const { succeed: ok, errored } = COMPOSITES[kind];
  const outcome = r.app.nextAction([ok, errored]);
  r.app.store.dispatch(action);
  const result = (await outcome) as Action & { error?: string };
  if (succeed !== 'either' && (result.type === ok) !== succeed) {
    throw new InvariantViolation(
      'compositeAsTheModelSays',
      `${kind} ended in ${result.type}${result.error ? ` (${result.error})` : ''}, expected it to ${succeed ? 'succeed' : 'fail'}`,
    );
  }
}

/** Waits until the connections the client had open on these paths were closed, by the server or by the client. */
async function untilClientNotices(r: Real, paths: readonly string[], what: string): Promise<void> {
  const affected = r.app.recorder.openConnections().filter((c) => paths.includes(c.path));
  await until(
    () => affected.every((c) => c.closedAt !== undefined || c.closeCalledAt !== undefined),
    `the client to notice ${what}`,
    FAULT_REACHES_CLIENT_MS,
  );
}

const ALL_PATHS: readonly string[] = Object.values(SOCKET_PATHS);
const NO_CHANGE = (m: Model): Identity[] => [{ current: m.current, stack: m.stack }];

// ------------------------------------------------------------------ what the user does

export class LoginCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly user: Login,
    readonly rightPassword: boolean,
  ) {}
  check = (m: Readonly<Model>) => this.rightPassword || m.wrongPasswords < MAX_WRONG_PASSWORDS;
  async run(m: Model, r: Real): Promise<void> {
    tally(r.report.commands, this.rightPassword ? 'login' : 'login (wrong password)');
    const password = this.rightPassword ? `${this.user}-pass` : 'wrong-pass';
    if (!this.rightPassword) {
      m.wrongPasswords += 1;
      await attempt(r, 'login', authActions.login({ credentials: { login: this.user, password } }), false);
      return afterStep(m, r, NO_CHANGE(m));
    }
    const refused = m.failNextAuth;
    await attempt(r, 'login', authActions.login({ credentials: { login: this.user, password } }), !refused);
    return afterStep(m, r, afterAuthorization(m, { current: { user: this.user, valid: true }, stack: [] }));
  }
  toString = () => `login(${this.user}${this.rightPassword ? '' : ', wrong password'})`;
}

export class LoginAgainCommand implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    tally(r.report.commands, 'login again');
    const holds = !!m.current?.valid && !m.failNextAuth;
    await attempt(r, 'login again', authActions.loginAgain(), holds);
    return afterStep(m, r, afterAuthorization(m));
  }
  toString = () => 'loginAgain()';
}

export class LoginAsCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly target: Login) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    tally(r.report.commands, 'login as');
    const master = m.current;
    if (!master || master.user !== 'admin' || !master.valid) {
      // Not signed in, not an admin (403), or a session the server ended (401): nothing changes.
      await attempt(r, 'login as', authActions.loginAs({ userId: USER_IDS[this.target] }), false);
      return afterStep(m, r, NO_CHANGE(m));
    }
    const refused = m.failNextAuth;
    await attempt(r, 'login as', authActions.loginAs({ userId: USER_IDS[this.target] }), !refused);
    return afterStep(m, r, afterAuthorization(m, { current: { user: this.target, valid: true }, stack: [...m.stack, master] }));
  }
  toString = () => `loginAs(${this.target})`;
}

export class LogoutCommand implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    tally(r.report.commands, 'logout');
    const outcome = r.app.nextAction([authActions.logoutSucceed.type, authActions.logoutErrored.type]);
    r.app.store.dispatch(authActions.logout());
    const result = await outcome;
    if (result.type !== authActions.logoutSucceed.type) {
      throw new InvariantViolation('logoutAsTheModelSays', `logout ended in ${result.type}: ${(result as Action & { error?: string }).error}`);
    }
    // Back to the master (whose sockets then authorize), or signed out.
    const rest = popped(m);
    return afterStep(m, r, rest.current ? afterAuthorization(m, rest) : [SIGNED_OUT]);
  }
  toString = () => 'logout()';
}

/** Another device of `user` signs in over HTTP and logs out from every device: the server closes its sockets with 4441. */
export class LogoutEverywhereCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly user: Login) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    tallyFault(r, 'logout from every device (another session)');
    const reached = m.current?.user === this.user;
    const other = await httpLogin(this.user);
    const paths = reached ? ALL_PATHS : [];
    const noticed = untilClientNotices(r, paths, 'the logout from every device');
    const response = await fetch(`${e2eServer().httpUrl}/api/auth/logout`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${other.accessToken}` },
      body: JSON.stringify({ fromAllDevices: true }),
    });
    if (response.status !== 204) throw new Error(`the logout from every device answered ${response.status}`);
    await noticed;
    const after = invalidated(m, this.user);
    m.current = after.current;
    m.stack = after.stack;
    // Its sockets closed with 4441: the app signs out here, without calling the server, and falls back to the master.
    if (!reached) return afterStep(m, r, NO_CHANGE(m));
    const rest = popped(m);
    return afterStep(m, r, rest.current ? afterAuthorization(m, rest) : [SIGNED_OUT]);
  }
  toString = () => `logoutEverywhereFromAnotherSession(${this.user})`;
}

// ------------------------------------------------------------------ what the app does

export class MenuEditCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly edit: 'add' | 'rename' | 'delete' | 'list',
    readonly pick: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    tally(r.report.commands, `menu ${this.edit}`);
    const categories = r.app.menu();
    const target = categories.length > 0 ? categories[this.pick % categories.length] : undefined;
    const name = `mbt ${++m.names}`;
    const action =
      this.edit === 'add'
        ? menuActions.addCategory({ name })
        : this.edit === 'list'
          ? menuActions.listCategories()
          : !target
            ? undefined
            : this.edit === 'rename'
              ? menuActions.renameCategory({ id: target.id, name })
              : menuActions.deleteCategory({ id: target.id });
    if (!action) return afterStep(m, r, NO_CHANGE(m));
    const connectionsBefore = r.app.recorder.connections.length;
    const succeeded = {
      add: menuActions.addCategorySucceeded.type,
      rename: menuActions.renameCategorySucceeded.type,
      delete: menuActions.deleteCategorySucceeded.type,
      list: menuActions.listCategoriesSucceeded.type,
    }[this.edit];
    const outcome = r.app.nextAction([succeeded, menuActions.requestFailed.type], MODEL_REQUEST_TIMEOUT * 4);
    r.app.store.dispatch(action);
    const result = (await outcome) as Action & { error?: string };
    const live = SOCKET_IDS.every((id) => r.app.status(id) === 'live');
    const allowed = this.edit === 'list' || (m.current !== null && WRITERS.has(m.current.user));
    const reconnected = r.app.recorder.connections.length !== connectionsBefore;
    if (m.current && live && allowed && !reconnected && result.type !== succeeded) {
      throw new InvariantViolation('menuRequestAsTheModelSays', `${this.toString()} by ${m.current.user} on live sockets failed: ${result.error}`);
    }
    if ((!m.current || !allowed) && result.type === succeeded) {
      throw new InvariantViolation('menuRequestAsTheModelSays', `${this.toString()} succeeded ${m.current ? `for ${m.current.user}` : 'signed out'}`);
    }
    return afterStep(m, r, NO_CHANGE(m));
  }
  toString = () => `menu${this.edit[0]?.toUpperCase()}${this.edit.slice(1)}(${this.edit === 'rename' || this.edit === 'delete' ? `#${this.pick}` : ''})`;
}

/** A manager on another device changes the menu: the app sees it in its pushes, or in the list it gets when it subscribes again. */
export class OtherSessionEditsCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  // Its own auth would take a refusal armed for the app's.
  check = (m: Readonly<Model>) => !m.failNextAuth;
  async run(m: Model, r: Real): Promise<void> {
    tally(r.report.commands, 'menu edits by another session');
    const other = await OtherSession.open('manager');
    try {
      const list = (await other.request({ menuList: {} })).menuList?.categories ?? [];
      const [first, second] = [list[this.pick % Math.max(1, list.length)], list[(this.pick + 1) % Math.max(1, list.length)]];
      await other.request({ menuAdd: { name: `other ${++m.names}` } });
      if (first?.id) await other.request({ menuRename: { id: first.id, name: `other ${++m.names}` } });
      if (second?.id && second.id !== first?.id) await other.request({ menuDelete: { id: second.id } });
    } finally {
      await other.close();
    }
    return afterStep(m, r, NO_CHANGE(m));
  }
  toString = () => `otherSessionEdits(#${this.pick})`;
}

/** Reconnects are refused for a while and every socket is cut; a request made meanwhile waits for the socket and then goes. */
export class RequestWhileReconnectingCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  // Only where the socket is sure to come back as it was.
  check = (m: Readonly<Model>) => m.current !== null && m.current.valid && !m.failNextAuth;
  async run(m: Model, r: Real): Promise<void> {
    tally(r.report.commands, 'menu add while reconnecting');
    tallyFault(r, 'refuse reconnects (a request waiting)');
    await control(`refuse?ms=${this.ms}`);
    const noticed = untilClientNotices(r, ALL_PATHS, 'the drop');
    await control('drop');
    await noticed;
    const outcome = r.app.nextAction([menuActions.addCategorySucceeded.type, menuActions.requestFailed.type], MODEL_REQUEST_TIMEOUT * 4 + this.ms);
    r.app.store.dispatch(menuActions.addCategory({ name: `mbt ${++m.names}` }));
    const result = (await outcome) as Action & { error?: string };
    const writer = m.current !== null && WRITERS.has(m.current.user);
    if (writer !== (result.type === menuActions.addCategorySucceeded.type)) {
      throw new InvariantViolation(
        'menuRequestAsTheModelSays',
        `an add made while reconnecting ${result.type === menuActions.addCategorySucceeded.type ? 'succeeded' : `failed (${result.error})`} for ${m.current?.user}`,
      );
    }
    return afterStep(m, r, afterAuthorization(m));
  }
  toString = () => `addWhileReconnecting(${this.ms} ms)`;
}

// ------------------------------------------------------------------ faults

/** The server cuts sockets without a close frame (`drop`, `drop?path=`) or restarts them (1012). */
export class DropCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly how: 'drop' | 'restart',
    readonly path: string | undefined,
  ) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    tallyFault(r, this.how === 'restart' ? 'restart' : `drop (${this.path ?? 'every socket'})`);
    const paths = this.path ? [this.path] : ALL_PATHS;
    const noticed = untilClientNotices(r, paths, this.toString());
    await control(this.how === 'restart' ? 'restart' : this.path ? `drop?path=${this.path}` : 'drop');
    await noticed;
    return afterStep(m, r, m.current ? afterAuthorization(m) : [SIGNED_OUT]);
  }
  toString = () => (this.how === 'restart' ? 'restart()' : `drop(${this.path ?? ''})`);
}

/** Reconnects are refused (HTTP 503) for a while; with `thenDrop` every socket is cut at once, so that they are. */
export class RefuseCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly ms: number,
    readonly thenDrop: boolean,
  ) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    tallyFault(r, 'refuse reconnects');
    await control(`refuse?ms=${this.ms}`);
    if (!this.thenDrop) return afterStep(m, r, NO_CHANGE(m));
    tallyFault(r, 'drop (every socket)');
    const noticed = untilClientNotices(r, ALL_PATHS, 'the drop');
    await control('drop');
    await noticed;
    return afterStep(m, r, m.current ? afterAuthorization(m) : [SIGNED_OUT]);
  }
  toString = () => `refuse(${this.ms} ms${this.thenDrop ? ', then drop' : ''})`;
}

/** The server keeps the connections but reads and sends nothing; only the heartbeat finds out. */
export class BlackholeCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly ms: number,
    readonly path: string | undefined,
  ) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    tallyFault(r, 'blackhole');
    const paths = this.path ? [this.path] : ALL_PATHS;
    const noticed = untilClientNotices(r, paths, this.toString());
    m.blackholeEndsBy = Math.max(m.blackholeEndsBy, performance.now() + this.ms);
    await control(`blackhole?ms=${this.ms}${this.path ? `&path=${this.path}` : ''}`);
    await noticed;
    return afterStep(m, r, m.current ? afterAuthorization(m) : [SIGNED_OUT]);
  }
  toString = () => `blackhole(${this.ms} ms${this.path ? `, ${this.path}` : ''})`;
}

/** Every access token issued so far counts as expired: open sockets close with 4419 and must refresh. */
export class ExpireTokensCommand implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    tallyFault(r, 'expire tokens');
    const noticed = untilClientNotices(r, ALL_PATHS, 'the expiry');
    await control('expire-tokens');
    await noticed;
    return afterStep(m, r, m.current ? afterAuthorization(m) : [SIGNED_OUT]);
  }
  toString = () => 'expireTokens()';
}

/** Every session of `user` is ended on the server without a word to its sockets. */
export class RevokeCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly user: Login) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    tallyFault(r, 'revoke');
    await control(`revoke?user=${USER_IDS[this.user]}`);
    const after = invalidated(m, this.user);
    m.current = after.current;
    m.stack = after.stack;
    return afterStep(m, r, NO_CHANGE(m));
  }
  toString = () => `revoke(${this.user})`;
}

/** The next socket auth is refused (TOKEN_INVALID, 4401). */
export class FailNextAuthCommand implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => !m.failNextAuth;
  async run(m: Model, r: Real): Promise<void> {
    tallyFault(r, 'fail next auth');
    await control('fail-next-auth');
    m.failNextAuth = true;
    return afterStep(m, r, NO_CHANGE(m));
  }
  toString = () => 'failNextAuth()';
}

// ------------------------------------------------------------------ two things at once

/**
 * A second attempt of the same kind dispatched while the first is under way (a double click, a
 * corrected form sent at once). ngx-customapp-jwt runs one sign-in of a kind at a time and ignores
 * the second: the first decides who is signed in. Each attempt still ends in one composite action,
 * and the composites must say what happened: the ignored one was not the one signed in.
 */
export class RacingAttemptsCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly kind: 'login' | 'login as',
    readonly first: Login,
    readonly second: Login,
  ) {}
  check = (m: Readonly<Model>) => this.kind === 'login' || (m.current?.user === 'admin' && m.current.valid);
  async run(m: Model, r: Real): Promise<void> {
    tally(r.report.commands, `racing ${this.kind} attempts`);
    const { succeed: ok, errored } = COMPOSITES[this.kind];
    const composites: (Action & { error?: string })[] = [];
    const listening = r.app.actions$.subscribe((action) => {
      if (action.type === ok || action.type === errored) composites.push(action);
    });
    const callsBefore = r.app.jwtApi.calls.length;
    const act = (user: Login) =>
      this.kind === 'login'
        ? authActions.login({ credentials: { login: user, password: `${user}-pass` } })
        : authActions.loginAs({ userId: USER_IDS[user] });
    const refused = m.failNextAuth;
    const master = m.current;
    r.app.store.dispatch(act(this.first));
    r.app.store.dispatch(act(this.second));
    try {
      await until(() => composites.length >= 2, 'a composite action for each attempt', 15_000);
    } finally {
      listening.unsubscribe();
    }
    const calls = r.app.jwtApi.calls.slice(callsBefore);
    const firstCall = this.kind === 'login' ? `login ${this.first}` : `login as ${USER_IDS[this.first]}`;
    if (calls.length !== 1 || calls[0] !== firstCall) {
      throw new InvariantViolation('racingAttemptsEndAsTheyRan', `expected the server to be asked once, "${firstCall}", it was asked ${JSON.stringify(calls)}`);
    }
    // The second attempt never reached the server: nothing superseded the first, so no composite may say so.
    const told = composites.map((action) => `${action.type === ok ? 'succeeded' : `errored (${action.error})`}`);
    const succeeded = composites.filter((action) => action.type === ok).length;
    if (succeeded !== (refused ? 0 : 1) || composites.some((action) => /superseded/i.test(action.error ?? ''))) {
      throw new InvariantViolation('racingAttemptsEndAsTheyRan', `the two ${this.kind} attempts ended ${told.join(' and ')}, but only the first ran${refused ? ' (and its socket auth was refused)' : ''}`);
    }
    const signedIn: Identity =
      this.kind === 'login'
        ? { current: { user: this.first, valid: true }, stack: [] }
        : { current: { user: this.first, valid: true }, stack: [...m.stack, master as NonNullable<typeof master>] };
    return afterStep(m, r, afterAuthorization(m, signedIn));
  }
  toString = () => `racing(${this.kind} ${this.first}, ${this.kind} ${this.second})`;
}

/**
 * Switching users: a logout and, at once, a login as another user (the form sent before the logout
 * came back). Whichever of the two calls the server answers first, the login is the last word: the
 * app ends signed in as its user.
 */
export class SwitchUserCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly user: Login) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    tally(r.report.commands, 'logout and login at once');
    const loggedOut = r.app.nextAction([authActions.logoutSucceed.type, authActions.logoutErrored.type]);
    const refused = m.failNextAuth;
    r.app.store.dispatch(authActions.logout());
    await attempt(r, 'login', authActions.login({ credentials: { login: this.user, password: `${this.user}-pass` } }), refused ? false : 'either');
    await loggedOut;
    return afterStep(m, r, afterAuthorization(m, { current: { user: this.user, valid: true }, stack: [] }));
  }
  toString = () => `switchUser(${this.user})`;
}

/** The server fails while a sign-in (or a logout) is under way: the sockets it opens meet the fault. */
export class AuthDuringFaultCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly act: 'login' | 'login as' | 'login again' | 'logout',
    readonly user: Login,
    readonly fault: 'drop' | 'restart' | 'blackhole' | 'expire-tokens' | 'refuse',
    readonly ms: number,
  ) {}
  // Without a refused auth or an ended session, where it ends does not hang on which socket the fault meets first.
  check = (m: Readonly<Model>) =>
    !m.failNextAuth &&
    m.stack.every((entry) => entry.valid) &&
    (m.current === null || m.current.valid) &&
    (this.act !== 'login as' || m.current?.user === 'admin');
  async run(m: Model, r: Real): Promise<void> {
    tally(r.report.commands, `${this.act} during a fault`);
    tallyFault(r, `${this.fault} (during ${this.act})`);
    const affected = r.app.recorder.openConnections();
    let expected: Identity;
    let done: Promise<unknown>;
    let composite: Composite | undefined;
    let action: Action;
    switch (this.act) {
      case 'login':
        composite = 'login';
        action = authActions.login({ credentials: { login: this.user, password: `${this.user}-pass` } });
        expected = { current: { user: this.user, valid: true }, stack: [] };
        break;
      case 'login as':
        composite = 'login as';
        action = authActions.loginAs({ userId: USER_IDS[this.user] });
        expected = { current: { user: this.user, valid: true }, stack: [...m.stack, m.current as NonNullable<Model['current']>] };
        break;
      case 'login again':
        composite = 'login again';
        action = authActions.loginAgain();
        expected = { current: m.current, stack: m.stack };
        break;
      case 'logout':
        action = authActions.logout();
        expected = popped(m);
        break;
    }
    if (composite) {
      const { succeed: ok, errored } = COMPOSITES[composite];
      done = r.app.nextAction([ok, errored]).then((outcome) => {
        // Signed in (or logging in again) with no auth refused: the fault only delays the sockets.
        if (expected.current && outcome.type !== ok) {
          throw new InvariantViolation('compositeAsTheModelSays', `${this.toString()} ended in ${outcome.type}: ${(outcome as Action & { error?: string }).error}`);
        }
      });
    } else {
      done = r.app.nextAction([authActions.logoutSucceed.type, authActions.logoutErrored.type]);
    }
    r.app.store.dispatch(action);
    switch (this.fault) {
      case 'blackhole':
        m.blackholeEndsBy = Math.max(m.blackholeEndsBy, performance.now() + this.ms);
        await control(`blackhole?ms=${this.ms}`);
        break;
      case 'refuse':
        await control(`refuse?ms=${this.ms}`);
        await control('drop');
        break;
      default:
        await control(this.fault);
    }
    await done;
    await until(
      () => affected.every((c) => c.closedAt !== undefined || c.closeCalledAt !== undefined),
      `the client to notice the ${this.fault}`,
      FAULT_REACHES_CLIENT_MS,
    );
    return afterStep(m, r, expected.current ? [expected] : [SIGNED_OUT]);
  }
  toString = () =>
    `${this.act.replace(/ (\w)/g, (_, c: string) => c.toUpperCase())}(${this.act === 'login' || this.act === 'login as' ? this.user : ''})During(${this.fault}${this.fault === 'blackhole' || this.fault === 'refuse' ? ` ${this.ms} ms` : ''})`;
}

/** An app request is in flight when the server fails: it must still end once, typed, in time. */
export class RequestDuringFaultCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly edit: 'add' | 'list',
    readonly fault: 'drop' | 'restart' | 'blackhole' | 'expire-tokens' | 'delay',
    readonly ms: number,
  ) {}
  // A slow server may or may not make the heartbeat give up on the socket: only when that cannot change who is signed in.
  check = (m: Readonly<Model>) => this.fault !== 'delay' || (!m.failNextAuth && (m.current === null || m.current.valid));
  async run(m: Model, r: Real): Promise<void> {
    tally(r.report.commands, `menu ${this.edit} during a fault`);
    tallyFault(r, `${this.fault} (a request in flight)`);
    const action = this.edit === 'add' ? menuActions.addCategory({ name: `mbt ${++m.names}` }) : menuActions.listCategories();
    const succeeded = this.edit === 'add' ? menuActions.addCategorySucceeded.type : menuActions.listCategoriesSucceeded.type;
    const outcome = r.app.nextAction([succeeded, menuActions.requestFailed.type], MODEL_REQUEST_TIMEOUT * 4);
    const affected = r.app.recorder.openConnections().filter((c) => ALL_PATHS.includes(c.path));
    r.app.store.dispatch(action);
    switch (this.fault) {
      case 'drop':
      case 'restart':
        await control(this.fault);
        break;
      case 'expire-tokens':
        await control('expire-tokens');
        break;
      case 'blackhole':
        m.blackholeEndsBy = Math.max(m.blackholeEndsBy, performance.now() + this.ms);
        await control(`blackhole?ms=${this.ms}`);
        break;
      case 'delay':
        await control(`delay?ms=${this.ms}`);
        break;
    }
    try {
      await outcome;
    } finally {
      if (this.fault === 'delay') await control('delay?ms=0');
    }
    if (this.fault === 'delay') {
      // The heartbeat gave up on a socket, or it did not: both end as they began when the session holds.
      return afterStep(m, r, NO_CHANGE(m));
    }
    await until(
      () => affected.every((c) => c.closedAt !== undefined || c.closeCalledAt !== undefined),
      `the client to notice the ${this.fault}`,
      FAULT_REACHES_CLIENT_MS,
    );
    return afterStep(m, r, m.current ? afterAuthorization(m) : [SIGNED_OUT]);
  }
  toString = () => `${this.edit}During(${this.fault}${this.fault === 'blackhole' || this.fault === 'delay' ? ` ${this.ms} ms` : ''})`;
}

const login = fc.constantFrom(...LOGINS);
const socketPath = fc.constantFrom(undefined, SOCKET_PATHS.categories, SOCKET_PATHS.notifications);

/** Every step, weighted: what users do most, faults often enough to meet each other. */
export const commandArbitraries: fc.Arbitrary<fc.AsyncCommand<Model, Real>>[] = [
  fc.tuple(login, fc.boolean()).map(([user, right]) => new LoginCommand(user, right)),
  login.map((user) => new LoginCommand(user, true)),
  fc.constant(new LoginCommand('admin', true)),
  fc.constant(new LoginAgainCommand()),
  login.map((target) => new LoginAsCommand(target)),
  fc.constant(new LoginAsCommand('manager')),
  fc.constant(new LogoutCommand()),
  login.map((user) => new LogoutEverywhereCommand(user)),
  fc.tuple(fc.constantFrom<'add' | 'rename' | 'delete' | 'list'>('add', 'rename', 'delete', 'list'), fc.nat(9)).map(
    ([edit, pick]) => new MenuEditCommand(edit, pick),
  ),
  fc.tuple(fc.constantFrom<'drop' | 'restart'>('drop', 'restart'), socketPath).map(([how, path]) => new DropCommand(how, how === 'restart' ? undefined : path)),
  fc.tuple(fc.integer({ min: 100, max: 600 }), fc.boolean()).map(([ms, thenDrop]) => new RefuseCommand(ms, thenDrop)),
  fc.tuple(fc.integer({ min: 300, max: 1200 }), socketPath).map(([ms, path]) => new BlackholeCommand(ms, path)),
  fc.constant(new ExpireTokensCommand()),
  login.map((user) => new RevokeCommand(user)),
  fc.constant(new FailNextAuthCommand()),
  login.map((user) => new SwitchUserCommand(user)),
  fc.nat(9).map((pick) => new OtherSessionEditsCommand(pick)),
  fc.integer({ min: 100, max: 800 }).map((ms) => new RequestWhileReconnectingCommand(ms)),
  fc.tuple(
    fc.constantFrom<'login' | 'login as' | 'login again' | 'logout'>('login', 'login as', 'login again', 'logout'),
    login,
    fc.constantFrom<'drop' | 'restart' | 'blackhole' | 'expire-tokens' | 'refuse'>('drop', 'restart', 'blackhole', 'expire-tokens', 'refuse'),
    fc.integer({ min: 100, max: 1000 }),
  ).map(([act, user, fault, ms]) => new AuthDuringFaultCommand(act, user, fault, ms)),
  fc.tuple(fc.constantFrom<'login' | 'login as'>('login', 'login as'), login, login).map(
    ([kind, first, second]) => new RacingAttemptsCommand(kind, first, second),
  ),
  fc.tuple(
    fc.constantFrom<'add' | 'list'>('add', 'list'),
    fc.constantFrom<'drop' | 'restart' | 'blackhole' | 'expire-tokens' | 'delay'>('drop', 'restart', 'blackhole', 'expire-tokens', 'delay'),
    fc.integer({ min: 300, max: 1000 }),
  ).map(([edit, fault, ms]) => new RequestDuringFaultCommand(edit, fault, ms)),
];

// Two things at once: racing sign-ins, a user switch, sign-ins and requests while the server fails.
import type { Action } from '@ngrx/store';
import type * as fc from 'fast-check';
import { authActions, control } from './e2e-server';
import { menuActions } from './menu-feature';
import { afterAuthorization, type Identity, type Login, type Model, popped, SIGNED_OUT, USER_IDS } from './model';
import { MODEL_REQUEST_TIMEOUT } from './model-app';
import { InvariantViolation } from './model-invariants';
import {
  afterStep,
  ALL_PATHS,
  attempt,
  blackhole,
  type Composite,
  COMPOSITES,
  NO_CHANGE,
  openOn,
  type Real,
  tally,
  tallyFault,
  untilClosed,
} from './model-step';
import { until } from './waiting';

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
 *
 * Under a "login as", the logout gives the session back to the master, whose sockets reopen while
 * the login runs: when an auth is set to fail, either the master's sockets authorize first and take
 * the refusal (the login then replaces the master and succeeds), or the login's own sockets do (it
 * fails, and the app ends signed out). Which comes first is a matter of timing, not of the SDK.
 */
export class SwitchUserCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly user: Login) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    tally(r.report.commands, 'logout and login at once');
    const loggedOut = r.app.nextAction([authActions.logoutSucceed.type, authActions.logoutErrored.type]);
    const refused = m.failNextAuth;
    const masterMayTakeTheRefusal = refused && m.stack.length > 0;
    r.app.store.dispatch(authActions.logout());
    const credentials = { login: this.user, password: `${this.user}-pass` };
    const succeeded = await attempt(r, 'login', authActions.login({ credentials }), refused && !masterMayTakeTheRefusal ? false : 'either');
    await loggedOut;
    const signedIn: Identity = { current: { user: this.user, valid: true }, stack: [] };
    // Taken by the master's sockets or by the login's (afterStep reads which from the server): the login's outcome says where the app is.
    if (masterMayTakeTheRefusal) return afterStep(m, r, [succeeded ? signedIn : SIGNED_OUT]);
    return afterStep(m, r, afterAuthorization(m, signedIn));
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
        await blackhole(m, this.ms);
        break;
      case 'refuse':
        await control(`refuse?ms=${this.ms}`);
        await control('drop');
        break;
      default:
        await control(this.fault);
    }
    await done;
    await untilClosed(affected, `the ${this.fault}`);
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
    const affected = openOn(r, ALL_PATHS);
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
        await blackhole(m, this.ms);
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
    await untilClosed(affected, `the ${this.fault}`);
    return afterStep(m, r, m.current ? afterAuthorization(m) : [SIGNED_OUT]);
  }
  toString = () => `${this.edit}During(${this.fault}${this.fault === 'blackhole' || this.fault === 'delay' ? ` ${this.ms} ms` : ''})`;
}

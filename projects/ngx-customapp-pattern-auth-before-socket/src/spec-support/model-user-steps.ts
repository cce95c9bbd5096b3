// The steps of what users and the app do: sign-ins of every kind, logouts (also from every device,
// by another session), the menu page's requests, another session's edits.
import type { Action } from '@ngrx/store';
import type * as fc from 'fast-check';
import { authActions, control, e2eServer, httpLogin } from './e2e-server';
import { menuActions } from './menu-feature';
import { afterAuthorization, invalidated, type Login, type Model, popped, SIGNED_OUT, USER_IDS, WRITERS } from './model';
import { MODEL_REQUEST_TIMEOUT, SOCKET_IDS } from './model-app';
import { InvariantViolation } from './model-invariants';
import {
  afterStep,
  ALL_PATHS,
  attempt,
  MAX_WRONG_PASSWORDS,
  NO_CHANGE,
  type Real,
  tally,
  tallyFault,
  untilClientNotices,
} from './model-step';
import { OtherSession } from './other-session';

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

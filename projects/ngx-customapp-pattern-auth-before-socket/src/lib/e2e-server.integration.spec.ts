// The package against the bundled e2e-server, over protobuf, in headless Chromium: HTTP login through
// ngx-customapp-jwt, then the real sockets, the real auth gate, real drops and token expiry.
import { type Action } from '@ngrx/store';
import { FatalCloseError, WebSocketController } from 'customapp-rxjs-websocket';
import { filter, firstValueFrom, of } from 'rxjs';
import { CloseCode } from '../../../../e2e-server/src/protocol';
import {
  closeSocketsFinished,
  initSocketsErrored,
  loginAndInitSocketsErrored,
  loginAndInitSocketsSucceed,
  loginAsAndInitSocketsSucceed,
  selectSocketStatus,
  socketClosedForever,
  type SocketStatus,
  initSocketsSucceed,
} from '../public-api';
import {
  authActions,
  control,
  e2eChain,
  e2eServer,
  type E2eSetUp,
  httpLogin,
  type Req,
  type Res,
  setUpE2e,
  stats,
} from '../spec-support/e2e-server';
import { next, until } from '../spec-support/waiting';

describe('against the e2e-server', () => {
  let t: E2eSetUp;
  let authTokens: string[];

  beforeEach(async () => {
    await control('reset');
    // The last test's sockets are closed on our side; wait until the server has counted them out too.
    await statsWhenSockets(0);
    authTokens = [];
  });

  afterEach(async () => {
    await firstValueFrom(t.owner.closeAll());
  });

  /** The server's stats once it counts `sockets` open sockets, or the last ones after `ms`. */
  async function statsWhenSockets(sockets: number, ms = 2000) {
    const deadline = Date.now() + ms;
    let counted = await stats();
    while (counted.sockets !== sockets && Date.now() < deadline) counted = await stats();
    return counted;
  }

  function outcome<T extends Action>(...types: string[]): Promise<T> {
    return next(t.actions$.pipe(filter((action) => types.includes(action.type)))) as Promise<T>;
  }

  async function logIn(login: string, password = `${login}-pass`): Promise<Action> {
    const result = outcome(loginAndInitSocketsSucceed.type, loginAndInitSocketsErrored.type);
    t.store.dispatch(authActions.login({ credentials: { login, password } }));
    return result;
  }

  function status(socketId: string): SocketStatus {
    return t.store.selectSignal(selectSocketStatus(socketId))();
  }

  function count(type: string): number {
    return t.dispatched.filter((action) => action.type === type).length;
  }

  describe('with both sockets', () => {
    beforeEach(() => {
      t = setUpE2e(e2eChain({ authTokens }));
    });

    it('login → both sockets authorized and subscribed → loginAndInitSocketsSucceed', async () => {
      const result = await logIn('manager');

      expect(result.type).toBe(loginAndInitSocketsSucceed.type);
      expect(status('categories')).toBe('live');
      expect(status('notifications')).toBe('live');
      expect(t.owner.sockets['categories'].authResponse?.auth?.user?.login).toBe('manager');
      expect(authTokens).toEqual([t.jwt.accessToken!, t.jwt.accessToken!]);
      expect(await stats()).toEqual(jasmine.objectContaining({ sockets: 2, authorized: 2, subscriptions: 2 }));
      expect(count(loginAndInitSocketsSucceed.type)).toBe(1);
    });

    it('a second login while the sockets are open reopens them without opening twice', async () => {
      await logIn('manager');
      expect((await logIn('viewer')).type).toBe(loginAndInitSocketsSucceed.type);

      expect(t.owner.sockets['categories'].authResponse?.auth?.user?.login).toBe('viewer');
      const counted = await statsWhenSockets(2);
      expect(counted).toEqual(jasmine.objectContaining({ sockets: 2, authorized: 2, subscriptions: 2 }));
      expect(count(loginAndInitSocketsSucceed.type)).toBe(2);
    });

    it('a wrong password → loginAndInitSocketsErrored with the server\'s reason, no socket opened', async () => {
      const result = (await logIn('manager', 'wrong')) as ReturnType<typeof loginAndInitSocketsErrored>;

      expect(result.type).toBe(loginAndInitSocketsErrored.type);
      expect(result.error).toBe('Login or password is wrong.');
      expect((await stats()).sockets).toBe(0);
    });

    it('a refused socket auth → loginAndInitSocketsErrored with a readable reason, every socket closed', async () => {
      await control('fail-next-auth');
      const result = (await logIn('manager')) as ReturnType<typeof loginAndInitSocketsErrored>;

      expect(result.type).toBe(loginAndInitSocketsErrored.type);
      expect(result.error).toMatch(/^The server refused the socket's authorization: TOKEN_INVALID: .+ Sign in again to reconnect\.$/);
      expect(count(initSocketsErrored.type)).toBe(1);
      expect(count(socketClosedForever.type)).toBe(1);
      await until(() => status('categories') === 'closed' && status('notifications') === 'closed', 'both sockets closed');
      const counted = await stats();
      expect(counted.authorized).toBe(0);
    });

    it('after the server drops every connection: reconnects, re-authorizes, re-subscribes; a request sent in the outage arrives once', async () => {
      await logIn('manager');
      const categories = t.owner.sockets['categories'];
      await control('refuse?ms=300');
      await control('drop');
      await until(() => status('categories') === 'reconnecting', 'the reconnecting status');

      const pushes: string[] = [];
      const pushed = categories.messages$.subscribe((m) => {
        if (m.sub?.categoryUpdate?.name === 'During the outage') pushes.push(m.sub.categoryUpdate.id ?? '');
      });
      const response = await next(categories.request({ id: 0, menuAdd: { name: 'During the outage' } }), () => true, 10_000);
      await until(() => status('categories') === 'live' && status('notifications') === 'live', 'both sockets live again', 10_000);
      await until(() => pushes.length === 1, 'the push of the change');
      pushed.unsubscribe();

      expect(response.menuAdd?.category?.name).toBe('During the outage');
      expect(pushes.length).toBe(1);
      expect(authTokens.length).toBe(4);
      expect(await stats()).toEqual(jasmine.objectContaining({ sockets: 2, authorized: 2, subscriptions: 2 }));
    });

    it('when the server expires every token: refreshes once and re-authorizes both sockets, without user action', async () => {
      await logIn('manager');
      const before = t.jwt.accessToken!;

      await control('expire-tokens');
      await until(() => authTokens.length === 4, 'two new auth requests');
      await until(() => status('categories') === 'live' && status('notifications') === 'live', 'both sockets live again');

      expect(t.api.refreshes).toBe(1);
      expect(t.jwt.accessToken).not.toBe(before);
      expect(authTokens.slice(2)).toEqual([t.jwt.accessToken!, t.jwt.accessToken!]);
      expect(count(socketClosedForever.type)).toBe(0);
      expect((await stats()).authorized).toBe(2);
    });

    it('login-as reopens the sockets as the target user; logout goes back to the master\'s sockets', async () => {
      await logIn('admin');
      const loggedInAs = outcome(loginAsAndInitSocketsSucceed.type);
      t.store.dispatch(authActions.loginAs({ userId: 'u-manager' }));
      await loggedInAs;

      const auth = () => t.owner.sockets['categories'].authResponse?.auth;
      expect(auth()?.user?.login).toBe('manager');
      expect(auth()?.actingUserId).toBe('u-admin');
      expect(t.owner.sockets['notifications'].authResponse?.auth?.user?.login).toBe('manager');
      expect((await stats()).sockets).toBe(2);

      const reopened = outcome(initSocketsSucceed.type);
      t.store.dispatch(authActions.logout());
      await reopened;

      expect(auth()?.user?.login).toBe('admin');
      expect(auth()?.actingUserId).toBeFalsy();
      expect(count(socketClosedForever.type)).toBe(0);
      const counted = await stats();
      expect(counted.authorized).toBe(2);
    });

    it('logout closes every socket within one second', async () => {
      await logIn('manager');
      const closed = outcome(closeSocketsFinished.type);
      const started = performance.now();
      t.store.dispatch(authActions.logout());
      await closed;
      await until(() => status('categories') === 'closed' && status('notifications') === 'closed', 'closed statuses', 1000);
      let counted = await stats();
      while (counted.sockets > 0 && performance.now() - started < 1000) counted = await stats();

      expect(performance.now() - started).toBeLessThan(1000);
      expect(counted.sockets).toBe(0);
      expect(count(socketClosedForever.type)).toBe(0);
    });

    it('logout from every device closes the sockets of a second session of the user', async () => {
      const other = await httpLogin('manager');
      const second = new WebSocketController<Req, Res, ArrayBuffer>({
        ...e2eChain().commonConfig,
        url: e2eServer().wsUrl,
        authorize: { createRequest: () => of<Req>({ id: 0, auth: { accessToken: other.accessToken } }) },
      });
      await firstValueFrom(second.open({ autoReconnect: false }));
      await logIn('manager');
      const secondClosed = next(second.closedForever$);

      t.store.dispatch(authActions.logout({ fromAllDevices: true }));
      const { error } = await secondClosed;

      expect(error).toEqual(jasmine.any(FatalCloseError));
      expect((error as FatalCloseError).code).toBe(CloseCode.LoggedOutEverywhere);
      await until(() => status('categories') === 'closed' && status('notifications') === 'closed', 'our own sockets closed');
      expect(count(socketClosedForever.type)).toBe(0);
    });
  });
});

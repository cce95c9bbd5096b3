import { TestBed } from '@angular/core/testing';
import { provideEffects } from '@ngrx/effects';
import { Store } from '@ngrx/store';
import {
  closeSockets,
  closeSocketsFinished,
  initSockets,
  initSocketsErrored,
  initSocketsSucceed,
  loginAgainAndInitSocketsSucceed,
  loginAndInitSocketsErrored,
  loginAndInitSocketsSucceed,
  loginAsAndInitSocketsErrored,
  loginAsAndInitSocketsSucceed,
  selectSocketsLastError,
  selectSocketStatus,
  socketClosedForever,
  SocketsEffects,
} from '../public-api';
import { CountingScheduler } from '../spec-support/counting-scheduler';
import { fakeChain, lastAuthToken, MAIN_URL, NOTIFICATIONS_URL, serve } from '../spec-support/fake-chain';
import { GatedJwtApi, provideGatedJwt } from '../spec-support/gated-jwt-api';
import { ADMIN, type FakeSetUp, MANAGER, jwtActions, setUpFake } from '../spec-support/set-up-fake';

describe('the effects, over scripted sockets', () => {
  let t: FakeSetUp;
  let baseline: number;

  function serveAll(): void {
    for (const socket of t.server.open()) if (socket.sent.length === 0 || socket.readyState === 0) serve(socket);
  }

  function acknowledgeCloses(): void {
    for (const socket of t.server.all()) if (socket.closedByClient && socket.readyState !== 3) socket.acknowledgeClose();
  }

  function logIn(credentials = MANAGER): void {
    t.store.dispatch(jwtActions.login({ credentials }));
    serveAll();
  }

  function count(type: string): number {
    return t.types().filter((candidate) => candidate === type).length;
  }

  describe('with the answering fake backend', () => {
    let scheduler: CountingScheduler;

    beforeEach(() => {
      scheduler = new CountingScheduler();
      t = setUpFake({ chain: fakeChain({ commonConfig: { ...fakeChain().commonConfig, scheduler } }) });
      baseline = t.actionListeners();
    });

    it('login → both sockets subscribed → loginAndInitSocketsSucceed, once, and no listener left behind', () => {
      logIn();

      expect(t.types()).toEqual([
        jwtActions.login.type,
        jwtActions.loginSucceed.type,
        initSockets.type,
        initSocketsSucceed.type,
        loginAndInitSocketsSucceed.type,
      ]);
      expect(t.server.open().length).toBe(2);
      expect(TestBed.inject(Store).selectSignal(selectSocketStatus('main'))()).toBe('live');
      expect(t.actionListeners()).toBe(baseline);
    });

    it('a wrong password ends in loginAndInitSocketsErrored with the server\'s message, and opens nothing', () => {
      t.store.dispatch(jwtActions.login({ credentials: { login: 'manager', password: 'nope' } }));

      const errored = t.dispatched.find((a) => a.type === loginAndInitSocketsErrored.type) as ReturnType<typeof loginAndInitSocketsErrored>;
      expect(errored.error).toBe('Wrong login or password.');
      expect(count(loginAndInitSocketsErrored.type)).toBe(1);
      expect(count(initSockets.type)).toBe(0);
      expect(t.server.all().length).toBe(0);
      expect(t.actionListeners()).toBe(baseline);
    });

    it('a refused socket auth ends in initSocketsErrored and loginAndInitSocketsErrored with a readable reason', () => {
      t.store.dispatch(jwtActions.login({ credentials: MANAGER }));
      serve(t.server.last(NOTIFICATIONS_URL));
      serve(t.server.last(MAIN_URL), { refuseAuth: { code: 'TOKEN_INVALID', message: 'The token is not valid.' } });

      const errored = t.dispatched.find((a) => a.type === loginAndInitSocketsErrored.type) as ReturnType<typeof loginAndInitSocketsErrored>;
      expect(errored.error).toMatch(/refused the socket's authorization: The token is not valid\./);
      expect(count(initSocketsErrored.type)).toBe(1);
      expect(count(loginAndInitSocketsSucceed.type)).toBe(0);
      const stopped = t.dispatched.find((a) => a.type === socketClosedForever.type) as ReturnType<typeof socketClosedForever>;
      expect(stopped.socketId).toBe('main');
      expect(t.store.selectSignal(selectSocketsLastError)()).toContain('The token is not valid.');
      expect(t.server.open().length).toBe(0);
      expect(t.actionListeners()).toBe(baseline);
    });

    it('loginAgain reopens the sockets (closing the open ones) and ends in loginAgainAndInitSocketsSucceed', () => {
      logIn();
      t.store.dispatch(jwtActions.loginAgain());
      acknowledgeCloses();
      serveAll();

      expect(count(loginAgainAndInitSocketsSucceed.type)).toBe(1);
      expect(t.server.all().length).toBe(4);
      expect(t.server.open().length).toBe(2);
      expect(t.actionListeners()).toBe(baseline);
    });

    it('loginAs reopens as the target user; the logout that ends it reopens as the master', () => {
      logIn(ADMIN);
      const adminToken = t.jwt.accessToken;
      t.store.dispatch(jwtActions.loginAs({ userId: 'u-manager' }));
      acknowledgeCloses();
      serveAll();

      expect(count(loginAsAndInitSocketsSucceed.type)).toBe(1);
      expect(lastAuthToken(t.server.last(MAIN_URL))).toBe(t.jwt.accessToken!);
      expect(t.jwt.user()?.login).toBe('manager');
      expect(t.server.open().length).toBe(2);

      t.store.dispatch(jwtActions.logout());
      acknowledgeCloses();
      serveAll();

      expect(t.jwt.user()?.login).toBe('admin');
      expect(lastAuthToken(t.server.last(MAIN_URL))).toBe(adminToken!);
      expect(t.server.open().length).toBe(2);
      expect(count(initSockets.type)).toBe(3);
      expect(count(closeSockets.type)).toBe(0);
      expect(t.actionListeners()).toBe(baseline);
    });

    it('a failed loginAs ends in loginAsAndInitSocketsErrored and leaves the sockets as they were', () => {
      logIn(MANAGER);
      t.store.dispatch(jwtActions.loginAs({ userId: 'u-viewer' }));

      const errored = t.dispatched.find((a) => a.type === loginAsAndInitSocketsErrored.type) as ReturnType<typeof loginAsAndInitSocketsErrored>;
      expect(errored.error).toBe('Only an admin may log in as another user.');
      expect(t.server.open().length).toBe(2);
      expect(t.actionListeners()).toBe(baseline);
    });

    it('login-as during a reconnect leaves exactly the target user\'s sockets and no pending reconnect', () => {
      logIn(ADMIN);
      for (const socket of t.server.open()) socket.drop();
      expect(t.owner.status('main')).toBe('reconnecting');

      t.store.dispatch(jwtActions.loginAs({ userId: 'u-viewer' }));
      serveAll();

      expect(count(loginAsAndInitSocketsSucceed.type)).toBe(1);
      expect(t.server.all().length).toBe(4);
      expect(t.server.open().length).toBe(2);
      expect(t.server.open().every((socket) => lastAuthToken(socket) === t.jwt.accessToken)).toBeTrue();
      expect(scheduler.pending).toBe(0);
    });

    it('a full logout closes every socket and none reopens', () => {
      logIn();
      t.store.dispatch(jwtActions.logout());
      acknowledgeCloses();

      expect(count(closeSocketsFinished.type)).toBe(1);
      expect(t.server.all().length).toBe(2);
      t.server.verify();
      expect(t.store.selectSignal(selectSocketStatus('main'))()).toBe('closed');
      expect(t.store.selectSignal(selectSocketStatus('notifications'))()).toBe('closed');
    });

    it('a socket the server logs out (4441) is reported by socketClosedForever with its code', () => {
      logIn();
      t.server.last(MAIN_URL).serverClose(4441, 'logged out everywhere');

      const stopped = t.dispatched.filter((a) => a.type === socketClosedForever.type) as ReturnType<typeof socketClosedForever>[];
      expect(stopped.length).toBe(1);
      expect(stopped[0].code).toBe(4441);
      expect(stopped[0].error).toMatch(/^Socket "main": The server closed the socket for good \(code 4441: logged out everywhere\)/);
    });
  });

  it('SocketsEffects registered once more by the app (as a 1.2.x app could) still runs once', () => {
    t = setUpFake({ providers: [provideEffects(SocketsEffects)] });
    logIn();

    expect(count(initSockets.type)).toBe(1);
    expect(count(initSocketsSucceed.type)).toBe(1);
    expect(t.server.all().length).toBe(2);
  });

  describe('with a backend that answers when told', () => {
    let api: GatedJwtApi;

    beforeEach(() => {
      t = setUpFake({ jwt: provideGatedJwt() });
      api = TestBed.inject(GatedJwtApi);
      baseline = t.actionListeners();
    });

    it('ends a login made while another is being signed in as ignored (the JWT package ignores it); the first gets the outcome', () => {
      const release = api.hold('login');
      t.store.dispatch(jwtActions.login({ credentials: MANAGER }));
      t.store.dispatch(jwtActions.login({ credentials: ADMIN }));
      release();
      serveAll();

      const outcomes = t.dispatched.filter((a) => a.type === loginAndInitSocketsErrored.type || a.type === loginAndInitSocketsSucceed.type);
      expect(outcomes.map((a) => a.type)).toEqual([loginAndInitSocketsErrored.type, loginAndInitSocketsSucceed.type]);
      expect((outcomes[0] as ReturnType<typeof loginAndInitSocketsErrored>).error).toContain('Ignored: a login was already under way');
      expect(t.jwt.user()?.login).toBe(MANAGER.login);
      expect(t.actionListeners()).toBe(baseline);
    });

    it('ends a login superseded by a newer one made while its sockets open as errored; the newer one gets the outcome', () => {
      t.store.dispatch(jwtActions.login({ credentials: MANAGER }));
      t.store.dispatch(jwtActions.login({ credentials: ADMIN }));
      acknowledgeCloses();
      serveAll();

      const outcomes = t.dispatched.filter((a) => a.type === loginAndInitSocketsErrored.type || a.type === loginAndInitSocketsSucceed.type);
      expect(outcomes.map((a) => a.type)).toEqual([loginAndInitSocketsErrored.type, loginAndInitSocketsSucceed.type]);
      expect((outcomes[0] as ReturnType<typeof loginAndInitSocketsErrored>).error).toContain('Superseded by a newer login');
      expect(t.jwt.user()?.login).toBe(ADMIN.login);
      expect(t.actionListeners()).toBe(baseline);
    });

    it('a logout during init ends the login as errored and leaves no socket open', () => {
      t.store.dispatch(jwtActions.login({ credentials: MANAGER }));
      t.server.last(MAIN_URL).accept();
      t.store.dispatch(jwtActions.logout());
      acknowledgeCloses();

      const errored = t.dispatched.find((a) => a.type === loginAndInitSocketsErrored.type) as ReturnType<typeof loginAndInitSocketsErrored>;
      expect(errored.error).toBe('The sockets were closed (a logout) before they were ready.');
      expect(count(initSocketsErrored.type)).toBe(1);
      expect(count(closeSocketsFinished.type)).toBe(1);
      t.server.last(NOTIFICATIONS_URL).accept();
      t.server.verify();
      expect(t.actionListeners()).toBe(baseline);
    });

    it('does not report the sockets the server closes during our own logout as closed forever', () => {
      t.store.dispatch(jwtActions.login({ credentials: MANAGER }));
      serveAll();
      const release = api.hold('logout');
      t.store.dispatch(jwtActions.logout());
      for (const socket of t.server.open()) socket.serverClose(4440, 'session logged out');
      release();

      expect(count(socketClosedForever.type)).toBe(0);
      expect(count(closeSocketsFinished.type)).toBe(1);
      t.server.verify();
    });
  });
});

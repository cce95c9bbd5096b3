import { SocketState } from 'customapp-rxjs-websocket';
import { firstValueFrom, type Observable, of } from 'rxjs';
import { AuthBeforeSocketConfigError, SocketsInitAbortedError, provideAuthBeforeSocket } from '../public-api';
import {
  fakeChain,
  fakeSocket,
  lastAuthToken,
  MAIN_URL,
  NOTIFICATIONS_URL,
  sent,
  serve,
} from '../spec-support/fake-chain';
import { ADMIN, type FakeSetUp, MANAGER, jwtActions, setUpFake } from '../spec-support/set-up-fake';
import { until } from '../spec-support/waiting';

function record<T>(source: Observable<T>) {
  const result = { values: [] as T[], error: undefined as unknown, completed: false };
  source.subscribe({
    next: (value) => result.values.push(value),
    error: (error) => (result.error = error),
    complete: () => (result.completed = true),
  });
  return result;
}

describe('WebSocketsOwnerService', () => {
  let t: FakeSetUp;

  /** Logs in through JwtService only, so the effects do not open the sockets. */
  function logInQuietly(credentials = MANAGER): void {
    t.jwt.login(credentials).subscribe();
  }

  describe('with two sockets in one link', () => {
    beforeEach(() => {
      t = setUpFake();
    });

    it('has the controllers of the first link before anyone logs in', () => {
      expect(Object.keys(t.owner.sockets).sort()).toEqual(['main', 'notifications']);
      expect(t.owner.sockets['main'].state).toBe(SocketState.closed);
      expect(t.owner.sockets['main'].active).toBeFalse();
      expect(t.server.all().length).toBe(0);
    });

    it('opens both sockets at once, authorizes each with a fresh token and the user, and completes once both are subscribed', () => {
      logInQuietly();
      const init = record(t.owner.init());

      expect(t.server.all().length).toBe(2);
      serve(t.server.last(NOTIFICATIONS_URL));
      expect(init.completed).toBeFalse();
      serve(t.server.last(MAIN_URL));

      expect(init.completed).toBeTrue();
      expect(t.owner.sockets['main'].state).toBe(SocketState.subscribed);
      expect(t.owner.status('main')).toBe('live');
      expect(lastAuthToken(t.server.last(MAIN_URL))).toBe(t.jwt.accessToken!);
      expect(sent(t.server.last(NOTIFICATIONS_URL)).map((r) => r.sub?.kind ?? 'auth')).toEqual(['auth', 'NOTIFICATIONS']);
    });

    it('closes the open sockets before opening them again, so a second init never opens twice', () => {
      logInQuietly();
      t.owner.init();
      serve(t.server.last(MAIN_URL));
      serve(t.server.last(NOTIFICATIONS_URL));

      const again = record(t.owner.init());
      for (const socket of t.server.all().slice(0, 2)) socket.acknowledgeClose();
      expect(t.server.all().length).toBe(4);
      serve(t.server.last(MAIN_URL));
      serve(t.server.last(NOTIFICATIONS_URL));

      expect(again.completed).toBeTrue();
      expect(t.server.open().length).toBe(2);
      expect(t.server.all().slice(0, 2).every((socket) => socket.closedByClient?.code === 1000)).toBeTrue();
    });

    it('ends an init superseded by a newer one with SocketsInitAbortedError, and the newer one wins', () => {
      logInQuietly();
      const first = record(t.owner.init());
      const second = record(t.owner.init());

      expect(first.error).toEqual(jasmine.any(SocketsInitAbortedError));
      expect((first.error as SocketsInitAbortedError).by).toBe('init');
      serve(t.server.last(MAIN_URL));
      serve(t.server.last(NOTIFICATIONS_URL));
      expect(second.completed).toBeTrue();
      expect(t.server.open().length).toBe(2);
    });

    it('fails the init with a readable reason and closes every socket when one socket is refused', () => {
      logInQuietly();
      const init = record(t.owner.init());
      serve(t.server.last(NOTIFICATIONS_URL));
      serve(t.server.last(MAIN_URL), { refuseAuth: { code: 'TOKEN_INVALID', message: 'The token is not valid.' } });

      expect((init.error as Error).message).toContain('The server refused the socket');
      expect((init.error as Error).message).toContain('The token is not valid.');
      expect(t.server.open().length).toBe(0);
      expect(t.owner.initializing).toBeFalse();
    });

    it('stops an init under way when closeAll() is called, leaving nothing open', async () => {
      logInQuietly();
      const init = record(t.owner.init());
      t.server.last(MAIN_URL).accept();

      const closed = firstValueFrom(t.owner.closeAll());
      t.server.last(MAIN_URL).acknowledgeClose();
      await closed;

      expect((init.error as SocketsInitAbortedError).by).toBe('closeAll');
      expect(t.server.open().length).toBe(0);
      t.server.last(NOTIFICATIONS_URL).accept(); // a socket abandoned while connecting is closed once it opens
      expect(t.server.last(NOTIFICATIONS_URL).closedByClient).toBeDefined();
      expect(t.owner.sockets['main'].active).toBeFalse();
    });

    it('fails with the JWT package\'s reason when nobody is logged in', () => {
      const init = record(t.owner.init());
      t.server.last(MAIN_URL).accept();
      expect((init.error as Error).message).toContain('Nobody is logged in');
    });

    it('after a "token expired" close, authorizes again with a refreshed token, not the refused one', async () => {
      logInQuietly();
      t.owner.init();
      serve(t.server.last(MAIN_URL));
      serve(t.server.last(NOTIFICATIONS_URL));
      const refused = lastAuthToken(t.server.last(MAIN_URL));
      const refreshes = t.api.calls.refresh;

      t.server.last(MAIN_URL).serverClose(4419, 'token expired');
      expect(t.owner.status('main')).toBe('reconnecting');
      await until(() => t.server.all(MAIN_URL).length === 2, 'the reconnect');
      serve(t.server.last(MAIN_URL));

      expect(t.api.calls.refresh).toBe(refreshes + 1);
      expect(lastAuthToken(t.server.last(MAIN_URL))).not.toBe(refused);
      expect(lastAuthToken(t.server.last(MAIN_URL))).toBe(t.jwt.accessToken!);
      expect(t.owner.status('main')).toBe('live');
    });

    it('refreshes a token about to expire before a reconnect authorizes with it', async () => {
      logInQuietly();
      t.owner.init();
      serve(t.server.last(MAIN_URL));
      serve(t.server.last(NOTIFICATIONS_URL));
      const first = lastAuthToken(t.server.last(MAIN_URL));

      t.clock.tick(15 * 60_000);
      t.server.last(MAIN_URL).drop();
      await until(() => t.server.all(MAIN_URL).length === 2, 'the reconnect');
      serve(t.server.last(MAIN_URL));

      expect(t.api.calls.refresh).toBe(1);
      expect(lastAuthToken(t.server.last(MAIN_URL))).not.toBe(first);
      expect(lastAuthToken(t.server.last(MAIN_URL))).toBe(t.jwt.accessToken!);
    });

    it('reports a drop as reconnecting until the socket is subscribed again', async () => {
      logInQuietly();
      t.owner.init();
      serve(t.server.last(MAIN_URL));
      serve(t.server.last(NOTIFICATIONS_URL));
      const statuses: string[] = [];
      t.owner.stateChanges$.subscribe(({ socketId, status }) => socketId === 'main' && statuses.push(status));

      t.server.last(MAIN_URL).drop();
      await until(() => t.server.all(MAIN_URL).length === 2, 'the reconnect');
      serve(t.server.last(MAIN_URL));

      expect(statuses).toEqual(['reconnecting', 'reconnecting', 'reconnecting', 'reconnecting', 'live']);
    });

    it('reports a socket stopped by the server with its close code', () => {
      logInQuietly();
      t.owner.init();
      serve(t.server.last(MAIN_URL));
      serve(t.server.last(NOTIFICATIONS_URL));
      const stopped = record(t.owner.closedForever$);

      t.server.last(MAIN_URL).serverClose(4441, 'logged out everywhere');

      expect(stopped.values.length).toBe(1);
      expect(stopped.values[0].socketId).toBe('main');
      expect(stopped.values[0].code).toBe(4441);
      expect(stopped.values[0].error.message).toContain('logged out everywhere');
      expect(t.owner.status('main')).toBe('closed');
    });

    it('says nothing on closedForever$ for sockets closed by closeAll()', () => {
      logInQuietly();
      t.owner.init();
      serve(t.server.last(MAIN_URL));
      serve(t.server.last(NOTIFICATIONS_URL));
      const stopped = record(t.owner.closedForever$);

      t.owner.closeAll();
      for (const socket of t.server.all()) socket.acknowledgeClose();

      expect(stopped.values).toEqual([]);
      expect(t.owner.status('main')).toBe('closed');
    });
  });

  describe('with a chain of two links', () => {
    let readyCalls: { user: string; jwt: string; responses: string[] }[];

    beforeEach(() => {
      readyCalls = [];
      t = setUpFake({
        chain: fakeChain({
          chain: {
            sockets: [fakeSocket('main', MAIN_URL, 'CATEGORIES')],
            socketsReady: (user, jwt, responses) => {
              readyCalls.push({ user: user.login, jwt, responses: Object.keys(responses) });
              return user.role === 'ADMIN' ? of({ sockets: [fakeSocket('audit', 'ws://fake.test/audit', 'AUDIT_LOG')] }) : undefined;
            },
          },
        }),
      });
    });

    it('opens the second link only after the first is subscribed, and keeps its controller across inits', () => {
      logInQuietly(ADMIN);
      const init = record(t.owner.init());
      expect(t.server.all().length).toBe(1);
      expect(t.owner.sockets['audit']).toBeUndefined();

      serve(t.server.last(MAIN_URL));
      expect(readyCalls).toEqual([{ user: 'admin', jwt: t.jwt.accessToken!, responses: ['main'] }]);
      expect(t.server.all().length).toBe(2);
      const audit = t.owner.sockets['audit'];
      expect(audit).toBeDefined();
      expect(init.completed).toBeFalse();
      serve(t.server.last('/audit'));
      expect(init.completed).toBeTrue();

      t.owner.init();
      for (const socket of t.server.all()) if (socket.closedByClient) socket.acknowledgeClose();
      serve(t.server.last(MAIN_URL));
      serve(t.server.last('/audit'));
      expect(t.owner.sockets['audit']).toBe(audit);
      expect(t.server.open().length).toBe(2);
    });

    it('ends the chain where socketsReady says so', () => {
      logInQuietly(MANAGER);
      const init = record(t.owner.init());
      serve(t.server.last(MAIN_URL));
      expect(init.completed).toBeTrue();
      expect(t.server.all().length).toBe(1);
    });
  });

  describe('configuration', () => {
    it('refuses a chain without sockets', () => {
      expect(() => provideAuthBeforeSocket(fakeChain({ chain: { sockets: [] } }))).toThrowError(AuthBeforeSocketConfigError, /no sockets/);
    });

    it('refuses two sockets with one id', () => {
      expect(() =>
        provideAuthBeforeSocket(fakeChain({ chain: { sockets: [fakeSocket('main', MAIN_URL, 'A'), fakeSocket('main', NOTIFICATIONS_URL, 'B')] } })),
      ).toThrowError(AuthBeforeSocketConfigError, /"main"/);
    });

    it('lets a socket override the common options', () => {
      t = setUpFake({
        chain: fakeChain({ chain: { sockets: [{ ...fakeSocket('main', () => `${MAIN_URL}?v=2`, 'CATEGORIES'), protocol: 'api.v1.json' }] } }),
      });
      logInQuietly();
      t.owner.init();
      expect(t.server.last().url).toBe(`${MAIN_URL}?v=2`);
      expect(t.server.last().protocols).toBe('api.v1.json');
      t.store.dispatch(jwtActions.logout());
    });
  });
});

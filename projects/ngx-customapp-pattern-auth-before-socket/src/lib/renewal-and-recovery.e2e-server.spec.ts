// In-band re-auth and missed-push recovery through the whole package against the e2e-server: tokens
// of 3 s renewed by JwtService.renewals$ and sent on the open sockets; an outage with another user's
// edits, recovered (or resynced) on reconnect and told to the store.
import { type Action } from '@ngrx/store';
import { WebSocketController } from 'customapp-rxjs-websocket';
import { filter, firstValueFrom, forkJoin, type Observable, of, Subject, timer } from 'rxjs';
import { api, CLIENT_CLOSE_POLICY, CLIENT_RECOVERY, Subprotocol } from '../../../../e2e-server/src/protocol';
import {
  loginAndInitSocketsErrored,
  loginAndInitSocketsSucceed,
  type SocketConfig,
  selectSocketRecovery,
  socketRecovered,
} from '../public-api';
import {
  authActions,
  control,
  decodeFrame,
  e2eChain,
  e2eServer,
  e2eSocket,
  type E2eSetUp,
  type E2eUser,
  encodeFrame,
  httpLogin,
  type Req,
  type Res,
  setUpE2e,
  stats,
} from '../spec-support/e2e-server';
import { next, until } from '../spec-support/waiting';

/** The e2e-server's socket, renewing its authorization in band; `tamper` may change the token sent. */
function renewingSocket(
  socketId: string,
  url: string,
  kind: api.SubKind,
  tamper: (jwt: string) => string = (jwt) => jwt,
): SocketConfig<Req, Res, ArrayBuffer, E2eUser> {
  return { ...e2eSocket(socketId, url, kind), reauthorize: { createRequest: (_user, jwt) => ({ id: 0, reauth: { accessToken: tamper(jwt) } }) } };
}

/** Counts what a stream emits from now on. */
function counter(source: Observable<unknown>): { count: number } {
  const counted = { count: 0 };
  source.subscribe(() => (counted.count += 1));
  return counted;
}

/** Waits, in real time, for `ms`: only where the behaviour under test is about time passing. */
const realTime = (ms: number) => firstValueFrom(timer(ms));

describe('against the e2e-server: in-band re-auth and missed-push recovery', () => {
  let t: E2eSetUp;
  let extra: WebSocketController<Req, Res, ArrayBuffer>[] = [];

  beforeEach(async () => {
    await control('reset');
  });

  afterEach(async () => {
    await firstValueFrom(t.owner.closeAll());
    await Promise.all(extra.map((socket) => firstValueFrom(socket.close(), { defaultValue: undefined })));
    extra = [];
    await control('reset');
  });

  async function logIn(login: string): Promise<void> {
    const result = next(t.actions$.pipe(filter((a: Action) => a.type === loginAndInitSocketsSucceed.type || a.type === loginAndInitSocketsErrored.type)));
    t.store.dispatch(authActions.login({ credentials: { login, password: `${login}-pass` } }));
    expect((await result).type).toBe(loginAndInitSocketsSucceed.type);
  }

  describe('re-auth with 3 s access tokens', () => {
    beforeEach(async () => {
      await control('access-ttl?seconds=3');
    });

    function threeSockets(tamperAudit?: (jwt: string) => string) {
      const { wsUrl, notificationsUrl } = e2eServer();
      return e2eChain({
        chain: {
          sockets: [
            renewingSocket('categories', wsUrl, api.SubKind.CATEGORIES),
            renewingSocket('notifications', notificationsUrl, api.SubKind.NOTIFICATIONS),
            renewingSocket('audit', wsUrl, api.SubKind.AUDIT_LOG, tamperAudit),
          ],
        },
      });
    }

    it('keeps three sockets open for 20 s through every renewal: no reconnect, subscriptions intact, one HTTP refresh per renewal', async () => {
      t = setUpE2e(threeSockets());
      await logIn('admin');
      const ids = ['categories', 'notifications', 'audit'];
      const reconnects = ids.map((id) => counter(t.owner.sockets[id].pending$));
      const reauthorized = ids.map((id) => counter(t.owner.sockets[id].reauthorized$));
      const renewals = counter(t.jwt.renewals$);
      const refreshesBefore = t.api.refreshes;
      const expiries: number[] = [];
      t.jwt.renewals$.subscribe(() => expiries.push(t.jwt.accessTokenExpiresAt ?? 0));

      // The feature is about time: 20 s of 3 s tokens, in real time.
      await realTime(20_000);
      const renewed = renewals.count;
      await until(() => reauthorized.every((socket) => socket.count >= renewed), 'every socket renewed with the last token');

      expect(renewed).toBeGreaterThanOrEqual(5);
      expect(t.api.refreshes - refreshesBefore).toBe(renewed);
      expect(reauthorized.map((socket) => socket.count)).toEqual([renewed, renewed, renewed]);
      expect(reconnects.map((socket) => socket.count)).toEqual([0, 0, 0]);
      expect(new Set(expiries).size).toBe(expiries.length);
      expect(await stats()).toEqual(jasmine.objectContaining({ sockets: 3, authorized: 3, subscriptions: 3 }));
      const pushed = next(t.owner.sockets['categories'].messages$, (m) => m.sub?.categoryUpdate?.name === 'Twenty seconds on');
      const audited = next(t.owner.sockets['audit'].messages$, (m) => !!m.sub?.audit);
      await next(t.owner.sockets['categories'].request({ id: 0, menuAdd: { name: 'Twenty seconds on' } }));
      await Promise.all([pushed, audited]);
    }, 45_000);

    it('three sockets share one HTTP refresh for a renewal', async () => {
      t = setUpE2e(threeSockets());
      await logIn('admin');
      const refreshesBefore = t.api.refreshes;
      const reauthorized = ['categories', 'notifications', 'audit'].map((id) => next(t.owner.sockets[id].reauthorized$, () => true, 10_000));

      const [token] = await Promise.all([next(t.jwt.renewals$, () => true, 10_000), ...reauthorized]);

      expect(t.api.refreshes - refreshesBefore).toBe(1);
      expect(token).toBe(t.jwt.accessToken!);
    });

    it('falls back to one reconnect of the socket whose renewal the server refused; the others stay', async () => {
      let tampered = 0;
      t = setUpE2e(threeSockets((jwt) => (++tampered === 1 ? `${jwt}-tampered` : jwt)));
      await logIn('admin');
      const reconnects = ['categories', 'notifications', 'audit'].map((id) => counter(t.owner.sockets[id].pending$));
      const audit = t.owner.sockets['audit'];
      const refused = next(t.owner.errors$, ({ error }) => error.name === 'ReauthorizeRejectedError', 10_000);
      const back = next(audit.subscribed$, () => true, 10_000);

      const { socketId, error } = await refused;
      await back;
      // The next renewal is taken in band again, by every socket.
      await Promise.all(['categories', 'notifications', 'audit'].map((id) => next(t.owner.sockets[id].reauthorized$, () => true, 10_000)));

      expect(socketId).toBe('audit');
      expect(error.message).toMatch(/TOKEN_INVALID/);
      expect(reconnects.map((socket) => socket.count)).toEqual([0, 0, 1]);
      expect(audit.authResponse?.auth?.user?.login).toBe('admin');
    });
  });

  describe('recovery after an outage with another user editing', () => {
    const online = new Subject<void>();

    beforeEach(() => {
      const chain = e2eChain({ chain: { sockets: [e2eSocket('categories', e2eServer().wsUrl, api.SubKind.CATEGORIES)] } });
      t = setUpE2e({
        ...chain,
        commonConfig: { ...chain.commonConfig, recovery: CLIENT_RECOVERY, online$: online },
        // The outage ends when the test says so (the `online` event), not when a backoff does.
        commonOpenOptions: { autoReconnect: { interval: () => 10 * 60_000 } },
      });
    });

    /** A manager's socket of its own, outside the package, reconnecting at once. */
    async function editor(): Promise<WebSocketController<Req, Res, ArrayBuffer>> {
      const tokens = await httpLogin('manager');
      const socket = new WebSocketController<Req, Res, ArrayBuffer>({
        url: e2eServer().wsUrl,
        protocol: Subprotocol.Protobuf,
        binaryType: 'arraybuffer',
        serializer: encodeFrame,
        deserializer: decodeFrame,
        isErrorResponse: (response) => !!response.error,
        ...CLIENT_CLOSE_POLICY,
        authorize: { createRequest: () => of({ id: 0, auth: { accessToken: tokens.accessToken } }) },
      });
      extra.push(socket);
      socket.open({ autoReconnect: { interval: () => 50 } });
      await next(socket.authorized$);
      return socket;
    }

    /** Cuts every socket; the editor makes `names` while the viewer is away for at least 3 s. */
    async function outage(names: string[]): Promise<{ lists: Res[]; changes: Res[] }> {
      const manager = await editor();
      const categories = t.owner.sockets['categories'];
      const lists: Res[] = [];
      const changes: Res[] = [];
      categories.messages$.subscribe((message) => {
        if (message.sub?.categories) lists.push(message);
        else if (message.sub) changes.push(message);
      });
      await logIn('viewer');
      await until(() => lists.length === 1, 'the list sent after subscribing');
      lists.length = 0;
      const managerBack = next(manager.authorized$);
      const viewerDown = next(categories.closed$);
      await control('drop');
      const threeSeconds = realTime(3000);
      await Promise.all([managerBack, viewerDown]);
      await firstValueFrom(forkJoin(names.map((name) => manager.request({ id: 0, menuAdd: { name } }))));
      await threeSeconds;
      expect(changes).toEqual([]);

      const recovered = next(t.actions$.pipe(filter((a: Action) => a.type === socketRecovered.type)), () => true, 10_000);
      online.next();
      await recovered;
      await until(() => t.owner.status('categories') === 'live', 'the socket live again');
      // Answered after every push the server sent before it: the replay is all in.
      await next(categories.request({ id: 0, menuList: {} }));
      return { lists, changes };
    }

    it('gets the 100 pushes missed during a 3 s outage, in order and once, and the store says recovered', async () => {
      const names = Array.from({ length: 100 }, (_, i) => `While away ${i + 1}`);
      const { lists, changes } = await outage(names);

      expect(changes.map((message) => message.sub?.categoryUpdate?.name)).toEqual(names);
      const seqs = changes.map((message) => Number(message.sub?.position?.seq));
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0] + i));
      expect(lists).toEqual([]);
      expect(t.store.selectSignal(selectSocketRecovery('categories'))()).toEqual({ outcome: 'recovered', replayed: 100 });
      const action = t.dispatched.find((a) => a.type === socketRecovered.type) as ReturnType<typeof socketRecovered>;
      expect(action.streams).toEqual([{ stream: String(api.SubKind.CATEGORIES), outcome: 'recovered', replayed: 100 }]);
      expect(t.owner.status('categories')).toBe('live');
    }, 30_000);

    it('resyncs once, flagged as such in the store, when the history no longer reaches back', async () => {
      await control('history?maxCount=0');
      const names = ['Gone 1', 'Gone 2', 'Gone 3'];
      const { lists, changes } = await outage(names);

      expect(t.store.selectSignal(selectSocketRecovery('categories'))()).toEqual({ outcome: 'resynced', replayed: 0 });
      expect(lists.length).toBe(1);
      expect(lists[0].sub?.categories?.items?.map((category) => category.name)).toEqual(jasmine.arrayContaining(names));
      expect(changes).toEqual([]);
    }, 30_000);
  });
});

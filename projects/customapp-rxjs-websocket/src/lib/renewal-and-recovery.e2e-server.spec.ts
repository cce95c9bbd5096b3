import {
  ReauthorizeRejectedError,
  RecoveryReport,
  SocketState,
  WebSocketController,
  WebSocketControllerConfig,
  WebSocketControllerError,
} from 'customapp-rxjs-websocket';
import { defer, firstValueFrom, forkJoin, of, Subject, timer } from 'rxjs';
import {
  api,
  CLIENT_CLOSE_POLICY,
  CLIENT_RECOVERY,
  decodeResponseFrame,
  encodeRequestFrame,
  Subprotocol,
} from '../../../../e2e-server/src/protocol';
import { control, e2eServer, login, next } from '../spec-helpers/e2e-server';

type Req = api.Request.$Properties;
type Res = api.Response;
type Tokens = Awaited<ReturnType<typeof login>>;

/** Refreshes over HTTP, as a token source would. */
async function refresh(refreshToken: string): Promise<Tokens> {
  const response = await fetch(`${e2eServer().httpUrl}/api/auth/refresh`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ refreshToken }),
  });
  if (!response.ok) throw new Error(`refresh failed with ${response.status}`);
  return (await response.json()) as Tokens;
}

/** A protobuf controller of the main socket subscribed to CATEGORIES, with the given extra options. */
function mainSocket(token: () => string, extra: Partial<WebSocketControllerConfig<Req, Res, ArrayBuffer>> = {}) {
  const config: WebSocketControllerConfig<Req, Res, ArrayBuffer> = {
    url: e2eServer().wsUrl,
    protocol: Subprotocol.Protobuf,
    binaryType: 'arraybuffer',
    serializer: (request) => {
      const bytes = encodeRequestFrame('protobuf', request) as Uint8Array;
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
    deserializer: (event) => decodeResponseFrame('protobuf', event.data),
    isErrorResponse: (response) => !!response.error,
    describeError: (response) => `${api.ErrorCode[response.error?.code ?? 0]}: ${response.error?.message ?? ''}`,
    ...CLIENT_CLOSE_POLICY,
    requestTimeout: 5000,
    authorize: {
      createRequest: () => of({ id: 0, auth: { accessToken: token() } }),
      isTokenExpiredResponse: (response) => response.error?.code === api.ErrorCode.TOKEN_EXPIRED,
    },
    subscribe: { createRequests: () => of([{ id: 0, sub: { kind: api.SubKind.CATEGORIES } }]) },
    ...extra,
  };
  return new WebSocketController(config);
}

const closeAll = (controllers: WebSocketController<Req, Res, ArrayBuffer>[]) =>
  Promise.all(controllers.map((controller) => firstValueFrom(controller.close(), { defaultValue: undefined })));

describe('WebSocketController against the e2e-server: in-band re-auth and missed-push recovery', () => {
  let controllers: WebSocketController<Req, Res, ArrayBuffer>[] = [];

  beforeEach(async () => {
    await control('reset');
  });

  afterEach(async () => {
    await closeAll(controllers);
    controllers = [];
    await control('reset');
  });

  describe('reauthorize()', () => {
    it('keeps the socket open past the expiry of its first token, its subscription intact', async () => {
      await control('access-ttl?seconds=3');
      let tokens = await login('manager');
      const firstExpiry = tokens.expiresAt;
      const socket = mainSocket(() => tokens.accessToken, {
        reauthorize: {
          createRequest: () =>
            defer(async () => {
              tokens = await refresh(tokens.refreshToken);
              return { id: 0, reauth: { accessToken: tokens.accessToken } };
            }),
        },
      });
      controllers.push(socket);
      const connections: unknown[] = [];
      socket.pending$.subscribe(() => connections.push('pending'));
      socket.open({ autoReconnect: { interval: () => 50 } });
      await next(socket.subscribed$);
      // The feature is about time: renew, in real time, a second before the first token expires.
      await firstValueFrom(timer(Math.max(0, firstExpiry * 1000 - Date.now() - 1000)));

      const answer = await next(socket.reauthorize());

      expect(answer?.reauthed?.expiresAt).toBe(tokens.expiresAt);
      expect(tokens.expiresAt).toBeGreaterThan(firstExpiry);
      await firstValueFrom(timer(Math.max(0, firstExpiry * 1000 - Date.now()) + 300));
      expect(socket.state).toBe(SocketState.subscribed);
      const pushed = next(socket.messages$, (m) => m.sub?.categoryUpdate?.name === 'After the first expiry');
      await next(socket.request({ id: 0, menuAdd: { name: 'After the first expiry' } }));
      await pushed;
      expect(connections.length).toBe(1);
    }, 15_000);

    it('falls back to one reconnect with a fresh token when the server refuses the renewal', async () => {
      const tokens = await login('manager');
      const socket = mainSocket(() => tokens.accessToken, {
        reauthorize: { createRequest: () => of({ id: 0, reauth: { accessToken: 'not-a-token-of-this-server' } }) },
      });
      controllers.push(socket);
      const errors: WebSocketControllerError[] = [];
      socket.error$.subscribe((error) => errors.push(error));
      socket.open({ autoReconnect: { interval: () => 50 } });
      await next(socket.subscribed$);
      const closes: unknown[] = [];
      socket.closed$.subscribe((close) => closes.push(close));
      const back = next(socket.subscribed$);

      const failed = await firstValueFrom(socket.reauthorize()).catch((error: unknown) => error);
      await back;

      expect(failed).toBeInstanceOf(ReauthorizeRejectedError);
      expect((failed as ReauthorizeRejectedError<Res>).response?.error?.code).toBe(api.ErrorCode.TOKEN_INVALID);
      expect(closes).toEqual([jasmine.objectContaining({ willReconnect: true, reconnectIn: 0 })]);
      expect(errors.map((error) => error.name)).toEqual(['ReauthorizeRejectedError']);
      expect(socket.state).toBe(SocketState.subscribed);
    });
  });

  describe('recovery', () => {
    const EDITS = 100;

    /** A viewer whose reconnect waits for `online`, and a manager who reconnects at once and edits. */
    async function outageWithEdits(names: string[]) {
      const viewerTokens = await login('viewer');
      const managerTokens = await login('manager');
      const online = new Subject<void>();
      const viewer = mainSocket(() => viewerTokens.accessToken, { recovery: CLIENT_RECOVERY, online$: online });
      const manager = mainSocket(() => managerTokens.accessToken);
      controllers.push(viewer, manager);
      const lists: Res[] = [];
      const changes: Res[] = [];
      viewer.messages$.subscribe((message) => {
        if (message.sub?.categories) lists.push(message);
        else if (message.sub) changes.push(message);
      });
      viewer.open({ autoReconnect: { interval: () => 10 * 60_000 } });
      manager.open({ autoReconnect: { interval: () => 50 } });
      await Promise.all([next(viewer.subscribed$), next(manager.subscribed$)]);
      expect(lists.length).toBe(1);
      const seenBefore = changes.length;

      const managerBack = next(manager.subscribed$);
      const viewerDown = next(viewer.closed$);
      await control('drop');
      const outage = firstValueFrom(timer(3000));
      await Promise.all([managerBack, viewerDown]);
      // Every edit answered (and so published) while the viewer is cut off.
      await firstValueFrom(forkJoin(names.map((name) => manager.request({ id: 0, menuAdd: { name } }))));
      await outage;
      expect(viewer.state).toBe(SocketState.closed);

      const recovered = next(viewer.recovered$, () => true, 10_000);
      const subscribed = next(viewer.subscribed$, () => true, 10_000);
      online.next();
      const report: RecoveryReport = await recovered;
      await subscribed;
      return { viewer, report, lists, changes: () => changes.slice(seenBefore) };
    }

    it('gets exactly the pushes missed during a 3 s outage, in order and once, without a reload', async () => {
      const names = Array.from({ length: EDITS }, (_, i) => `Missed ${i + 1}`);
      const { viewer, report, lists, changes } = await outageWithEdits(names);

      expect(report).toEqual(
        jasmine.objectContaining({ outcome: 'recovered', replayed: EDITS, streams: [{ stream: String(api.SubKind.CATEGORIES), outcome: 'recovered', replayed: EDITS }] }),
      );
      // A request answered after the replay: every push sent before its answer has arrived.
      await next(viewer.request({ id: 0, menuList: {} }));
      const missed = changes();
      expect(missed.map((message) => message.sub?.categoryUpdate?.name)).toEqual(names);
      const seqs = missed.map((message) => Number(message.sub?.position?.seq));
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0] + i));
      expect(new Set(missed.map((message) => message.sub?.categoryUpdate?.id)).size).toBe(EDITS);
      expect(lists.length).toBe(1);
      expect(viewer.recovery).toEqual(report);
    }, 30_000);

    it('resyncs once, flagged as such, when the history no longer reaches back', async () => {
      await control('history?maxCount=0');
      const names = Array.from({ length: 5 }, (_, i) => `Too late ${i + 1}`);
      const { viewer, report, lists, changes } = await outageWithEdits(names);

      expect(report).toEqual(jasmine.objectContaining({ outcome: 'resynced', replayed: 0 }));
      await next(viewer.request({ id: 0, menuList: {} }));
      expect(lists.length).toBe(2);
      const reloaded = lists[1].sub?.categories?.items?.map((category) => category.name) ?? [];
      expect(reloaded).toEqual(jasmine.arrayContaining(names));
      expect(changes()).toEqual([]);
    }, 30_000);
  });
});


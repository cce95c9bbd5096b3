import { AuthContext, AuthRejectedError, SocketState, WebSocketController, WebSocketCtor } from 'customapp-rxjs-websocket';
import { joinRoom, leaveRoom, roomsPreset } from 'customapp-rxjs-websocket/presets';
import type { RoomsFrame } from 'customapp-rxjs-websocket/presets';
import { defer, firstValueFrom, map, Observable, Subject, toArray } from 'rxjs';
import { control, dialectUrl, e2eServer, login, next, stats } from '../spec-helpers/e2e-server';

type RoomsSocket = WebSocketController<RoomsFrame, RoomsFrame, string>;
type Stats = Awaited<ReturnType<typeof stats>>;

/** A POST to the server's HTTP API with the access token, as a page would make it. */
async function post<T>(path: string, accessToken: string, body: unknown): Promise<T> {
  const response = await fetch(`${e2eServer().httpUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path} failed with ${response.status}`);
  return (await response.json()) as T;
}

/** A room change over HTTP; resolves with how many sockets got it. */
async function pushResource(accessToken: string, room: string, id: string): Promise<number> {
  const { delivered } = await post<{ delivered: number }>('/api/dialects/rooms/resources', accessToken, { room, action: 'updated', resource: { id } });
  return delivered;
}

/** Polls the server's stats until `check` passes, for at most `ms`. */
async function statsUntil(check: (s: Stats) => boolean, what: string, ms = 5000): Promise<Stats> {
  const deadline = Date.now() + ms;
  for (;;) {
    const current = await stats();
    if (check(current)) return current;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting until ${what}: ${JSON.stringify(current)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The browser's WebSocket, counting the sockets made. */
function countingWebSocket(): { Ctor: WebSocketCtor; made(): number } {
  let made = 0;
  class CountingWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      made += 1;
    }
  }
  return { Ctor: CountingWebSocket, made: () => made };
}

describe('roomsPreset against the bundled e2e-server, in the browser', () => {
  let socket: RoomsSocket | undefined;

  beforeEach(async () => {
    await control('reset');
  });

  afterEach(async () => {
    if (socket) await firstValueFrom(socket.close(), { defaultValue: undefined });
    socket = undefined;
  });

  /**
   * A viewer's rooms socket; every connection signs in anew over HTTP (unless `token` says otherwise)
   * and fetches a fresh room token for every join.
   */
  function roomsSocket(options: { rooms?: readonly string[]; token?: () => Promise<string> } = {}) {
    const contexts: AuthContext<RoomsFrame>[] = [];
    const tokens: string[] = [];
    const sign = options.token ?? (async () => (await login('viewer')).accessToken);
    const accessToken = () => tokens[tokens.length - 1];
    const roomToken = (name: string): Observable<string> =>
      defer(async () => (await post<{ token: string }>('/api/dialects/rooms/token', accessToken(), { name })).token);
    const sockets = countingWebSocket();
    const controller: RoomsSocket = new WebSocketController({
      ...roomsPreset({
        url: dialectUrl('rooms'),
        token: (context) =>
          defer(async () => {
            contexts.push(context);
            tokens.push(await sign());
            return accessToken();
          }),
        rooms: (options.rooms ?? []).map((name) => ({ name, token: () => roomToken(name) })),
      }),
      WebSocketCtor: sockets.Ctor,
      requestTimeout: 20_000,
    });
    socket = controller;
    const join = (name: string) => () => roomToken(name).pipe(map((token) => joinRoom(name, token)));
    return { controller, contexts, tokens, accessToken, join, sockets };
  }

  async function opened(controller: RoomsSocket) {
    const [result] = await firstValueFrom(controller.open({ autoReconnect: { interval: () => 50 } }).pipe(toArray()));
    return result;
  }

  it('authenticates with the token of the HTTP login and joins its rooms with room tokens fetched over HTTP', async () => {
    const { controller, contexts } = roomsSocket({ rooms: ['/menu', '/announcements'] });

    const result = await opened(controller);

    expect(controller.state).toBe(SocketState.subscribed);
    expect(result.authResponse?.event).toBe('authenticated');
    expect(contexts.map((c) => c.connection)).toEqual([1]);
    expect(result.subscribeResponses).toEqual([
      { event: 'realtime:join:success', data: { name: '/menu' } },
      { event: 'realtime:join:success', data: { name: '/announcements' } },
    ]);
    expect((await stats()).subscriptions).toBe(2);
  });

  it('delivers a realtime:resource push of a joined room on messages$, and join answers only to their joins', async () => {
    const { controller, accessToken, join } = roomsSocket({ rooms: ['/menu'] });
    const messages: RoomsFrame[] = [];
    controller.messages$.subscribe((m) => messages.push(m));
    await opened(controller);
    expect(await next(controller.subscription(join('/b')))).toEqual({ event: 'realtime:join:success', data: { name: '/b' } });
    const pushed = next(controller.messages$, (m) => m.event === 'realtime:resource');

    expect(await pushResource(accessToken(), '/menu', 'c-1')).toBe(1);

    expect((await pushed).data).toEqual({ room: '/menu', action: 'updated', path: '/menu/c-1', resource: { id: 'c-1' }, type: 'menu' });
    expect(messages.map((m) => m.event)).toEqual(['realtime:resource']);
  });

  it('after a server drop: authenticates with a new token and joins its rooms again, but not a room that was left', async () => {
    const { controller, contexts, tokens, accessToken, join } = roomsSocket({ rooms: ['/menu'] });
    await opened(controller);
    const kept = new Subject<RoomsFrame | undefined>();
    const gone = new Subject<RoomsFrame | undefined>();
    const bothJoined = Promise.all([next(kept), next(gone)]);
    controller.subscription(join('/b')).subscribe(kept);
    const leaving = controller.subscription(join('/c'), { unsubscribe: leaveRoom('/c'), unsubscribeExpectsResponse: true }).subscribe(gone);
    await bothJoined;
    expect(await pushResource(accessToken(), '/c', 'c-0')).toBe(1);

    leaving.unsubscribe();

    await statsUntil((s) => s.subscriptions === 2, 'the server took the leave of /c');
    expect(await pushResource(accessToken(), '/c', 'c-1')).toBe(0);
    expect(controller.requestsInFlight).toBe(0);

    const resubscribed = next(controller.subscribed$);
    const keptAgain = next(kept);
    await control('drop?dialect=rooms');
    const [again] = await Promise.all([resubscribed, keptAgain]);

    expect(again).toEqual([{ event: 'realtime:join:success', data: { name: '/menu' } }]);
    expect(contexts.map((c) => [c.connection, c.tokenExpired])).toEqual([
      [1, false],
      [2, false],
    ]);
    expect(tokens[1]).not.toBe(tokens[0]);
    expect(await pushResource(accessToken(), '/c', 'c-2')).toBe(0);
    expect(await pushResource(accessToken(), '/b', 'b-2')).toBe(1);
    expect((await statsUntil((s) => s.sockets === 1, 'only the new socket is open')).subscriptions).toBe(2);
  });

  it('stops after one attempt with AuthRejectedError when the token is invalid', async () => {
    const { controller, sockets } = roomsSocket({ rooms: ['/menu'], token: async () => 'not-a-token' });
    const rejected = next(controller.error$);
    const stopped = next(controller.closedForever$);

    const openError = await firstValueFrom(controller.open({ autoReconnect: { interval: () => 50 } })).catch((error: unknown) => error);
    const error = await rejected;

    expect(error).toBeInstanceOf(AuthRejectedError);
    expect(((error as AuthRejectedError).response as RoomsFrame).data?.code).toBe('TOKEN_INVALID');
    expect(openError).toBe(error);
    expect((await stopped).error).toBe(error);
    expect(sockets.made()).toBe(1);
    expect(controller.active).toBeFalse();
  });
});

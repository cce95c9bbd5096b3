import { AuthContext, SocketState, WebSocketController, WebSocketControllerConfig } from 'customapp-rxjs-websocket';
import { defer, of } from 'rxjs';
import { api, CLIENT_CLOSE_POLICY, CloseCode, decodeResponseFrame, encodeRequestFrame, Encoding, Subprotocol } from '../../../../e2e-server/src/protocol';
import { control, e2eServer, login, next, stats } from '../spec-helpers/e2e-server';

type Req = api.Request.$Properties;
type Res = api.Response;

/** A controller configured for the bundled server, in either encoding. */
function controllerFor(
  encoding: Encoding,
  tokens: (context: AuthContext) => { accessToken: string } | Promise<{ accessToken: string }>,
  authRequests: string[],
): WebSocketController<Req, Res, string | ArrayBuffer | Uint8Array> {
  const config: WebSocketControllerConfig<Req, Res, string | ArrayBuffer | Uint8Array> = {
    url: e2eServer().wsUrl,
    protocol: encoding === 'json' ? Subprotocol.Json : Subprotocol.Protobuf,
    binaryType: 'arraybuffer',
    serializer: (request) => encodeRequestFrame(encoding, request),
    deserializer: (event) => decodeResponseFrame(encoding, event.data as string | ArrayBuffer),
    isErrorResponse: (response) => !!response.error,
    describeError: (response) => response.error?.message ?? 'error',
    ...CLIENT_CLOSE_POLICY,
    authorize: {
      createRequest: (context) =>
        defer(async () => {
          const { accessToken } = await tokens(context);
          authRequests.push(accessToken);
          return { id: 0, auth: { accessToken } };
        }),
      isTokenExpiredResponse: (response) => response.error?.code === api.ErrorCode.TOKEN_EXPIRED,
    },
    subscribe: { createRequests: () => of([{ id: 0, sub: { kind: api.SubKind.CATEGORIES } }]) },
  };
  return new WebSocketController(config);
}

describe('WebSocketController against the bundled e2e-server', () => {
  let controller: WebSocketController<Req, Res, string | ArrayBuffer | Uint8Array> | undefined;

  beforeEach(async () => {
    await control('reset');
  });

  afterEach(async () => {
    if (controller) await new Promise<void>((resolve) => controller!.close().subscribe({ complete: resolve }));
    controller = undefined;
  });

  for (const encoding of ['protobuf', 'json'] as const) {
    describe(`over ${encoding} ${encoding === 'json' ? 'text' : 'binary (ArrayBuffer)'} frames`, () => {
      it('connects, authorizes, subscribes and receives the whole category list', async () => {
        const tokens = await login('manager', 'manager-pass');
        const authRequests: string[] = [];
        controller = controllerFor(encoding, () => tokens, authRequests);
        const list = next(controller.messages$, (m) => !!m.sub?.categories);

        const result = await new Promise<{ authResponse?: Res }>((resolve, reject) =>
          controller!.open().subscribe({ next: resolve, error: reject }),
        );

        expect(controller.state).toBe(SocketState.subscribed);
        expect(result.authResponse?.auth?.user?.login).toBe('manager');
        expect((await list).sub!.categories!.items!.length).toBeGreaterThan(0);
      });

      it('answers a request by id while pushing the change to the subscription', async () => {
        const tokens = await login('manager', 'manager-pass');
        controller = controllerFor(encoding, () => tokens, []);
        await new Promise((resolve, reject) => controller!.open().subscribe({ next: resolve, error: reject }));
        const pushed = next(controller.messages$, (m) => m.sub?.categoryUpdate?.name === `Soups ${encoding}`);

        const response = await next(controller.request({ id: 0, menuAdd: { name: `Soups ${encoding}` } }));

        expect(response.menuAdd?.category?.name).toBe(`Soups ${encoding}`);
        expect((await pushed).sub!.categoryUpdate!.id).toBe(response.menuAdd!.category!.id);
      });
    });
  }

  it('after the server drops every connection: reconnects, re-authorizes with a new auth request, re-subscribes', async () => {
    let tokens = await login('manager', 'manager-pass');
    const authRequests: string[] = [];
    controller = controllerFor('protobuf', () => tokens, authRequests);
    const states: SocketState[] = [];
    controller.state$.subscribe((s) => states.push(s));
    controller.open({ autoReconnect: { interval: () => 50 } });
    await next(controller.subscribed$);
    tokens = await login('manager', 'manager-pass'); // a later token: the reconnect must use it

    const resubscribed = next(controller.subscribed$);
    const listAgain = next(controller.messages$, (m) => !!m.sub?.categories);
    await control('drop');
    await resubscribed;
    await listAgain;

    expect(authRequests.length).toBe(2);
    expect(authRequests[1]).toBe(tokens.accessToken);
    expect(authRequests[1]).not.toBe(authRequests[0]);
    expect(states.slice(states.indexOf(SocketState.subscribed))).toEqual([
      SocketState.subscribed,
      SocketState.closed,
      SocketState.pending,
      SocketState.opened,
      SocketState.authorized,
      SocketState.subscribed,
    ]);
  });

  it("reconnects at once on the browser's online event instead of waiting out a long backoff", async () => {
    const tokens = await login('manager', 'manager-pass');
    controller = controllerFor('protobuf', () => tokens, []);
    controller.open({ autoReconnect: { interval: () => 10 * 60_000 } });
    await next(controller.subscribed$);
    const waiting = next(controller.closed$);
    await control('drop');
    expect((await waiting).reconnectIn).toBe(10 * 60_000);

    const back = next(controller.subscribed$);
    window.dispatchEvent(new Event('online'));
    await back;
    expect(controller.state).toBe(SocketState.subscribed);
  });

  it('delivers once, after re-subscription, a request sent while the server refuses connections', async () => {
    const tokens = await login('manager', 'manager-pass');
    controller = controllerFor('json', () => tokens, []);
    controller.open({ autoReconnect: { interval: () => 100 } });
    await next(controller.subscribed$);
    await control('refuse?ms=400');
    await control('drop');
    await next(controller.state$, (s) => s === SocketState.closed);

    const pushes: string[] = [];
    controller.messages$.subscribe((m) => {
      if (m.sub?.categoryUpdate?.name === 'During the outage') pushes.push(m.sub.categoryUpdate.id!);
    });
    const response = await next(controller.request({ id: 0, menuAdd: { name: 'During the outage' } }), () => true, 10_000);

    expect(response.menuAdd?.category?.name).toBe('During the outage');
    expect((await stats()).sockets).toBe(1);
    expect(pushes.length).toBe(1);
  });

  it('stops for good when the server refuses the auth, without a reconnect loop', async () => {
    const tokens = await login('viewer', 'viewer-pass');
    const authRequests: string[] = [];
    controller = controllerFor('protobuf', () => tokens, authRequests);
    await control('fail-next-auth');
    const forever = next(controller.closedForever$);
    const errors: string[] = [];
    controller.error$.subscribe((e) => errors.push(e.name));

    controller.open({ autoReconnect: { interval: () => 10 } });

    expect((await forever).error?.name).toBe('AuthRejectedError');
    expect(errors).toEqual(['AuthRejectedError']);
    expect(authRequests.length).toBe(1);
  });

  it('renews the token after the "token expired" close, then re-authorizes and re-subscribes', async () => {
    const first = await login('manager', 'manager-pass');
    const renewedFor: number[] = [];
    const authRequests: string[] = [];
    controller = controllerFor(
      'protobuf',
      async (context) => {
        if (!context.tokenExpired) return first;
        renewedFor.push(context.connection);
        return login('manager', 'manager-pass');
      },
      authRequests,
    );
    controller.open();
    await next(controller.subscribed$);
    const closed = next(controller.closed$);
    const resubscribed = next(controller.subscribed$);

    await control('expire-tokens');

    expect((await closed).code).toBe(CloseCode.TokenExpired);
    await resubscribed;
    expect(renewedFor).toEqual([2]);
    expect(authRequests.length).toBe(2);
    expect(authRequests[1]).not.toBe(authRequests[0]);
  });
});

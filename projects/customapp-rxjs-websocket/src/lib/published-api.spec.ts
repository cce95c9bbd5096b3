// Every name of the 1.2.x package, imported from the package and used the way 1.2.x code used it
// (types spelled out as 1.2.x apps spelled them): this file compiling is half the test, and each spec
// fails if the published behaviour, or its documented fix, is lost.
import {
  BufferOverflowError,
  BufferOverflowStrategy,
  DEFAULT_BUFFER_OVERFLOW,
  DEFAULT_BUFFER_SIZE,
  DEFAULT_REQUEST_TIMEOUT,
  defaultReconnectInterval,
  defaultRequestTimeout,
  defaultWebSocketBufferOverflow,
  defaultWebSocketMessageBufferSize,
  ErrorResponseError,
  FALLBACK_RECONNECT_INTERVAL,
  makeWsUrl,
  NotReadyError,
  ReconnectPolicyError,
  ReconnectState,
  RequestTimeoutError,
  SocketState,
  WebSocketController,
  WebSocketControllerConfig,
  WebSocketControllerState,
  WebSocketOpenOptions,
  WebSocketSendOptions,
} from 'customapp-rxjs-websocket';
import { FakeSockets, FakeWebSocket } from 'customapp-rxjs-websocket/testing';
import { Observable, of } from 'rxjs';
import { ManualScheduler } from '../spec-helpers/manual-scheduler';

interface Req {
  id: number;
  type: string;
  payload?: unknown;
}

interface Res {
  id: number;
  ok?: boolean;
  error?: string;
  push?: unknown;
}

/** A 1.2.x config, typed as 1.2.x apps typed it (`Data` left to its default, `string`). */
function publishedConfig(sockets: FakeSockets, overrides: Partial<WebSocketControllerConfig<Req, Res>> = {}): WebSocketControllerConfig<Req, Res> {
  const overflow: BufferOverflowStrategy = 'dropOld';
  return {
    url: new URL('ws://published.test/ws'),
    serializer: (request: Req) => JSON.stringify(request),
    deserializer: (responseEvent: MessageEvent<string>) => JSON.parse(responseEvent.data) as Res,
    setRequestId: (request: Req, id: number) => ({ ...request, id }),
    getResponseId: (response: Res): number => response.id,
    isErrorResponse: (response: Res) => response.error !== undefined,
    authorize: {
      createRequest: (): Observable<Req | undefined> => of({ id: 0, type: 'auth' }),
      isResponseSuccessful: (response: Res) => response.ok === true,
    },
    subscribe: {
      createRequests: (authResponse?: Res): Observable<Req[] | undefined> => of([{ id: 0, type: 'sub', payload: authResponse?.id }]),
      isResponseSuccessful: (response: Res) => response.ok === true,
    },
    binaryType: 'blob',
    WebSocketCtor: sockets.Ctor,
    buffer: { size: 10, overflow },
    ...overrides,
  };
}

interface Published {
  controller: WebSocketController<Req, Res, string>;
  sockets: FakeSockets;
  scheduler: ManualScheduler;
  errors: unknown[];
}

/** A controller over fake sockets and virtual time (the scheduler is ours; the rest is the 1.2.x config). */
function published(overrides: Partial<WebSocketControllerConfig<Req, Res>> = {}): Published {
  const sockets = new FakeSockets();
  const scheduler = new ManualScheduler();
  const controller = new WebSocketController<Req, Res, string>({ ...publishedConfig(sockets, overrides), scheduler });
  const errors: unknown[] = [];
  controller.error$.subscribe((error: any) => errors.push(error)); // `any`, as 1.2.x typed error$
  return { controller, sockets, scheduler, errors };
}

function frames(ws: FakeWebSocket): Req[] {
  return ws.sentJson as Req[];
}

/** The server's side of a handshake: accept, then answer the auth and the subscriptions with `ok`. */
function handshake(ws: FakeWebSocket): void {
  if (ws.readyState === 0) ws.accept();
  ws.receiveJson({ id: frames(ws).find((r) => r.type === 'auth')?.id, ok: true });
  for (const sub of frames(ws).filter((r) => r.type === 'sub')) ws.receiveJson({ id: sub.id, ok: true });
}

const reconnectEvery = (ms: number): WebSocketOpenOptions => ({ autoReconnect: { interval: () => ms } });

describe('the 1.2.x API', () => {
  describe('constants', () => {
    it('defaultRequestTimeout is the wait of a request without requestTimeout: two minutes, as in 1.2.x', () => {
      expect(defaultRequestTimeout).toBe(DEFAULT_REQUEST_TIMEOUT);
      expect(defaultRequestTimeout).toBe(120_000);
      const { controller, sockets, scheduler } = published();
      controller.open(reconnectEvery(1000));
      handshake(sockets.last);
      let failure: unknown;
      controller.request({ id: 0, type: 'slow' }).subscribe({ error: (e) => (failure = e) });

      scheduler.advance(defaultRequestTimeout - 1);
      expect(failure).toBeUndefined();
      scheduler.advance(1);
      expect(failure).toBeInstanceOf(RequestTimeoutError);
    });

    it('defaultWebSocketMessageBufferSize is how many messages wait when buffer.size is not set', () => {
      expect(defaultWebSocketMessageBufferSize).toBe(DEFAULT_BUFFER_SIZE);
      const { controller } = published({ buffer: { overflow: 'dropNew' } });
      controller.open(reconnectEvery(1000));
      const failures: unknown[] = [];
      for (let i = 0; i <= defaultWebSocketMessageBufferSize; i++) {
        controller.send({ id: 0, type: 'queued', payload: i }).subscribe({ error: (e) => failures.push(e) });
      }
      expect(controller.bufferedMessages).toBe(defaultWebSocketMessageBufferSize);
      expect(failures.length).toBe(1);
      expect(failures[0]).toBeInstanceOf(BufferOverflowError);
    });

    it('defaultWebSocketBufferOverflow is what a full buffer drops when buffer.overflow is not set: the new message', () => {
      expect(defaultWebSocketBufferOverflow).toBe(DEFAULT_BUFFER_OVERFLOW);
      expect(defaultWebSocketBufferOverflow).toBe('dropNew');
      const { controller, sockets } = published({ buffer: { size: 2 } });
      controller.open(reconnectEvery(1000));
      const failed: number[] = [];
      for (const payload of [1, 2, 3]) {
        controller.send({ id: 0, type: 'queued', payload }).subscribe({ error: () => failed.push(payload) });
      }
      handshake(sockets.last);
      expect(failed).toEqual([3]);
      expect(frames(sockets.last).filter((r) => r.type === 'queued').map((r) => r.payload)).toEqual([1, 2]);
    });

    it('defaultReconnectInterval is the wait when autoReconnect.interval throws; the error goes to error$', () => {
      expect(defaultReconnectInterval).toBe(FALLBACK_RECONNECT_INTERVAL);
      expect(defaultReconnectInterval).toBe(10_000);
      const { controller, sockets, scheduler, errors } = published();
      controller.open({
        autoReconnect: {
          interval: () => {
            throw new Error('no interval today');
          },
        },
      });
      handshake(sockets.last);
      sockets.last.drop();
      expect(errors.some((e) => e instanceof ReconnectPolicyError && /no interval today/.test(e.message))).toBeTrue();

      scheduler.advance(defaultReconnectInterval - 1);
      expect(sockets.all.length).toBe(1);
      scheduler.advance(1);
      expect(sockets.all.length).toBe(2);
    });

    it('a throwing shouldReconnect goes to error$ and the default (reconnect) applies', () => {
      const { controller, sockets, scheduler, errors } = published();
      controller.open({
        autoReconnect: {
          interval: () => 500,
          shouldReconnect: () => {
            throw new Error('undecided');
          },
        },
      });
      handshake(sockets.last);
      sockets.last.drop();
      scheduler.advance(500);
      expect(errors.some((e) => e instanceof ReconnectPolicyError && /undecided/.test(e.message))).toBeTrue();
      expect(sockets.all.length).toBe(2);
    });
  });

  describe('makeWsUrl', () => {
    it("makes a ws:// URL on the page's own host (wss:// on an https page)", () => {
      const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
      expect(makeWsUrl('/api/ws')).toBe(`${scheme}//${location.host}/api/ws`);
    });
  });

  describe('types', () => {
    it('BufferOverflowStrategy dropOld drops the oldest waiting message, and its sender learns it', () => {
      const { controller, sockets } = published({ buffer: { size: 2, overflow: 'dropOld' } });
      controller.open(reconnectEvery(1000));
      const failed: unknown[] = [];
      for (const payload of [1, 2, 3]) {
        controller.send({ id: 0, type: 'queued', payload }).subscribe({ error: (e) => failed.push([payload, e]) });
      }
      handshake(sockets.last);
      expect(failed).toEqual([[1, jasmine.any(BufferOverflowError)]]);
      expect(frames(sockets.last).filter((r) => r.type === 'queued').map((r) => r.payload)).toEqual([2, 3]);
    });

    it('ReconnectState counts subscriptions and socket errors, and says whether the ended connection was subscribed', () => {
      const { controller, sockets, scheduler } = published();
      const states: ReconnectState[] = [];
      controller.open({
        autoReconnect: {
          interval: (reconnectState: ReconnectState) => {
            states.push(reconnectState);
            return 1000;
          },
        },
      });
      handshake(sockets.last);
      sockets.last.drop(); // subscribed, then an error event and a close
      scheduler.advance(1000);
      sockets.last.accept();
      sockets.last.drop(); // never subscribed
      scheduler.advance(1000);
      handshake(sockets.last);

      expect(states).toEqual([
        jasmine.objectContaining({ wasPrevOpenSuccessful: true, subscribedCounter: 1, erroredCounter: 1 }),
        jasmine.objectContaining({ wasPrevOpenSuccessful: false, subscribedCounter: 1, erroredCounter: 2 }),
      ]);
      expect(controller.state).toBe(WebSocketControllerState.subscribed);
    });

    it('WebSocketOpenOptions are the options of open(); doNotThrowWhenOpened makes a second open() a no-op', () => {
      const { controller, sockets } = published();
      const options: WebSocketOpenOptions = { autoReconnect: { interval: () => 1000 }, doNotThrowWhenOpened: true };
      controller.open(options);
      expect(() => controller.open(options)).not.toThrow();
      expect(sockets.all.length).toBe(1);
    });

    it('WebSocketControllerState is SocketState itself, and the controller moves through its values', () => {
      expect(WebSocketControllerState).toBe(SocketState);
      const reached: WebSocketControllerState.subscribed = WebSocketControllerState.subscribed;
      const { controller, sockets } = published();
      const states: WebSocketControllerState[] = [];
      controller.state$.subscribe((state: WebSocketControllerState) => states.push(state));
      expect(controller.state).toBe(WebSocketControllerState.closed);
      controller.open(reconnectEvery(1000));
      handshake(sockets.last);
      expect(states).toEqual([
        WebSocketControllerState.closed,
        WebSocketControllerState.pending,
        WebSocketControllerState.opened,
        WebSocketControllerState.authorized,
        reached,
      ]);
    });
  });

  describe('WebSocketSendOptions', () => {
    /** Opens and accepts the socket; the auth request waits for its answer. */
    function opened(): Published {
      const setup = published();
      setup.controller.open(reconnectEvery(1000));
      setup.sockets.last.accept();
      return setup;
    }

    it('withoutAuth sends once the socket is opened, before the auth is answered', () => {
      const { controller, sockets } = opened();
      const options: WebSocketSendOptions = { withoutAuth: true };
      controller.send({ id: 0, type: 'hello' }, options);
      expect(frames(sockets.last).map((r) => r.type)).toEqual(['auth', 'hello']);
    });

    it('withoutAuth also sends at once while authorized (1.2.x held it until the next open)', () => {
      const { controller, sockets } = opened();
      sockets.last.receiveJson({ id: frames(sockets.last)[0].id, ok: true });
      expect(controller.state).toBe(WebSocketControllerState.authorized);
      controller.send({ id: 0, type: 'hello' }, { withoutAuth: true });
      expect(frames(sockets.last).map((r) => r.type)).toEqual(['auth', 'sub', 'hello']);
    });

    it('withoutSubscription waits for the auth only; by default a message waits for the subscriptions', () => {
      const { controller, sockets } = opened();
      controller.send({ id: 0, type: 'after-auth' }, { withoutSubscription: true });
      controller.send({ id: 0, type: 'after-sub' });
      sockets.last.receiveJson({ id: frames(sockets.last)[0].id, ok: true });
      expect(frames(sockets.last).map((r) => r.type)).toEqual(['auth', 'after-auth', 'sub']);
      sockets.last.receiveJson({ id: frames(sockets.last)[2].id, ok: true });
      expect(frames(sockets.last).map((r) => r.type)).toEqual(['auth', 'after-auth', 'sub', 'after-sub']);
    });

    it('keeps one buffer in order: a message waits behind one queued before it (1.2.x flushed three buffers newest-first)', () => {
      const { controller, sockets } = opened();
      controller.send({ id: 0, type: 'first' });
      controller.send({ id: 0, type: 'second' }, { withoutSubscription: true });
      controller.send({ id: 0, type: 'third' });
      handshake(sockets.last);
      expect(frames(sockets.last).map((r) => r.type)).toEqual(['auth', 'sub', 'first', 'second', 'third']);
    });

    it('noBuffer drops a message the socket is not ready for, and request() says so at once', () => {
      const { controller, sockets } = opened();
      let sendFailure: unknown;
      let requestFailure: unknown;
      controller.send({ id: 0, type: 'dropped' }, { noBuffer: true }).subscribe({ error: (e) => (sendFailure = e) });
      controller.request({ id: 0, type: 'dropped' }, { noBuffer: true }).subscribe({ error: (e) => (requestFailure = e) });
      handshake(sockets.last);
      expect(frames(sockets.last).some((r) => r.type === 'dropped')).toBeFalse();
      expect(sendFailure).toBeInstanceOf(NotReadyError);
      expect(requestFailure).toBeInstanceOf(NotReadyError);
    });

    it('requires and buffer, when given, win over the 1.2.x flags', () => {
      const { controller, sockets } = opened();
      controller.send({ id: 0, type: 'waits' }, { withoutAuth: true, requires: SocketState.subscribed, noBuffer: true, buffer: true });
      expect(frames(sockets.last).map((r) => r.type)).toEqual(['auth']);
      handshake(sockets.last);
      expect(frames(sockets.last).map((r) => r.type)).toEqual(['auth', 'sub', 'waits']);
    });
  });

  describe('WebSocketController', () => {
    it('connects to the URL given as a URL object, with the protocol and binaryType', () => {
      const { controller, sockets } = published({ protocol: ['v1'] });
      controller.open(reconnectEvery(1000));
      expect(sockets.last.url).toBe('ws://published.test/ws');
      expect(sockets.last.protocols).toEqual(['v1']);
      expect(sockets.last.binaryType).toBe('blob');
    });

    it('emits the lifecycle: pending$, opened$ (the open event), authorized$, subscribed$, closing$, closed$, closedForever$', () => {
      const { controller, sockets } = published();
      const seen: string[] = [];
      let openEvent: Event | undefined;
      let authResponse: Res | undefined;
      let subResponses: Res[] | undefined;
      let closed: { code: number; reason: string; wasClean: boolean } | undefined;
      controller.pending$.subscribe(() => seen.push('pending'));
      controller.opened$.subscribe((e: Event) => {
        openEvent = e;
        seen.push('opened');
      });
      controller.authorized$.subscribe((response: Res | undefined) => {
        authResponse = response;
        seen.push('authorized');
      });
      controller.subscribed$.subscribe((responses: Res[] | undefined) => {
        subResponses = responses;
        seen.push('subscribed');
      });
      controller.closing$.subscribe(() => seen.push('closing'));
      controller.closed$.subscribe((e) => {
        closed = { code: e.code, reason: e.reason, wasClean: e.wasClean };
        seen.push('closed');
      });
      controller.closedForever$.subscribe(() => seen.push('closedForever'));

      controller.open(reconnectEvery(1000));
      handshake(sockets.last);
      let closeDone = false;
      controller.close().subscribe(() => (closeDone = true));
      sockets.last.acknowledgeClose();

      expect(seen).toEqual(['pending', 'opened', 'authorized', 'subscribed', 'closing', 'closed', 'closedForever']);
      expect(openEvent?.type).toBe('open');
      expect(authResponse).toEqual(jasmine.objectContaining({ ok: true }));
      expect(subResponses).toEqual([jasmine.objectContaining({ ok: true })]);
      expect(closed).toEqual({ code: 1000, reason: 'closed by client', wasClean: true });
      expect(closeDone).toBeTrue();
    });

    it('subscribe.createRequests gets the auth response (1.2.x passed nothing)', () => {
      const { controller, sockets } = published();
      controller.open(reconnectEvery(1000));
      sockets.last.accept();
      const auth = frames(sockets.last)[0];
      sockets.last.receiveJson({ id: auth.id, ok: true });
      expect(frames(sockets.last)[1]).toEqual(jasmine.objectContaining({ type: 'sub', payload: auth.id }));
    });

    it('request() stamps an id with setRequestId, sends on subscribe and resolves to the response with that id', () => {
      const { controller, sockets } = published();
      controller.open(reconnectEvery(1000));
      handshake(sockets.last);
      const response$ = controller.request({ id: 0, type: 'get' });
      expect(frames(sockets.last).some((r) => r.type === 'get')).toBeFalse(); // cold: see MIGRATION.md
      const responses: Res[] = [];
      response$.subscribe((response: Res) => responses.push(response));
      const sentRequest = frames(sockets.last).find((r) => r.type === 'get') as Req;
      expect(sentRequest.id).toBeGreaterThan(0);
      sockets.last.receiveJson({ id: sentRequest.id, ok: true, push: 'answer' });
      expect(responses).toEqual([{ id: sentRequest.id, ok: true, push: 'answer' }]);
    });

    it('request() errors when isErrorResponse says the response is an error (with the response on the error)', () => {
      const { controller, sockets } = published();
      controller.open(reconnectEvery(1000));
      handshake(sockets.last);
      let failure: unknown;
      controller.request({ id: 0, type: 'bad' }).subscribe({ error: (e) => (failure = e) });
      const bad = frames(sockets.last).find((r) => r.type === 'bad') as Req;
      sockets.last.receiveJson({ id: bad.id, error: 'refused' });
      expect(failure).toBeInstanceOf(ErrorResponseError);
      expect((failure as ErrorResponseError<Res>).response).toEqual({ id: bad.id, error: 'refused' });
      // A 1.2.x handler read the response's fields off the error itself.
      expect((failure as { error?: unknown }).error).toBe('refused');
      expect((failure as { id?: unknown }).id).toBe(bad.id);
      expect((failure as Error).message).not.toBe('refused');
    });

    it('sends a request that already is a frame as it is when there is no serializer (1.2.x sent the request itself)', () => {
      const sockets = new FakeSockets();
      const controller = new WebSocketController<string | Uint8Array | { hello: string }, unknown>({ url: 'ws://x', WebSocketCtor: sockets.Ctor });
      controller.open();
      sockets.last.accept();
      const bytes = new Uint8Array([1, 2, 3]);
      controller.send('PING');
      controller.send(bytes);
      controller.send({ hello: 'world' });
      expect(sockets.last.sent).toEqual(['PING', bytes, '{"hello":"world"}']);
      expect(sockets.last.sent[1]).toBe(bytes);
    });

    it('hands a binary frame on as it is when there is no deserializer, and parses a text frame as JSON', () => {
      const sockets = new FakeSockets();
      const controller = new WebSocketController<string, unknown>({ url: 'ws://x', WebSocketCtor: sockets.Ctor });
      const messages: unknown[] = [];
      controller.messages$.subscribe((message) => messages.push(message));
      controller.open();
      sockets.last.accept();
      const buffer = new Uint8Array([7]).buffer;
      sockets.last.receive(buffer);
      sockets.last.receive('{"id":0,"push":1}');
      expect(messages[0]).toBe(buffer);
      expect(messages[1]).toEqual({ id: 0, push: 1 });
    });

    it('messages$ emits the pushes, deserialized', () => {
      const { controller, sockets } = published();
      const pushes: Res[] = [];
      controller.messages$.subscribe((message: Res) => pushes.push(message));
      controller.open(reconnectEvery(1000));
      handshake(sockets.last);
      sockets.last.receiveJson({ id: 0, push: 'news' });
      expect(pushes).toEqual([{ id: 0, push: 'news' }]);
    });

    it('reconnects after a drop while subscribed, with the auth and the subscriptions again', () => {
      const { controller, sockets, scheduler } = published();
      controller.open(reconnectEvery(1000));
      handshake(sockets.last);
      sockets.last.serverClose(1012, 'restart');
      expect(controller.state).toBe(WebSocketControllerState.closed);
      scheduler.advance(1000);
      handshake(sockets.last);
      expect(sockets.all.length).toBe(2);
      expect(frames(sockets.last).map((r) => r.type)).toEqual(['auth', 'sub']);
      expect(controller.state).toBe(WebSocketControllerState.subscribed);
    });

    it('close() cancels a reopen that is already scheduled (1.2.x reopened anyway)', () => {
      const { controller, sockets, scheduler } = published();
      let closedForever = 0;
      controller.closedForever$.subscribe(() => closedForever++);
      controller.open(reconnectEvery(1000));
      handshake(sockets.last);
      sockets.last.drop();
      expect(controller.reconnecting).toBeTrue();
      controller.close();
      scheduler.advance(60_000);
      expect(sockets.all.length).toBe(1);
      expect(closedForever).toBe(1);
      expect(scheduler.pending).toBe(0);
    });

    it('open() while closed and waiting to reconnect connects now, with its options, instead of throwing', () => {
      const { controller, sockets, scheduler } = published();
      controller.open(reconnectEvery(60_000));
      handshake(sockets.last);
      sockets.last.drop();
      expect(controller.state).toBe(WebSocketControllerState.closed);
      let reopened = false;
      controller.open(reconnectEvery(1000)).subscribe(() => (reopened = true));
      expect(sockets.all.length).toBe(2);
      handshake(sockets.last);
      expect(reopened).toBeTrue();
      sockets.last.drop();
      scheduler.advance(1000);
      expect(sockets.all.length).toBe(3);
    });

    it('open() throws while the socket is open, unless doNotThrowWhenOpened is set', () => {
      const { controller } = published();
      controller.open(reconnectEvery(1000));
      expect(() => controller.open(reconnectEvery(1000))).toThrowError(/already pending/);
    });
  });

  describe('an app written against 1.2.x', () => {
    /** A binary protocol, as 1.2.x apps spoke protobuf: JSON in UTF-8 stands in for the encoding here. */
    const encode = (message: Req | Res): ArrayBuffer => new TextEncoder().encode(JSON.stringify(message)).buffer as ArrayBuffer;
    const decode = <T>(data: ArrayBuffer): T => JSON.parse(new TextDecoder().decode(data)) as T;

    /** A socket facade typed with the 1.2.x signatures of every member it touches. */
    class SocketFacade {
      readonly socket: WebSocketController<Req, Res, ArrayBuffer>;
      readonly state$: Observable<WebSocketControllerState>;
      readonly pending$: Observable<void>;
      readonly opened$: Observable<Event>;
      readonly authorized$: Observable<Res | undefined>;
      readonly subscribed$: Observable<Res[] | undefined>;
      readonly closing$: Observable<void>;
      readonly messages$: Observable<Res>;
      readonly error$: Observable<any>; // as 1.2.x typed it

      constructor(config: WebSocketControllerConfig<Req, Res, ArrayBuffer>) {
        this.socket = new WebSocketController<Req, Res, ArrayBuffer>(config);
        this.state$ = this.socket.state$;
        this.pending$ = this.socket.pending$;
        this.opened$ = this.socket.opened$;
        this.authorized$ = this.socket.authorized$;
        this.subscribed$ = this.socket.subscribed$;
        this.closing$ = this.socket.closing$;
        this.messages$ = this.socket.messages$;
        this.error$ = this.socket.error$;
      }

      get state(): WebSocketControllerState {
        return this.socket.state;
      }

      connect(options: WebSocketOpenOptions): void {
        this.socket.open(options);
      }

      disconnect(): Observable<void> {
        return this.socket.close();
      }

      push(message: Req, options?: WebSocketSendOptions): void {
        this.socket.send(message, options);
      }

      call(message: Req, options?: WebSocketSendOptions): Observable<Res> {
        return this.socket.request({ ...message, id: 0 }, options);
      }
    }

    it('compiles and talks binary frames through the 1.2.x signatures', () => {
      const sockets = new FakeSockets();
      const binaryType: 'blob' | 'arraybuffer' = 'arraybuffer';
      const config: WebSocketControllerConfig<Req, Res, ArrayBuffer> = {
        url: 'ws://published.test/binary',
        serializer: encode,
        deserializer: (responseEvent: MessageEvent<ArrayBuffer>) => decode<Res>(responseEvent.data),
        setRequestId: (request, id) => ({ ...request, id }),
        getResponseId: (response) => response.id,
        binaryType,
        WebSocketCtor: sockets.Ctor,
      };
      const facade = new SocketFacade(config);
      facade.connect({ autoReconnect: { interval: () => 1000 } });
      sockets.last.accept();
      expect(facade.state).toBe(WebSocketControllerState.subscribed);

      let answer: Res | undefined;
      facade.call({ id: 0, type: 'get' }).subscribe((response) => (answer = response));
      const request = decode<Req>(sockets.last.sent[0] as ArrayBuffer);
      sockets.last.receive(encode({ id: request.id, ok: true }));
      expect(request.type).toBe('get');
      expect(answer).toEqual({ id: request.id, ok: true });
      expect(sockets.last.binaryType).toBe('arraybuffer');
    });

    it('still needs a change where MIGRATION.md says so: closed$ and closedForever$ annotated with the 1.2.x types', () => {
      const { controller } = published();
      // @ts-expect-error closed$ emits SocketCloseInfo (code, reason, wasClean, willReconnect, reconnectIn), not a CloseEvent
      const closeEvents: Observable<CloseEvent> = controller.closed$;
      // @ts-expect-error closedForever$ emits { error? }, not void
      const closedForever: Observable<void> = controller.closedForever$;
      expect(closeEvents).toBe(controller.closed$ as unknown as Observable<CloseEvent>);
      expect(closedForever).toBe(controller.closedForever$ as unknown as Observable<void>);
    });
  });
});

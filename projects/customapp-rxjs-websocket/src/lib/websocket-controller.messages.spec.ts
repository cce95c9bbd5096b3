import {
  BufferOverflowError,
  DeserializeError,
  DuplicateRequestIdError,
  ErrorResponseError,
  MessageTooLargeError,
  NotReadyError,
  RequestTimeoutError,
  SerializeError,
  SocketClosedError,
  SocketState,
  WebSocketController,
} from 'customapp-rxjs-websocket';
import { FakeSockets } from 'customapp-rxjs-websocket/testing';
import { of } from 'rxjs';
import { ManualScheduler } from '../spec-helpers/manual-scheduler';
import { answer, createHarness, handshake, sent, TestResponse } from '../spec-helpers/harness';

describe('WebSocketController requests and messages', () => {
  it('correlates 1,000 interleaved requests answered out of order', () => {
    const { controller, sockets } = createHarness();
    controller.open();
    handshake(sockets.last);
    const ws = sockets.last;
    const results = new Map<number, unknown>();
    for (let i = 0; i < 1000; i++) {
      controller.request({ id: 0, type: 'echo', payload: i }).subscribe((res) => results.set(i, res.echo));
    }
    const requests = sent(ws).filter((r) => r.type === 'echo');
    expect(new Set(requests.map((r) => r.id)).size).toBe(1000);

    // answer evens backwards, then odds forwards, with pushes in between
    const order = [...requests.filter((_, i) => i % 2 === 0).reverse(), ...requests.filter((_, i) => i % 2 === 1)];
    order.forEach((request, n) => {
      answer(ws, request, { echo: request.payload });
      if (n % 100 === 0) ws.receiveJson({ id: 0, push: n });
    });

    expect(results.size).toBe(1000);
    for (let i = 0; i < 1000; i++) expect(results.get(i)).toBe(i);
    expect(controller.requestsInFlight).toBe(0);
  });

  it('emits pushes on messages$ but hands each response to its request only', () => {
    const { controller, sockets } = createHarness();
    const messages: TestResponse[] = [];
    controller.messages$.subscribe((m) => messages.push(m));
    controller.open();
    handshake(sockets.last);
    let response: TestResponse | undefined;
    controller.request({ id: 0, type: 'list' }).subscribe((r) => (response = r));
    const request = sent(sockets.last).pop()!;
    sockets.last.receiveJson({ id: 0, push: 'menu changed' });
    answer(sockets.last, request, { echo: 'list' });
    answer(sockets.last, request, { echo: 'a late duplicate nobody waits for' });

    expect(response?.echo).toBe('list');
    expect(messages).toEqual([{ id: 0, push: 'menu changed' }, { id: request.id, echo: 'a late duplicate nobody waits for' }]);
  });

  it('fails a request answered with an error response with ErrorResponseError carrying the response', () => {
    const { controller, sockets } = createHarness();
    controller.open();
    handshake(sockets.last);
    let error: unknown;
    controller.request({ id: 0, type: 'rename' }).subscribe({ error: (e) => (error = e) });
    answer(sockets.last, sent(sockets.last).pop()!, { error: 'not found' });
    expect(error).toBeInstanceOf(ErrorResponseError);
    expect((error as ErrorResponseError).message).toBe('not found');
    expect((error as ErrorResponseError<TestResponse>).response.error).toBe('not found');
  });

  it('fails a request with RequestTimeoutError after the timeout, counted from when it was sent', () => {
    const { controller, sockets, scheduler } = createHarness();
    controller.open();
    let error: unknown;
    controller.request({ id: 0, type: 'slow' }).subscribe({ error: (e) => (error = e) });
    scheduler.advance(60_000); // waiting in the buffer does not count
    expect(error).toBeUndefined();
    handshake(sockets.last);
    scheduler.advance(4999);
    expect(error).toBeUndefined();
    scheduler.advance(1);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(controller.requestsInFlight).toBe(0);
  });

  it('honours a per-request timeout', () => {
    const { controller, sockets, scheduler } = createHarness();
    controller.open();
    handshake(sockets.last);
    let error: unknown;
    controller.request({ id: 0, type: 'slow' }, { timeout: 100 }).subscribe({ error: (e) => (error = e) });
    scheduler.advance(100);
    expect(error).toBeInstanceOf(RequestTimeoutError);
  });

  it('sends nothing until a request is subscribed, and withdraws it on unsubscribe', () => {
    const { controller, sockets, scheduler } = createHarness();
    controller.open();
    const request$ = controller.request({ id: 0, type: 'list' });
    handshake(sockets.last);
    expect(sent(sockets.last).filter((r) => r.type === 'list').length).toBe(0);

    const subscription = request$.subscribe();
    expect(controller.requestsInFlight).toBe(1);
    subscription.unsubscribe();
    expect(controller.requestsInFlight).toBe(0);
    expect(scheduler.pending).toBe(0);
  });

  it('skips a frame the deserializer cannot read, reports DeserializeError, and keeps working', () => {
    const { controller, sockets, errors } = createHarness();
    controller.open();
    handshake(sockets.last);
    let response: TestResponse | undefined;
    controller.request({ id: 0, type: 'list' }).subscribe((r) => (response = r));

    sockets.last.receive('{not json');
    answer(sockets.last, sent(sockets.last).pop()!, { ok: true, echo: 'still here' });

    expect(errors.length).toBe(1);
    expect(errors[0]).toBeInstanceOf(DeserializeError);
    expect((errors[0] as DeserializeError).data).toBe('{not json');
    expect(response?.echo).toBe('still here');
    expect(controller.state).toBe(SocketState.subscribed);
  });

  it('hands the deserializer the MessageEvent itself, as RxJS webSocket() does', () => {
    const events: unknown[] = [];
    const { controller, sockets } = createHarness({
      deserializer: (event) => {
        events.push(event);
        return JSON.parse(event.data) as TestResponse;
      },
    });
    controller.open();
    handshake(sockets.last);

    expect(events.length).toBe(3);
    expect(events.every((event) => typeof (event as { data?: unknown }).data === 'string')).toBeTrue();
  });

  it('fails a message the serializer throws on with SerializeError and sends nothing', () => {
    const { controller, sockets } = createHarness();
    controller.open();
    handshake(sockets.last);
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    let error: unknown;
    controller.send({ id: 0, type: 'x', payload: cyclic }).subscribe({ error: (e) => (error = e) });
    expect(error).toBeInstanceOf(SerializeError);
    expect(sent(sockets.last).length).toBe(3);
  });

  it('refuses a message over maxMessageSize with MessageTooLargeError instead of getting the socket closed', () => {
    const { controller, sockets } = createHarness({ maxMessageSize: 100 });
    controller.open();
    handshake(sockets.last);
    let error: unknown;
    controller.request({ id: 0, type: 'big', payload: 'é'.repeat(60) }).subscribe({ error: (e) => (error = e) });
    expect(error).toBeInstanceOf(MessageTooLargeError);
    expect((error as MessageTooLargeError).size).toBeGreaterThan(120);
    expect(controller.state).toBe(SocketState.subscribed);
  });

  it('correlates by a key taken from the request, for servers that answer with a room name', () => {
    interface JoinRequest { event: string; room: string }
    interface RoomEvent { event: string; room: string; data?: unknown }
    const sockets = new FakeSockets();
    const controller = new WebSocketController<JoinRequest, RoomEvent, string>({
      url: 'ws://rooms',
      WebSocketCtor: sockets.Ctor,
      scheduler: new ManualScheduler(),
      setRequestId: (request) => request,
      getRequestId: (request) => (request.event === 'realtime:join' ? `join:${request.room}` : request.event),
      getResponseId: (event) =>
        event.event.startsWith('realtime:join:') ? `join:${event.room}` : event.event === 'authenticated' || event.event === 'unauthorized' ? 'authenticate' : undefined,
      isErrorResponse: (event) => event.event.endsWith(':error') || event.event === 'unauthorized',
      authorize: { createRequest: () => of({ event: 'authenticate', room: '' }) },
    });
    const joined: string[] = [];
    controller.open();
    const ws = sockets.last;
    ws.accept();
    ws.receiveJson({ event: 'authenticated', room: '' });
    expect(controller.state).toBe(SocketState.subscribed);
    controller.request({ event: 'realtime:join', room: '/messages' }).subscribe((e) => joined.push(e.room));
    controller.request({ event: 'realtime:join', room: '/channels' }).subscribe((e) => joined.push(e.room));
    ws.receiveJson({ event: 'realtime:join:success', room: '/channels' });
    ws.receiveJson({ event: 'realtime:resource', room: '/messages', data: 1 });
    ws.receiveJson({ event: 'realtime:join:success', room: '/messages' });

    expect(joined).toEqual(['/channels', '/messages']);
    expect((ws.sentJson as JoinRequest[]).map((r) => r.event)).toEqual(['authenticate', 'realtime:join', 'realtime:join']);
  });

  it('keys a request by the id setRequestId was given, wherever it puts it, when there is no getRequestId (as 1.2.x did)', () => {
    interface Req { requestId?: number; id?: number; type: string }
    interface Res { requestId?: number; ok?: boolean }
    const sockets = new FakeSockets();
    const controller = new WebSocketController<Req, Res, string>({
      url: 'ws://x',
      WebSocketCtor: sockets.Ctor,
      scheduler: new ManualScheduler(),
      setRequestId: (request, requestId) => ({ ...request, requestId }),
      getResponseId: (response) => response.requestId ?? 0,
    });
    controller.open();
    sockets.last.accept();
    const answers: Res[] = [];
    // The app's own `id: 0` (as the 1.2.x docs wrote requests) does not become the key.
    controller.request({ id: 0, type: 'a' }).subscribe((r) => answers.push(r));
    controller.request({ id: 0, type: 'b' }).subscribe((r) => answers.push(r));
    const [a, b] = sockets.last.sentJson as Req[];
    sockets.last.receiveJson({ requestId: b.requestId, ok: true });
    sockets.last.receiveJson({ requestId: a.requestId, ok: true });

    expect(answers.map((r) => r.requestId)).toEqual([b.requestId, a.requestId]);
    expect(controller.requestsInFlight).toBe(0);
  });

  it('refuses a second request with the same key while the first waits, with DuplicateRequestIdError', () => {
    const sockets = new FakeSockets();
    const controller = new WebSocketController<{ room: string }, { room: string }, string>({
      url: 'ws://rooms',
      WebSocketCtor: sockets.Ctor,
      scheduler: new ManualScheduler(),
      setRequestId: (request) => request,
      getRequestId: (request) => request.room,
      getResponseId: (response) => response.room,
    });
    controller.open();
    sockets.last.accept();
    let error: unknown;
    controller.request({ room: 'a' }).subscribe();
    controller.request({ room: 'a' }).subscribe({ error: (e) => (error = e) });
    expect(error).toBeInstanceOf(DuplicateRequestIdError);
  });

  describe('buffer', () => {
    it('holds messages until the state each needs is reached, then flushes them in order', () => {
      const { controller, sockets } = createHarness();
      controller.open();
      controller.send({ id: 0, type: 'first' });
      controller.send({ id: 0, type: 'second' });
      controller.request({ id: 0, type: 'third' }).subscribe();
      const ws = sockets.last;
      ws.accept();
      answer(ws, sent(ws)[0]);
      expect(sent(ws).map((r) => r.type)).toEqual(['auth', 'sub', 'sub']); // still waiting for the acks
      answer(ws, sent(ws)[1]);
      answer(ws, sent(ws)[2]);
      expect(sent(ws).map((r) => r.type)).toEqual(['auth', 'sub', 'sub', 'first', 'second', 'third']);
    });

    it('sends a message that needs only `authorized` before the subscriptions are acknowledged', () => {
      const { controller, sockets } = createHarness();
      controller.open();
      controller.send({ id: 0, type: 'early' }, { requires: SocketState.authorized });
      const ws = sockets.last;
      ws.accept();
      expect(sent(ws).map((r) => r.type)).toEqual(['auth']);
      answer(ws, sent(ws)[0]);
      expect(sent(ws).map((r) => r.type)).toContain('early');
    });

    it('keeps order: a message that may go earlier waits behind one queued before it', () => {
      const { controller, sockets } = createHarness();
      controller.open();
      controller.send({ id: 0, type: 'needs-subscribed' });
      controller.send({ id: 0, type: 'needs-authorized' }, { requires: SocketState.authorized });
      handshake(sockets.last);
      const types = sent(sockets.last).map((r) => r.type);
      expect(types.indexOf('needs-subscribed')).toBeLessThan(types.indexOf('needs-authorized'));
    });

    it('flushes what waited during an outage once, after re-subscription is acknowledged', () => {
      const { controller, sockets, scheduler } = createHarness();
      controller.open();
      handshake(sockets.last);
      sockets.last.drop();
      let response: TestResponse | undefined;
      controller.request({ id: 0, type: 'during-outage' }).subscribe((r) => (response = r));
      scheduler.advance(60_000);
      const ws = sockets.last;
      ws.accept();
      answer(ws, sent(ws)[0]);
      expect(sent(ws).some((r) => r.type === 'during-outage')).toBeFalse();
      answer(ws, sent(ws)[1]);
      answer(ws, sent(ws)[2]);
      const outage = sent(ws).filter((r) => r.type === 'during-outage');
      expect(outage.length).toBe(1);
      answer(ws, outage[0], { echo: 'delivered' });
      expect(response?.echo).toBe('delivered');
      expect(sent(sockets.all[0]).some((r) => r.type === 'during-outage')).toBeFalse();
    });

    it('with overflow dropNew, refuses the new message with BufferOverflowError and keeps the waiting ones', () => {
      const { controller, sockets } = createHarness({ buffer: { size: 2, overflow: 'dropNew' } });
      controller.open();
      const outcomes: string[] = [];
      for (const type of ['a', 'b', 'c']) {
        controller.send({ id: 0, type }).subscribe({ complete: () => outcomes.push(`${type} sent`), error: (e) => outcomes.push(`${type} ${e.name}`) });
      }
      expect(outcomes).toEqual(['c BufferOverflowError']);
      handshake(sockets.last);
      expect(outcomes).toEqual(['c BufferOverflowError', 'a sent', 'b sent']);
    });

    it('with overflow dropOld, drops the oldest waiting message with BufferOverflowError and queues the new one', () => {
      const { controller, sockets } = createHarness({ buffer: { size: 2, overflow: 'dropOld' } });
      controller.open();
      const errors: unknown[] = [];
      controller.request({ id: 0, type: 'a' }).subscribe({ error: (e) => errors.push(e) });
      controller.send({ id: 0, type: 'b' });
      controller.send({ id: 0, type: 'c' });
      expect(errors.length).toBe(1);
      expect(errors[0]).toBeInstanceOf(BufferOverflowError);
      expect(controller.requestsInFlight).toBe(0);
      handshake(sockets.last);
      expect(sent(sockets.last).slice(3).map((r) => r.type)).toEqual(['b', 'c']);
    });

    it('refuses with NotReadyError a message that may not wait when the socket is not ready', () => {
      const { controller } = createHarness();
      controller.open();
      let error: unknown;
      controller.send({ id: 0, type: 'now-or-never' }, { buffer: false }).subscribe({ error: (e) => (error = e) });
      expect(error).toBeInstanceOf(NotReadyError);
      expect((error as NotReadyError).message).toContain('pending');
    });

    it('refuses with SocketClosedError what is sent before open() or after close()', () => {
      const { controller, sockets } = createHarness();
      const errors: unknown[] = [];
      controller.send({ id: 0, type: 'too-early' }).subscribe({ error: (e) => errors.push(e) });
      controller.open();
      handshake(sockets.last);
      controller.close();
      controller.request({ id: 0, type: 'too-late' }).subscribe({ error: (e) => errors.push(e) });
      expect(errors.length).toBe(2);
      expect(errors.every((e) => e instanceof SocketClosedError)).toBeTrue();
    });
  });
});

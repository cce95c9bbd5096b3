import { ConnectionLostError, DuplicateRequestIdError, HeartbeatTimeoutError, SocketState } from 'customapp-rxjs-websocket';
import { answer, createHarness, handshake, sent, TestRequest, TestResponse } from '../spec-helpers/harness';

describe('WebSocketController reconnect', () => {
  it('re-authenticates with a newly created auth request and re-subscribes after the server drops the socket', () => {
    const { controller, sockets, scheduler, tokens } = createHarness();
    controller.open();
    handshake(sockets.last);
    sockets.last.drop();
    expect(controller.state).toBe(SocketState.closed);
    expect(controller.reconnecting).toBeTrue();

    scheduler.advance(60_000);
    const second = sockets.last;
    expect(sockets.all.length).toBe(2);
    second.accept();
    expect(sent(second)).toEqual([jasmine.objectContaining({ type: 'auth', token: 'token-2', renewed: false })]);
    handshake(second);
    expect(sent(second).filter((r) => r.type === 'sub').map((r) => r.kind)).toEqual(['categories', 'notifications']);
    expect(controller.state).toBe(SocketState.subscribed);
    expect(tokens).toEqual(['token-1', 'token-2']);
  });

  it('reports a drop on error$ and closed$ without ending those streams', () => {
    const { controller, sockets, scheduler, errors } = createHarness();
    const closes: unknown[] = [];
    const authorized: unknown[] = [];
    controller.closed$.subscribe((c) => closes.push(c));
    controller.authorized$.subscribe((a) => authorized.push(a));
    controller.open();
    handshake(sockets.last);
    sockets.last.drop();
    scheduler.advance(60_000);
    handshake(sockets.last);

    expect(errors.length).toBe(1);
    expect(errors[0]).toBeInstanceOf(ConnectionLostError);
    expect(closes).toEqual([jasmine.objectContaining({ code: 1006, wasClean: false, willReconnect: true })]);
    expect(authorized.length).toBe(2);
  });

  it('keeps authorized$ and subscribed$ emitting after a failed attempt and a successful reconnect', () => {
    const { controller, sockets, scheduler } = createHarness();
    let subscribedCount = 0;
    controller.subscribed$.subscribe(() => subscribedCount++);
    controller.open();
    handshake(sockets.last);
    sockets.last.drop();
    scheduler.advance(60_000);
    sockets.last.drop(); // the attempt fails before opening
    scheduler.advance(60_000);
    handshake(sockets.last);

    expect(sockets.all.length).toBe(3);
    expect(subscribedCount).toBe(2);
  });

  it('waits with the backoff interval it is given and counts attempts until the socket is subscribed again', () => {
    const { controller, sockets, scheduler } = createHarness();
    const attempts: number[] = [];
    controller.open({
      autoReconnect: {
        interval: (state) => {
          attempts.push(state.attempt);
          return 1000 * state.attempt;
        },
      },
    });
    handshake(sockets.last);
    sockets.last.drop();
    scheduler.advance(999);
    expect(sockets.all.length).toBe(1);
    scheduler.advance(1);
    expect(sockets.all.length).toBe(2);
    sockets.last.drop();
    scheduler.advance(1999);
    expect(sockets.all.length).toBe(2);
    scheduler.advance(1);
    handshake(sockets.last);
    sockets.last.drop();

    expect(attempts).toEqual([1, 2, 1]);
  });

  it('stops when shouldReconnect says no, with the drop as the reason', () => {
    const { controller, sockets, scheduler } = createHarness();
    const forever: unknown[] = [];
    controller.closedForever$.subscribe((e) => forever.push(e));
    controller.open({ autoReconnect: { shouldReconnect: (state) => state.attempt < 2 } });
    sockets.last.drop();
    scheduler.advance(60_000);
    sockets.last.drop();

    expect(forever).toEqual([{ error: jasmine.any(ConnectionLostError) }]);
    expect(scheduler.pending).toBe(0);
  });

  it('does not reconnect at all with autoReconnect: false', () => {
    const { controller, sockets, scheduler } = createHarness();
    controller.open({ autoReconnect: false });
    handshake(sockets.last);
    sockets.last.drop();
    scheduler.advance(10 * 60_000);
    expect(sockets.all.length).toBe(1);
    expect(controller.active).toBeFalse();
  });

  it('reconnects at once when the network comes back instead of waiting out the backoff', () => {
    const { controller, sockets, scheduler, online } = createHarness();
    controller.open({ autoReconnect: { interval: () => 30_000 } });
    handshake(sockets.last);
    sockets.last.drop();
    scheduler.advance(1000);
    expect(sockets.all.length).toBe(1);

    online.next();

    expect(sockets.all.length).toBe(2);
    expect(scheduler.pending).toBe(0); // the backoff timer was cancelled
  });

  it('ignores the online event when no reconnect is waiting', () => {
    const { controller, sockets, online } = createHarness();
    controller.open();
    handshake(sockets.last);
    online.next();
    expect(sockets.all.length).toBe(1);
  });

  it('fails every request in flight at once when the socket drops, without waiting for the timeout', () => {
    const { controller, sockets, scheduler } = createHarness();
    controller.open();
    handshake(sockets.last);
    const failures: string[] = [];
    for (let i = 0; i < 3; i++) controller.request({ id: 0, type: 'get' }).subscribe({ error: (e) => failures.push(e.name) });

    sockets.last.drop();

    expect(failures).toEqual(['ClosedBeforeResponseError', 'ClosedBeforeResponseError', 'ClosedBeforeResponseError']);
    expect(controller.requestsInFlight).toBe(0);
    scheduler.advance(0);
  });

  describe('heartbeat', () => {
    const heartbeat = { createRequest: () => ({ id: 0, type: 'ping' }), interval: 10_000, timeout: 2000 };

    it('sends a heartbeat request every interval while the socket is up', () => {
      const { controller, sockets, scheduler } = createHarness({ heartbeat });
      controller.open();
      handshake(sockets.last);
      const pings = () => sent(sockets.last).filter((r) => r.type === 'ping');

      scheduler.advance(9999);
      expect(pings().length).toBe(0);
      scheduler.advance(1);
      expect(pings().length).toBe(1);
      answer(sockets.last, pings()[0], { ok: true });
      scheduler.advance(10_000);
      expect(pings().length).toBe(2);
    });

    it('treats a missed heartbeat as a dead connection: HeartbeatTimeoutError, then a reconnect', () => {
      const { controller, sockets, scheduler, errors } = createHarness({ heartbeat });
      controller.open({ autoReconnect: { interval: () => 500 } });
      handshake(sockets.last);
      const first = sockets.last;

      scheduler.advance(10_000 + 2000);

      expect(errors.map((e) => e.constructor)).toEqual([HeartbeatTimeoutError]);
      expect(controller.state).toBe(SocketState.closed);
      expect(first.hasListeners).toBeFalse();
      expect(first.closedByClient).toBeDefined();
      scheduler.advance(500);
      expect(sockets.all.length).toBe(2);
      handshake(sockets.last);
      expect(controller.state).toBe(SocketState.subscribed);
    });

    it('ignores late events of the dead socket once it was replaced', () => {
      const { controller, sockets, scheduler } = createHarness({ heartbeat });
      const messages: unknown[] = [];
      controller.messages$.subscribe((m) => messages.push(m));
      controller.open({ autoReconnect: { interval: () => 0 } });
      handshake(sockets.last);
      const dead = sockets.last;
      scheduler.advance(12_000);
      messages.length = 0;
      dead.receiveJson({ id: 0, push: 'late' });
      dead.serverClose(1006);
      expect(messages).toEqual([]);
      expect(sockets.all.length).toBe(2);
    });

    describe('sharing correlation keys with requests (regression: the heartbeat took over a request entry)', () => {
      // Requests keyed by their type, as a server without ids would answer them.
      const keyedByType = {
        heartbeat,
        getRequestId: (request: TestRequest) => (request.type === 'ping' || request.type === 'list' ? request.type : request.id),
        getResponseId: (response: TestResponse) => (typeof response.echo === 'string' ? response.echo : response.id),
      };

      it('skips a heartbeat whose key a request holds: the request keeps its response, DuplicateRequestIdError on error$', () => {
        const { controller, sockets, scheduler, errors } = createHarness(keyedByType);
        const messages: unknown[] = [];
        controller.messages$.subscribe((m) => messages.push(m));
        controller.open();
        handshake(sockets.last);
        let response: TestResponse | undefined;
        controller.request({ id: 0, type: 'ping' }, { timeout: 60_000 }).subscribe((r) => (response = r));
        scheduler.advance(10_000);

        expect(sent(sockets.last).filter((r) => r.type === 'ping').length).toBe(1);
        expect(errors.map((e) => e.constructor)).toEqual([DuplicateRequestIdError]);
        sockets.last.receiveJson({ id: 0, echo: 'ping' });
        expect(response).toEqual({ id: 0, echo: 'ping' });
        expect(messages).toEqual([]);
        expect(controller.requestsInFlight).toBe(0);

        scheduler.advance(10_000);
        expect(sent(sockets.last).filter((r) => r.type === 'ping').length).toBe(2);
      });

      it('refuses a request whose key the heartbeat holds, and leaves the heartbeat its own response', () => {
        const { controller, sockets, scheduler, errors } = createHarness(keyedByType);
        controller.open();
        handshake(sockets.last);
        scheduler.advance(10_000);
        let failure: unknown;
        controller.request({ id: 0, type: 'ping' }).subscribe({ error: (e) => (failure = e) });
        sockets.last.receiveJson({ id: 0, echo: 'ping' });
        scheduler.advance(2000);

        expect(failure).toBeInstanceOf(DuplicateRequestIdError);
        expect(errors).toEqual([]);
        expect(controller.state).toBe(SocketState.subscribed);
      });
    });

    it('completes close() when a heartbeat comes due while the socket is closing, and writes no heartbeat then', () => {
      const { controller, sockets, scheduler } = createHarness({ heartbeat, closeTimeout: 30_000 });
      controller.open();
      handshake(sockets.last);
      scheduler.advance(9000);
      let closed = false;
      controller.close().subscribe({ complete: () => (closed = true) });
      scheduler.advance(2000 + 2000);

      expect(sent(sockets.last).filter((r) => r.type === 'ping').length).toBe(0);
      scheduler.advance(30_000);
      expect(closed).toBeTrue();
      expect(controller.state).toBe(SocketState.closed);
    });
  });
});

import { ClosedBeforeResponseError, SocketClosedError, SocketState } from 'customapp-rxjs-websocket';
import { Subject } from 'rxjs';
import { answer, createHarness, handshake, Harness, sent, TestRequest } from '../spec-helpers/harness';

describe('WebSocketController close()', () => {
  /** Asserts nothing is left running: no timer, no listener on a socket, no subscription to the online events. */
  function expectNothingLeft({ scheduler, sockets, online }: Harness): void {
    expect(scheduler.pending).withContext('timers left').toBe(0);
    expect(sockets.all.filter((ws) => ws.hasListeners).length).withContext('sockets with listeners').toBe(0);
    expect(online.observed).withContext('online listener').toBeFalse();
  }

  function closeAndCollect(h: Harness): { completed: () => boolean; forever: unknown[] } {
    const forever: unknown[] = [];
    h.controller.closedForever$.subscribe((e) => forever.push(e));
    let completed = false;
    h.controller.close().subscribe({ complete: () => (completed = true) });
    return { completed: () => completed, forever };
  }

  it('when subscribed: closes with 1000, passes through closing, completes once the server acknowledges', () => {
    const h = createHarness();
    const states: SocketState[] = [];
    h.controller.open();
    handshake(h.sockets.last);
    h.controller.state$.subscribe((s) => states.push(s));
    const { completed, forever } = closeAndCollect(h);

    expect(h.controller.state).toBe(SocketState.closing);
    expect(h.sockets.last.closedByClient).toEqual({ code: 1000, reason: 'closed by client' });
    expect(completed()).toBeFalse();
    h.sockets.last.acknowledgeClose();

    expect(completed()).toBeTrue();
    expect(states).toEqual([SocketState.subscribed, SocketState.closing, SocketState.closed]);
    expect(forever).toEqual([{}]);
    expectNothingLeft(h);
  });

  it('lets the socket go after closeTimeout when the server never acknowledges', () => {
    const h = createHarness({ closeTimeout: 1000 });
    h.controller.open();
    handshake(h.sockets.last);
    const { completed } = closeAndCollect(h);
    h.scheduler.advance(999);
    expect(completed()).toBeFalse();
    h.scheduler.advance(1);
    expect(completed()).toBeTrue();
    expect(h.controller.state).toBe(SocketState.closed);
    expectNothingLeft(h);
  });

  it('when pending: finishes at once and closes the socket as soon as it opens, leaving no listener', () => {
    const h = createHarness();
    h.controller.open();
    const ws = h.sockets.last;
    const { completed, forever } = closeAndCollect(h);

    expect(completed()).toBeTrue();
    expect(h.controller.state).toBe(SocketState.closed);
    expect(forever.length).toBe(1);
    expect(ws.closedByClient).toBeUndefined(); // closing a connecting socket makes browsers log an error
    ws.accept();
    expect(ws.closedByClient?.code).toBe(1000);
    expect(sent(ws)).toEqual([]);
    expectNothingLeft(h);
  });

  it('when opened and the auth request is still being created: drops that work', () => {
    const token$ = new Subject<TestRequest>();
    const h = createHarness({ authorize: { createRequest: () => token$ } });
    h.controller.open();
    h.sockets.last.accept();
    expect(token$.observed).toBeTrue();
    const { completed } = closeAndCollect(h);
    h.sockets.last.acknowledgeClose();

    expect(completed()).toBeTrue();
    expect(token$.observed).toBeFalse();
    expectNothingLeft(h);
  });

  it('when opened and waiting for the auth response: fails nothing the user sent, leaves nothing running', () => {
    const h = createHarness();
    h.controller.open();
    h.sockets.last.accept();
    const { completed } = closeAndCollect(h);
    h.sockets.last.acknowledgeClose();
    expect(completed()).toBeTrue();
    expect(h.controller.requestsInFlight).toBe(0);
    expectNothingLeft(h);
  });

  it('when authorized, mid-subscribe: the late subscription acks change nothing', () => {
    const h = createHarness();
    h.controller.open();
    const ws = h.sockets.last;
    ws.accept();
    answer(ws, sent(ws)[0]);
    expect(h.controller.state).toBe(SocketState.authorized);
    const { completed } = closeAndCollect(h);
    answer(ws, sent(ws)[1]);
    answer(ws, sent(ws)[2]);
    ws.acknowledgeClose();

    expect(completed()).toBeTrue();
    expect(h.controller.state).toBe(SocketState.closed);
    expectNothingLeft(h);
  });

  it('when closed and waiting to reconnect: cancels the reconnect', () => {
    const h = createHarness();
    h.controller.open();
    handshake(h.sockets.last);
    h.sockets.last.drop();
    expect(h.controller.reconnecting).toBeTrue();
    const { completed, forever } = closeAndCollect(h);

    expect(completed()).toBeTrue();
    expect(forever.length).toBe(1);
    h.scheduler.advance(10 * 60_000);
    expect(h.sockets.all.length).toBe(1);
    expectNothingLeft(h);
  });

  it('when never opened: completes at once and changes nothing', () => {
    const h = createHarness();
    const { completed, forever } = closeAndCollect(h);
    expect(completed()).toBeTrue();
    expect(forever).toEqual([]);
    expect(h.sockets.all.length).toBe(0);
  });

  it('when already closing: returns the same completion and does not close twice', () => {
    const h = createHarness();
    h.controller.open();
    handshake(h.sockets.last);
    const first = closeAndCollect(h);
    let secondCompleted = false;
    h.controller.close().subscribe({ complete: () => (secondCompleted = true) });
    h.sockets.last.acknowledgeClose();
    expect(first.completed()).toBeTrue();
    expect(secondCompleted).toBeTrue();
    expect(first.forever.length).toBe(1);
  });

  it('never triggers a reconnect, even when the server answers the close with an unusual code', () => {
    const h = createHarness();
    h.controller.open();
    handshake(h.sockets.last);
    h.controller.close();
    h.sockets.last.serverClose(1011, 'server error while closing');
    h.scheduler.advance(10 * 60_000);
    expect(h.sockets.all.length).toBe(1);
    expect(h.errors).toEqual([]);
    expectNothingLeft(h);
  });

  it('fails requests in flight with ClosedBeforeResponseError and waiting messages with SocketClosedError', () => {
    const h = createHarness();
    h.controller.open();
    handshake(h.sockets.last);
    const errors: unknown[] = [];
    h.controller.request({ id: 0, type: 'in-flight' }).subscribe({ error: (e) => errors.push(e) });
    h.sockets.last.drop();
    h.controller.request({ id: 0, type: 'waiting' }).subscribe({ error: (e) => errors.push(e) });
    h.controller.close();

    expect(errors[0]).toBeInstanceOf(ClosedBeforeResponseError);
    expect(errors[1]).toBeInstanceOf(SocketClosedError);
    expect(h.controller.requestsInFlight).toBe(0);
    expect(h.controller.bufferedMessages).toBe(0);
  });

  it('fails an open() that had not reached subscribed yet', () => {
    const h = createHarness();
    let error: unknown;
    h.controller.open().subscribe({ error: (e) => (error = e) });
    h.controller.close();
    expect(error).toBeInstanceOf(SocketClosedError);
  });

  it('can be opened again after close, and again re-authorizes from scratch', () => {
    const h = createHarness();
    h.controller.open();
    handshake(h.sockets.last);
    h.controller.close();
    h.controller.open(); // while the first socket is still closing
    expect(h.sockets.all.length).toBe(1);
    h.sockets.last.acknowledgeClose();
    expect(h.sockets.all.length).toBe(2);
    handshake(h.sockets.last);
    expect(h.controller.state).toBe(SocketState.subscribed);
    expect(h.tokens).toEqual(['token-1', 'token-2']);
  });
});

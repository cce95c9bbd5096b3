import { of, throwError } from 'rxjs';
import { ReauthorizeRejectedError, ReauthorizeRequestError, SocketState } from 'customapp-rxjs-websocket';
import { answer, createHarness, handshake, sent, TestConfig, TestRequest, TestResponse } from '../spec-helpers/harness';

/** Re-auth requests carry the next token of `renewals`. */
function reauthorizing(overrides: Partial<NonNullable<TestConfig['reauthorize']>> = {}): Partial<TestConfig> & { renewals: string[] } {
  const renewals: string[] = [];
  return {
    renewals,
    reauthorize: {
      createRequest: () => {
        const token = `renewed-${renewals.length + 1}`;
        renewals.push(token);
        return of({ id: 0, type: 'reauth', token });
      },
      ...overrides,
    },
  };
}

function collect<T>(source: { subscribe(observer: object): unknown }) {
  const result = { values: [] as T[], error: undefined as unknown, completed: false };
  source.subscribe({
    next: (value: T) => result.values.push(value),
    error: (error: unknown) => (result.error = error),
    complete: () => (result.completed = true),
  });
  return result;
}

const reauths = (frames: TestRequest[]) => frames.filter((frame) => frame.type === 'reauth');

describe('WebSocketController reauthorize()', () => {
  it('renews the authorization on the open socket, leaving its subscriptions and the requests in flight alone', () => {
    const { renewals, ...config } = reauthorizing();
    const { controller, sockets } = createHarness(config);
    const answers: TestResponse[] = [];
    controller.reauthorized$.subscribe((response) => answers.push(response));
    controller.open();
    handshake(sockets.last);
    const ws = sockets.last;
    const inFlight = collect<TestResponse>(controller.request({ id: 0, type: 'menuList' }));
    const transitions: unknown[] = [];
    controller.transitions$.subscribe((t) => transitions.push(t));

    const result = collect<TestResponse | undefined>(controller.reauthorize());
    const [reauth] = reauths(sent(ws));
    expect(reauth).toEqual(jasmine.objectContaining({ type: 'reauth', token: 'renewed-1' }));
    answer(ws, reauth, { ok: true, echo: 'renewed' });
    answer(ws, sent(ws).find((frame) => frame.type === 'menuList')!, { ok: true, echo: 'list' });

    expect(result.values).toEqual([{ id: reauth.id, ok: true, echo: 'renewed' }]);
    expect(result.completed).toBeTrue();
    expect(answers.length).toBe(1);
    expect(inFlight.values.map((r) => r.echo)).toEqual(['list']);
    expect(sockets.all.length).toBe(1);
    expect(transitions).toEqual([]);
    expect(controller.state).toBe(SocketState.subscribed);
    expect(sent(ws).filter((frame) => frame.type === 'sub').length).toBe(2);
    expect(renewals).toEqual(['renewed-1']);
  });

  it('falls back to one reconnect at once with a fresh auth when the server refuses the renewal', () => {
    const { controller, sockets, scheduler, errors, tokens } = createHarness(reauthorizing());
    const closes: unknown[] = [];
    controller.closed$.subscribe((close) => closes.push(close));
    controller.open();
    handshake(sockets.last);
    const first = sockets.last;

    const result = collect(controller.reauthorize());
    answer(first, reauths(sent(first))[0], { error: 'UNKNOWN_MESSAGE' });

    expect(result.error).toBeInstanceOf(ReauthorizeRejectedError);
    expect(errors.map((e) => e.constructor)).toEqual([ReauthorizeRejectedError]);
    expect(first.closedByClient).toEqual({ code: 1000, reason: 'closed by client' });
    expect(closes).toEqual([jasmine.objectContaining({ willReconnect: true, reconnectIn: 0 })]);
    scheduler.advance(0);
    expect(sockets.all.length).toBe(2);
    handshake(sockets.last);
    expect(sent(sockets.last)[0]).toEqual(jasmine.objectContaining({ type: 'auth', token: 'token-2', renewed: false }));
    expect(tokens).toEqual(['token-1', 'token-2']);
    expect(controller.state).toBe(SocketState.subscribed);
  });

  it('falls back to a reconnect when the server does not answer the renewal within its timeout', () => {
    const { controller, sockets, scheduler } = createHarness(reauthorizing({ timeout: 2000 }));
    controller.open();
    handshake(sockets.last);
    const result = collect(controller.reauthorize());
    scheduler.advance(1999);
    expect(result.error).toBeUndefined();

    scheduler.advance(1);
    expect(result.error).toBeInstanceOf(ReauthorizeRejectedError);
    expect((result.error as Error).message).toMatch(/No response to request/);
    scheduler.advance(0);
    expect(sockets.all.length).toBe(2);
  });

  it('asks for a renewed token on the reconnect when the server refused the renewal as expired', () => {
    const { controller, sockets, scheduler } = createHarness(reauthorizing());
    controller.open();
    handshake(sockets.last);
    const result = collect(controller.reauthorize());
    answer(sockets.last, reauths(sent(sockets.last))[0], { error: 'token expired' });

    expect((result.error as ReauthorizeRejectedError).tokenExpired).toBeTrue();
    scheduler.advance(0);
    sockets.last.accept();
    expect(sent(sockets.last)[0]).toEqual(jasmine.objectContaining({ type: 'auth', renewed: true }));
  });

  it('judges the answer with isResponseSuccessful', () => {
    const { controller, sockets, scheduler } = createHarness(reauthorizing({ isResponseSuccessful: (response) => response.echo === 'renewed' }));
    controller.open();
    handshake(sockets.last);
    const result = collect(controller.reauthorize());
    answer(sockets.last, reauths(sent(sockets.last))[0], { ok: true, echo: 'ignored' });

    expect(result.error).toBeInstanceOf(ReauthorizeRejectedError);
    scheduler.advance(0);
    expect(sockets.all.length).toBe(2);
  });

  it('sends the renewal once the socket is authorized when called during its auth', () => {
    const { renewals, ...config } = reauthorizing();
    const { controller, sockets } = createHarness(config);
    controller.open();
    sockets.last.accept();
    const result = collect(controller.reauthorize());
    expect(reauths(sent(sockets.last))).toEqual([]);

    answer(sockets.last, sent(sockets.last)[0]);
    const [reauth] = reauths(sent(sockets.last));
    expect(reauth).toBeDefined();
    answer(sockets.last, reauth);
    expect(result.completed).toBeTrue();
    expect(renewals.length).toBe(1);
  });

  it('completes without a value when no connection is open, and when the connection ends before its auth', () => {
    const { controller, sockets } = createHarness(reauthorizing());
    const closed = collect(controller.reauthorize());
    expect(closed.completed).toBeTrue();
    expect(closed.values).toEqual([]);

    controller.open();
    sockets.last.accept();
    const authorizing = collect(controller.reauthorize());
    sockets.last.drop();
    expect(authorizing.completed).toBeTrue();
    expect(authorizing.values).toEqual([]);
  });

  it('keeps the connection when the renewal request cannot be created', () => {
    const { controller, sockets, scheduler, errors } = createHarness({
      reauthorize: { createRequest: () => throwError(() => new Error('no fresh token')) },
    });
    controller.open();
    handshake(sockets.last);
    const result = collect(controller.reauthorize());
    scheduler.advance(10_000);

    expect(result.error).toBeInstanceOf(ReauthorizeRequestError);
    expect(errors.map((e) => e.constructor)).toEqual([ReauthorizeRequestError]);
    expect(sockets.all.length).toBe(1);
    expect(controller.state).toBe(SocketState.subscribed);
  });

  it('fails with ReauthorizeRequestError without a reauthorize config', () => {
    const { controller, sockets } = createHarness();
    controller.open();
    handshake(sockets.last);
    const result = collect(controller.reauthorize());
    expect(result.error).toBeInstanceOf(ReauthorizeRequestError);
    expect(sockets.all.length).toBe(1);
  });

  it('leaves no timer behind: close() during a renewal settles it', () => {
    const { controller, sockets, scheduler } = createHarness(reauthorizing());
    controller.open();
    handshake(sockets.last);
    const result = collect(controller.reauthorize());
    controller.close();
    sockets.last.acknowledgeClose();

    expect(result.completed || result.error !== undefined).toBeTrue();
    expect(scheduler.pending).toBe(0);
  });
});

import {
  AlreadyOpenedError,
  AuthRejectedError,
  AuthRequestError,
  ConnectError,
  FatalCloseError,
  SocketState,
  SubscribeRejectedError,
  TokenExpiredError,
} from 'customapp-rxjs-websocket';
import { throwError } from 'rxjs';
import { answer, createHarness, handshake, sent } from '../spec-helpers/harness';

describe('WebSocketController lifecycle', () => {
  it('moves closed → pending → opened → authorized → subscribed, one transition at a time', () => {
    const { controller, sockets } = createHarness();
    const states: SocketState[] = [];
    controller.state$.subscribe((state) => states.push(state));

    controller.open();
    expect(controller.state).toBe(SocketState.pending);
    handshake(sockets.last);

    expect(states).toEqual([
      SocketState.closed,
      SocketState.pending,
      SocketState.opened,
      SocketState.authorized,
      SocketState.subscribed,
    ]);
  });

  it('sends the auth request first, then every subscription request, and waits for their acknowledgement', () => {
    const { controller, sockets } = createHarness();
    controller.open();
    const ws = sockets.last;
    ws.accept();

    expect(sent(ws).map((r) => r.type)).toEqual(['auth']);
    answer(ws, sent(ws)[0]);
    expect(sent(ws).map((r) => r.kind ?? r.type)).toEqual(['auth', 'categories', 'notifications']);
    expect(controller.state).toBe(SocketState.authorized);

    answer(ws, sent(ws)[1]);
    expect(controller.state).toBe(SocketState.authorized);
    answer(ws, sent(ws)[2]);
    expect(controller.state).toBe(SocketState.subscribed);
  });

  it('sends the subscription requests even when no isResponseSuccessful is configured, and emits their responses', () => {
    const { controller, sockets } = createHarness();
    const subscribed: unknown[] = [];
    controller.subscribed$.subscribe((responses) => subscribed.push(responses));
    controller.open();
    handshake(sockets.last);

    expect(sent(sockets.last).filter((r) => r.type === 'sub').length).toBe(2);
    expect(subscribed).toEqual([[jasmine.objectContaining({ ok: true }), jasmine.objectContaining({ ok: true })]]);
  });

  it('resolves open() with the auth and subscription responses once subscribed', () => {
    const { controller, sockets } = createHarness();
    let result: unknown;
    let completed = false;
    controller.open().subscribe({ next: (r) => (result = r), complete: () => (completed = true) });
    expect(result).toBeUndefined();

    handshake(sockets.last);

    expect(result).toEqual({
      authResponse: jasmine.objectContaining({ id: 1, ok: true }),
      subscribeResponses: [jasmine.objectContaining({ id: 2 }), jasmine.objectContaining({ id: 3 })],
    });
    expect(completed).toBeTrue();
  });

  it('skips auth and subscriptions when none are configured', () => {
    const { controller, sockets } = createHarness({ authorize: undefined, subscribe: undefined });
    controller.open();
    sockets.last.accept();
    expect(controller.state).toBe(SocketState.subscribed);
    expect(sockets.last.sent).toEqual([]);
  });

  it('evaluates a url function anew for every connection', () => {
    let n = 0;
    const { controller, sockets, scheduler } = createHarness({ url: () => `ws://test.local/ws?n=${++n}` });
    controller.open();
    handshake(sockets.last);
    sockets.last.drop();
    scheduler.advance(60_000);

    expect(sockets.all.map((ws) => ws.url)).toEqual(['ws://test.local/ws?n=1', 'ws://test.local/ws?n=2']);
  });

  it('asks for the configured subprotocol and binary type', () => {
    const { controller, sockets } = createHarness({ protocol: ['api.v1.protobuf'], binaryType: 'arraybuffer' });
    controller.open();
    expect(sockets.last.protocols).toEqual(['api.v1.protobuf']);
    expect(sockets.last.binaryType).toBe('arraybuffer');
  });

  it('throws AlreadyOpenedError on a second open(), unless doNotThrowWhenOpened is set', () => {
    const { controller, sockets } = createHarness();
    controller.open();
    expect(() => controller.open()).toThrowError(AlreadyOpenedError, /already pending/);

    let reused: unknown;
    controller.open({ doNotThrowWhenOpened: true }).subscribe((r) => (reused = r));
    handshake(sockets.last);
    expect(reused).toEqual(jasmine.objectContaining({ authResponse: jasmine.objectContaining({ ok: true }) }));
    expect(sockets.all.length).toBe(1);
  });

  describe('refusals stop for good', () => {
    it('stops on an auth refusal: AuthRejectedError on error$, closedForever$, no reconnect', () => {
      const { controller, sockets, scheduler, errors } = createHarness();
      const forever: unknown[] = [];
      let openError: unknown;
      controller.closedForever$.subscribe((e) => forever.push(e));
      controller.open().subscribe({ error: (e) => (openError = e) });
      const ws = sockets.last;
      ws.accept();
      answer(ws, sent(ws)[0], { error: 'bad token' });

      expect(errors.length).toBe(1);
      expect(errors[0]).toBeInstanceOf(AuthRejectedError);
      expect(errors[0].message).toContain('bad token');
      expect(openError).toBe(errors[0]);
      expect(forever).toEqual([{ error: errors[0] }]);
      expect(controller.state).toBe(SocketState.closed);
      expect(ws.closedByClient?.code).toBe(1000);
      scheduler.advance(10 * 60_000);
      expect(sockets.all.length).toBe(1);
      expect(scheduler.pending).toBe(0);
    });

    it('stops when isResponseSuccessful says the auth response is a refusal', () => {
      const { controller, sockets, errors } = createHarness({}, { isResponseSuccessful: (r) => r.ok === true });
      controller.open();
      sockets.last.accept();
      answer(sockets.last, sent(sockets.last)[0], { ok: false });
      expect(errors[0]).toBeInstanceOf(AuthRejectedError);
      expect(controller.active).toBeFalse();
    });

    it('stops on a subscription refusal with SubscribeRejectedError', () => {
      const { controller, sockets, scheduler, errors } = createHarness();
      controller.open();
      const ws = sockets.last;
      ws.accept();
      answer(ws, sent(ws)[0]);
      answer(ws, sent(ws)[1]);
      answer(ws, sent(ws)[2], { error: 'forbidden kind' });

      expect(errors.map((e) => e.constructor)).toEqual([SubscribeRejectedError]);
      expect(errors[0].message).toContain('forbidden kind');
      scheduler.advance(10 * 60_000);
      expect(sockets.all.length).toBe(1);
    });

    it('stops with AuthRequestError when the auth request cannot be created (no token to be had)', () => {
      const { controller, sockets, scheduler, errors } = createHarness({
        authorize: { createRequest: () => throwError(() => new Error('no fresh token')) },
      });
      controller.open();
      sockets.last.accept();
      expect(errors[0]).toBeInstanceOf(AuthRequestError);
      expect(errors[0].message).toContain('no fresh token');
      scheduler.advance(10 * 60_000);
      expect(sockets.all.length).toBe(1);
    });

    for (const code of [1002, 1003, 1007, 1008, 4400, 4401, 4403]) {
      it(`stops for good on the default fatal close code ${code}`, () => {
        const { controller, sockets, scheduler, errors } = createHarness();
        const forever: unknown[] = [];
        controller.closedForever$.subscribe((e) => forever.push(e));
        controller.open();
        handshake(sockets.last);
        sockets.last.serverClose(code, 'go away');

        expect(errors.length).toBe(1);
        expect(errors[0]).toBeInstanceOf(FatalCloseError);
        expect((errors[0] as FatalCloseError).code).toBe(code);
        expect(forever.length).toBe(1);
        scheduler.advance(10 * 60_000);
        expect(sockets.all.length).toBe(1);
        expect(scheduler.pending).toBe(0);
      });
    }

    it('takes its fatal codes from the config', () => {
      const { controller, sockets, scheduler, errors } = createHarness({ fatalCloseCodes: [4440] });
      controller.open();
      handshake(sockets.last);
      sockets.last.serverClose(4401);
      scheduler.advance(60_000);
      expect(sockets.all.length).toBe(2);
      handshake(sockets.last);
      sockets.last.serverClose(4440, 'logged out');
      expect(errors.pop()).toBeInstanceOf(FatalCloseError);
      expect(controller.active).toBeFalse();
    });

    it('stops with ConnectError when the WebSocket cannot be created', () => {
      const { controller, sockets, errors } = createHarness();
      sockets.failNextWith = new SyntaxError("The URL 'nope' is invalid.");
      let openError: unknown;
      controller.open().subscribe({ error: (e) => (openError = e) });
      expect(openError).toBeInstanceOf(ConnectError);
      expect(errors[0]).toBe(openError as ConnectError);
      expect(controller.state).toBe(SocketState.closed);
    });
  });

  describe('token expiry', () => {
    it('reconnects with no backoff after a "token expired" close', () => {
      const { controller, sockets, scheduler } = createHarness();
      const closes: unknown[] = [];
      controller.closed$.subscribe((c) => closes.push(c));
      controller.open();
      handshake(sockets.last);
      sockets.last.serverClose(4419, 'token expired');

      expect(closes).toEqual([jasmine.objectContaining({ code: 4419, willReconnect: true, reconnectIn: 0 })]);
      expect(controller.reconnecting).toBeTrue();
      scheduler.advance(0);
      expect(sockets.all.length).toBe(2);
    });

    it('renews the token after a "token expired" close, then re-authorizes and re-subscribes', () => {
      const { controller, sockets, scheduler, tokens, errors } = createHarness();
      controller.open();
      handshake(sockets.last);
      sockets.last.serverClose(4419, 'token expired');
      scheduler.advance(0);

      const second = sockets.last;
      expect(sockets.all.length).toBe(2);
      second.accept();
      expect(sent(second)[0]).toEqual(jasmine.objectContaining({ type: 'auth', token: 'token-2', renewed: true }));
      handshake(second);
      expect(controller.state).toBe(SocketState.subscribed);
      expect(tokens).toEqual(['token-1', 'token-2']);
      expect(errors).toEqual([]);
    });

    it('treats an auth error response that says "token expired" like the close code', () => {
      const { controller, sockets, scheduler } = createHarness();
      controller.open();
      sockets.last.accept();
      answer(sockets.last, sent(sockets.last)[0], { error: 'token expired' });
      scheduler.advance(0);
      expect(sockets.all.length).toBe(2);
      sockets.last.accept();
      expect(sent(sockets.last)[0].renewed).toBeTrue();
    });

    it('stops with TokenExpiredError when the renewed token is refused as expired too (no loop)', () => {
      const { controller, sockets, scheduler, errors } = createHarness();
      controller.open();
      handshake(sockets.last);
      sockets.last.serverClose(4419);
      scheduler.advance(0);
      sockets.last.accept();
      sockets.last.serverClose(4419);

      expect(errors.map((e) => e.constructor)).toEqual([TokenExpiredError]);
      scheduler.advance(10 * 60_000);
      expect(sockets.all.length).toBe(2);
      expect(controller.active).toBeFalse();
    });
  });
});

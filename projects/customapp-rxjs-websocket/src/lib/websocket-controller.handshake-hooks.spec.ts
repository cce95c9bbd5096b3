import {
  AuthContext,
  AuthRejectedError,
  AuthRequestError,
  ConnectError,
  ErrorResponseError,
  SocketState,
  SubscribeRejectedError,
  WelcomeTimeoutError,
} from 'customapp-rxjs-websocket';
import { Observable, of, throwError } from 'rxjs';
import { answer, createHarness, handshake, sent, TestRequest, TestResponse } from '../spec-helpers/harness';

/** An auth config that records the context of every auth request it makes. */
function recordingAuth(contexts: AuthContext<TestResponse>[]) {
  return {
    createRequest: (context: AuthContext<TestResponse>): Observable<TestRequest> => {
      contexts.push(context);
      return of({ id: 0, type: 'auth', token: `token-${contexts.length}` });
    },
  };
}

describe('WebSocketController handshake hooks', () => {
  describe('a server that speaks first (authorize.welcome)', () => {
    it('waits for the welcome before creating the auth request, and hands it to createRequest', () => {
      const contexts: AuthContext<TestResponse>[] = [];
      const { controller, sockets } = createHarness({ authorize: { ...recordingAuth(contexts), welcome: {} }, subscribe: undefined });
      controller.open().subscribe();
      sockets.last.accept();
      expect(contexts.length).toBe(0);
      expect(sent(sockets.last)).toEqual([]);

      sockets.last.receiveJson({ id: 0, push: { clientId: 'c-1' } });

      expect(contexts.length).toBe(1);
      expect(contexts[0].welcome).toEqual({ id: 0, push: { clientId: 'c-1' } });
      expect(sent(sockets.last).map((r) => r.type)).toEqual(['auth']);
      answer(sockets.last, sent(sockets.last)[0]);
      expect(controller.state).toBe(SocketState.subscribed);
    });

    it('lets messages that are not the welcome through to messages$ while it waits', () => {
      const contexts: AuthContext<TestResponse>[] = [];
      const isWelcome = (m: TestResponse) => (m.push as { kind?: string } | undefined)?.kind === 'hello';
      const { controller, sockets } = createHarness({ authorize: { ...recordingAuth(contexts), welcome: { isWelcome } }, subscribe: undefined });
      const messages: TestResponse[] = [];
      controller.messages$.subscribe((m) => messages.push(m));
      controller.open();
      sockets.last.accept();
      sockets.last.receiveJson({ id: 0, push: { kind: 'news' } });
      sockets.last.receiveJson({ id: 0, push: { kind: 'hello' } });

      expect(messages).toEqual([{ id: 0, push: { kind: 'news' } }]);
      expect(contexts.map((c) => c.welcome)).toEqual([{ id: 0, push: { kind: 'hello' } }]);
    });

    it('replaces the connection with a WelcomeTimeoutError when the welcome does not come in time', () => {
      const contexts: AuthContext<TestResponse>[] = [];
      const { controller, sockets, scheduler, errors } = createHarness({
        authorize: { ...recordingAuth(contexts), welcome: { timeout: 1000 } },
        subscribe: undefined,
      });
      controller.open();
      sockets.last.accept();
      scheduler.advance(999);
      expect(errors).toEqual([]);
      scheduler.advance(1);

      expect(errors.length).toBe(1);
      expect(errors[0]).toBeInstanceOf(WelcomeTimeoutError);
      expect(controller.reconnecting).toBeTrue();
      expect(sockets.all[0].closedByClient).toBeDefined();
      expect(contexts.length).toBe(0);
    });
  });

  describe('requests the server never answers (expectsResponse: false)', () => {
    it('counts the auth as accepted once written, with no correlation key needed', () => {
      const { controller, sockets } = createHarness({
        authorize: { createRequest: () => of({ id: 0, type: 'register', token: 't' }), expectsResponse: false },
        subscribe: undefined,
        getRequestId: (request) => (request.type === 'register' ? undefined : request.id),
      });
      let opened = false;
      controller.open().subscribe({ complete: () => (opened = true) });
      sockets.last.accept();

      expect(sent(sockets.last).map((r) => r.type)).toEqual(['register']);
      expect(controller.state).toBe(SocketState.subscribed);
      expect(opened).toBeTrue();
    });

    it('takes an error response as the first message after it as its refusal: AuthRejectedError, closedForever$, one connection', () => {
      const { controller, sockets, scheduler, errors } = createHarness({
        authorize: { createRequest: () => of({ id: 0, type: 'register', token: 'bad' }), expectsResponse: false },
        subscribe: undefined,
      });
      const forever: unknown[] = [];
      controller.closedForever$.subscribe((e) => forever.push(e));
      const messages: TestResponse[] = [];
      controller.messages$.subscribe((m) => messages.push(m));
      controller.open();
      sockets.last.accept();
      sockets.last.receiveJson({ id: 0, error: 'invalid token' });
      scheduler.advance(120_000);

      expect(errors.length).toBe(1);
      expect(errors[0]).toBeInstanceOf(AuthRejectedError);
      expect(errors[0].message).toContain('invalid token');
      expect(forever.length).toBe(1);
      expect(sockets.all.length).toBe(1);
      expect(messages).toEqual([]);
      expect(controller.active).toBeFalse();
    });

    it('closes the refusal window at the first message that is not an error: a later error is only a message', () => {
      const { controller, sockets, errors } = createHarness({
        authorize: { createRequest: () => of({ id: 0, type: 'register', token: 't' }), expectsResponse: false },
        subscribe: undefined,
      });
      const messages: TestResponse[] = [];
      controller.messages$.subscribe((m) => messages.push(m));
      controller.open();
      sockets.last.accept();
      sockets.last.receiveJson({ id: 0, push: 'event' });
      sockets.last.receiveJson({ id: 0, error: 'unrelated' });

      expect(errors).toEqual([]);
      expect(controller.state).toBe(SocketState.subscribed);
      expect(messages.length).toBe(2);
    });

    it('renews the token when the refusal of an unanswered auth says it expired', () => {
      const { controller, sockets, scheduler, tokens } = createHarness({
        authorize: {
          createRequest: (context) => of({ id: 0, type: 'register', token: `t${tokens.length}`, renewed: context.tokenExpired }),
          expectsResponse: false,
          isTokenExpiredResponse: (response) => response.error === 'token expired',
        },
        subscribe: undefined,
      });
      controller.open();
      sockets.last.accept();
      sockets.last.receiveJson({ id: 0, error: 'token expired' });
      scheduler.advance(0);
      sockets.last.accept();

      expect(sockets.all.length).toBe(2);
      expect(sent(sockets.last)[0]).toEqual(jasmine.objectContaining({ type: 'register', renewed: true }));
    });

    const mixedSubscriptions = {
      createRequests: () => of([{ id: 0, type: 'sub', kind: 'a' }, { id: 0, type: 'watch', kind: 'b' }]),
      expectsResponse: (request: TestRequest) => request.type !== 'watch',
    };

    it('counts a subscription it is told is unanswered as accepted once written, beside answered ones', () => {
      const { controller, sockets } = createHarness({ subscribe: mixedSubscriptions });
      controller.open();
      sockets.last.accept();
      answer(sockets.last, sent(sockets.last)[0]);
      const [, sub, watch] = sent(sockets.last);
      expect(watch.type).toBe('watch');
      expect(controller.state).toBe(SocketState.authorized);
      answer(sockets.last, sub);
      expect(controller.state).toBe(SocketState.subscribed);
    });

    it('takes an error response right after an unanswered subscription as its refusal: SubscribeRejectedError', () => {
      const { controller, sockets, errors } = createHarness({ subscribe: mixedSubscriptions });
      controller.open();
      sockets.last.accept();
      answer(sockets.last, sent(sockets.last)[0]);
      sockets.last.receiveJson({ id: 0, error: 'no such feed' });

      expect(errors.length).toBe(1);
      expect(errors[0]).toBeInstanceOf(SubscribeRejectedError);
      expect(controller.active).toBeFalse();
    });
  });

  describe('error responses without a correlation key (routeErrorResponse)', () => {
    it('fails the request the route names at once with ErrorResponseError, instead of a timeout', () => {
      const { controller, sockets, scheduler } = createHarness({
        routeErrorResponse: (error, waiting) => waiting.find((w) => w.request.kind === (error.echo as string))?.key,
      });
      controller.open();
      handshake(sockets.last);
      let failure: unknown;
      let other: unknown;
      controller.request({ id: 0, type: 'query', kind: 'nodes' }).subscribe({ error: (e) => (failure = e) });
      controller.request({ id: 0, type: 'query', kind: 'tasks' }).subscribe({ next: (r) => (other = r) });
      sockets.last.receiveJson({ id: 0, error: 'unknown type', echo: 'nodes' });

      expect(failure).toBeInstanceOf(ErrorResponseError);
      expect((failure as ErrorResponseError).message).toBe('unknown type');
      expect(controller.requestsInFlight).toBe(1);
      answer(sockets.last, sent(sockets.last).pop()!, { echo: 'tasks' });
      expect(other).toEqual(jasmine.objectContaining({ echo: 'tasks' }));
      scheduler.advance(10_000);
    });

    it('lets an error the route does not claim through to messages$', () => {
      const { controller, sockets } = createHarness({ routeErrorResponse: () => undefined });
      const messages: TestResponse[] = [];
      controller.messages$.subscribe((m) => messages.push(m));
      controller.open();
      handshake(sockets.last);
      controller.request({ id: 0, type: 'query' }).subscribe({ error: () => undefined });
      sockets.last.receiveJson({ id: 0, error: 'server busy' });

      expect(messages).toEqual([{ id: 0, error: 'server busy' }]);
      expect(controller.requestsInFlight).toBe(1);
    });

    it('leaves the refusal of an unanswered auth to the auth, even with subscriptions waiting that the route would pick', () => {
      const { controller, sockets, errors } = createHarness({
        authorize: { createRequest: () => of({ id: 0, type: 'register', token: 'bad' }), expectsResponse: false },
        routeErrorResponse: (_error, waiting) => waiting[0]?.key,
      });
      controller.open();
      sockets.last.accept();
      expect(sent(sockets.last).map((r) => r.type)).toEqual(['register', 'sub', 'sub']);
      sockets.last.receiveJson({ id: 0, error: 'invalid jwt' });

      expect(errors.map((e) => e.constructor)).toEqual([AuthRejectedError]);
    });

    it('routes a refusal of the auth request too, so the handshake stops at once', () => {
      const { controller, sockets, errors } = createHarness({ routeErrorResponse: (_error, waiting) => waiting[0]?.key, subscribe: undefined });
      controller.open();
      sockets.last.accept();
      sockets.last.receiveJson({ id: 0, error: 'bad token' });

      expect(errors.map((e) => e.constructor)).toEqual([AuthRejectedError]);
      expect(controller.active).toBeFalse();
    });
  });

  it('hands the previous connection auth response to the next auth request (to resume a session)', () => {
    const contexts: AuthContext<TestResponse>[] = [];
    const { controller, sockets, scheduler } = createHarness({ authorize: recordingAuth(contexts), subscribe: undefined });
    controller.open();
    sockets.last.accept();
    answer(sockets.last, sent(sockets.last)[0], { echo: 'session-1' });
    sockets.last.drop();
    scheduler.advance(60_000);
    sockets.last.accept();

    expect(contexts.map((c) => c.previousAuthResponse?.echo)).toEqual([undefined, 'session-1']);
  });

  describe('subscriptions added while the socket lives', () => {
    it('sends one on a live socket, re-sends it after every reconnect, and stops re-sending it once removed', () => {
      const { controller, sockets, scheduler } = createHarness();
      controller.open();
      handshake(sockets.last);
      const acks: unknown[] = [];
      const room = controller
        .subscription({ id: 0, type: 'join', kind: 'room-b' }, { unsubscribe: { id: 0, type: 'leave', kind: 'room-b' } })
        .subscribe((ack) => acks.push(ack));
      const join = sent(sockets.last).pop()!;
      expect(join).toEqual(jasmine.objectContaining({ type: 'join', kind: 'room-b' }));
      answer(sockets.last, join, { echo: 'joined' });

      sockets.last.drop();
      scheduler.advance(60_000);
      handshake(sockets.last);
      const second = sent(sockets.last);
      expect(second.map((r) => `${r.type}:${r.kind ?? ''}`)).toEqual(['auth:', 'sub:categories', 'sub:notifications', 'join:room-b']);
      expect(controller.state).toBe(SocketState.authorized);
      answer(sockets.last, second[3], { echo: 'joined again' });
      expect(controller.state).toBe(SocketState.subscribed);
      expect(acks.length).toBe(2);

      room.unsubscribe();
      expect(sent(sockets.last).pop()).toEqual(jasmine.objectContaining({ type: 'leave', kind: 'room-b' }));
      sockets.last.drop();
      scheduler.advance(60_000);
      handshake(sockets.last);
      expect(sent(sockets.last).some((r) => r.type === 'join')).toBeFalse();
    });

    it('creates the request anew for every connection when given a function (a fresh per-room token)', () => {
      const { controller, sockets, scheduler } = createHarness();
      let made = 0;
      controller.subscription(() => of({ id: 0, type: 'join', kind: 'b', token: `room-token-${++made}` })).subscribe();
      controller.open();
      handshake(sockets.last);
      sockets.last.drop();
      scheduler.advance(60_000);
      handshake(sockets.last);

      expect(sockets.all.map((ws) => sent(ws).find((r) => r.type === 'join')?.token)).toEqual(['room-token-1', 'room-token-2']);
    });

    it('fails only the live subscription whose request cannot be created', () => {
      const { controller, sockets, errors } = createHarness();
      let failure: unknown;
      controller.subscription(() => throwError(() => new Error('no room token'))).subscribe({ error: (e) => (failure = e) });
      controller.open();
      handshake(sockets.last);

      expect((failure as Error).message).toContain('no room token');
      expect(errors).toEqual([]);
      expect(controller.state).toBe(SocketState.subscribed);
    });

    it('sends one added before open() with the handshake, after the configured subscriptions', () => {
      const { controller, sockets } = createHarness();
      controller.subscription({ id: 0, type: 'join', kind: 'early' }).subscribe();
      controller.open();
      handshake(sockets.last);

      expect(sent(sockets.last).map((r) => r.type)).toEqual(['auth', 'sub', 'sub', 'join']);
    });

    it('fails only the refused one with SubscribeRejectedError; the socket goes on and never re-sends it', () => {
      const { controller, sockets, scheduler, errors } = createHarness();
      controller.open();
      handshake(sockets.last);
      let failure: unknown;
      controller.subscription({ id: 0, type: 'join', kind: 'forbidden' }).subscribe({ error: (e) => (failure = e) });
      answer(sockets.last, sent(sockets.last).pop()!, { error: 'forbidden room' });

      expect(failure).toBeInstanceOf(SubscribeRejectedError);
      expect(errors).toEqual([]);
      expect(controller.state).toBe(SocketState.subscribed);
      sockets.last.drop();
      scheduler.advance(60_000);
      handshake(sockets.last);
      expect(sent(sockets.last).some((r) => r.type === 'join')).toBeFalse();
    });

    it('does not send the unsubscribe message when the socket is down; the subscription is gone all the same', () => {
      const { controller, sockets, scheduler } = createHarness();
      controller.open();
      handshake(sockets.last);
      const room = controller.subscription({ id: 0, type: 'join', kind: 'b' }, { unsubscribe: { id: 0, type: 'leave', kind: 'b' } }).subscribe();
      answer(sockets.last, sent(sockets.last).pop()!);
      sockets.last.drop();
      room.unsubscribe();
      scheduler.advance(60_000);
      handshake(sockets.last);

      expect(sockets.all.flatMap((ws) => sent(ws)).some((r) => r.type === 'leave')).toBeFalse();
      expect(sent(sockets.last).some((r) => r.type === 'join')).toBeFalse();
    });
  });

  describe('per-connection constructor options (createSocketOptions)', () => {
    it('creates them anew before every connection and passes them as the third constructor argument', () => {
      let made = 0;
      const { controller, sockets, scheduler } = createHarness({
        createSocketOptions: () => of({ headers: { Authorization: `Bearer fresh-${++made}` } }),
      });
      controller.open();
      handshake(sockets.last);
      sockets.last.drop();
      scheduler.advance(60_000);

      expect(sockets.all.map((ws) => ws.options)).toEqual([
        { headers: { Authorization: 'Bearer fresh-1' } },
        { headers: { Authorization: 'Bearer fresh-2' } },
      ]);
    });

    it('stops with a ConnectError when they cannot be created, without making a socket', () => {
      const { controller, sockets, errors } = createHarness({ createSocketOptions: () => throwError(() => new Error('no token')) });
      let failure: unknown;
      controller.open().subscribe({ error: (e) => (failure = e) });

      expect(failure).toBeInstanceOf(ConnectError);
      expect(errors.map((e) => e.constructor)).toEqual([ConnectError]);
      expect(sockets.all.length).toBe(0);
      expect(controller.state).toBe(SocketState.closed);
    });

    it('lets close() cancel a connection whose options are still being created', () => {
      const { controller, sockets } = createHarness({ createSocketOptions: () => new Observable<unknown>() });
      controller.open();
      expect(controller.state).toBe(SocketState.pending);
      let closed = false;
      controller.close().subscribe({ complete: () => (closed = true) });

      expect(closed).toBeTrue();
      expect(controller.state).toBe(SocketState.closed);
      expect(sockets.all.length).toBe(0);
    });
  });

  describe('handshake requests that cannot be made (regression: the controller stayed opened forever)', () => {
    it('stops with AuthRequestError when the auth request has no correlation key, and says how to fix it', () => {
      const { controller, sockets, errors } = createHarness({ getRequestId: (request) => (request.type === 'auth' ? undefined : request.id) });
      const forever: unknown[] = [];
      controller.closedForever$.subscribe((e) => forever.push(e));
      let failure: unknown;
      controller.open().subscribe({ error: (e) => (failure = e) });
      sockets.last.accept();

      expect(failure).toBeInstanceOf(AuthRequestError);
      expect((failure as Error).message).toContain('expectsResponse: false');
      expect(errors.length).toBe(1);
      expect(forever.length).toBe(1);
      expect(sent(sockets.last)).toEqual([]);
      expect(controller.state).toBe(SocketState.closed);
    });

    it('stops with AuthRequestError when the serializer throws on the auth request', () => {
      const { controller, sockets, errors } = createHarness({
        serializer: (request) => {
          if (request.type === 'auth') throw new Error('cannot encode');
          return JSON.stringify(request);
        },
      });
      controller.open();
      sockets.last.accept();

      expect(errors.map((e) => e.constructor)).toEqual([AuthRequestError]);
      expect(errors[0].message).toContain('cannot encode');
      expect(controller.active).toBeFalse();
    });

    it('stops with a typed error when a subscription request has no correlation key', () => {
      const { controller, sockets, errors } = createHarness({ getRequestId: (request) => (request.type === 'sub' ? undefined : request.id) });
      controller.open();
      sockets.last.accept();
      answer(sockets.last, sent(sockets.last)[0]);

      expect(errors.length).toBe(1);
      expect(errors[0].message).toContain('no correlation key');
      expect(controller.active).toBeFalse();
      expect(sent(sockets.last).map((r) => r.type)).toEqual(['auth']);
    });
  });
});

import { TestBed } from '@angular/core/testing';
import type { WebSocketController } from 'customapp-rxjs-websocket';
import { AuthBeforeSocketError, closeTimeout, injectSocket } from '../public-api';
import { fakeChain, type JsonRequest, type JsonResponse, MAIN_URL, NOTIFICATIONS_URL, serve } from '../spec-support/fake-chain';
import { type FakeSetUp, MANAGER, jwtActions, setUpFake } from '../spec-support/set-up-fake';

describe('reaching one socket', () => {
  let t: FakeSetUp;

  beforeEach(() => {
    t = setUpFake();
  });

  it('injectSocket<Req, Res>(id) gives the controller the service owns under that id', () => {
    const main: WebSocketController<JsonRequest, JsonResponse, unknown> = TestBed.runInInjectionContext(() =>
      injectSocket<JsonRequest, JsonResponse>('main'),
    );
    expect(main).toBe(t.owner.sockets['main']);
  });

  it('injectSocket(config, id) reads the types from the config', () => {
    const config = fakeChain();
    const notifications = TestBed.runInInjectionContext(() => injectSocket(config, 'notifications'));
    // The request type comes from the config: a JsonRequest, checked by the compiler.
    const request: Parameters<typeof notifications.request>[0] = { id: 0, sub: { kind: 'NOTIFICATIONS' } };
    expect(notifications).toBe(t.owner.sockets['notifications']);
    expect(request.sub?.kind).toBe('NOTIFICATIONS');
  });

  it('a socket reached this way carries requests once the sockets are live', async () => {
    const main = TestBed.runInInjectionContext(() => injectSocket<JsonRequest, JsonResponse>('main'));
    t.store.dispatch(jwtActions.login({ credentials: MANAGER }));
    serve(t.server.last(MAIN_URL));
    serve(t.server.last(NOTIFICATIONS_URL));

    const answered = new Promise<JsonResponse>((resolve) => main.request({ id: 0, menuAdd: { name: 'Soups' } }).subscribe(resolve));
    const request = t.server.last(MAIN_URL).sentJson.at(-1) as JsonRequest;
    t.server.last(MAIN_URL).receiveJson({ id: request.id, menuAdd: { category: { id: 'c1', name: 'Soups' } } });

    expect((await answered).menuAdd?.category.name).toBe('Soups');
  });

  it('WebSocketsOwnerService.socket(id) names the known sockets when the id is unknown', () => {
    expect(t.owner.socket('main')).toBe(t.owner.sockets['main']);
    expect(() => t.owner.socket('audit')).toThrowError(AuthBeforeSocketError, /No socket "audit" \(the sockets are "main", "notifications"\)/);
    expect(() => TestBed.runInInjectionContext(() => injectSocket('audit'))).toThrowError(AuthBeforeSocketError);
  });

  it('socketsArray() lists every controller, as 1.2.x did', () => {
    expect(t.owner.socketsArray()).toEqual([t.owner.sockets['main'], t.owner.sockets['notifications']]);
  });

  it('still exports the 1.2.x closeTimeout (10 s), which nothing reads', () => {
    expect(closeTimeout).toBe(10_000);
  });
});

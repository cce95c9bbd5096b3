import { ErrorResponseError, RequestTimeoutError } from 'customapp-rxjs-websocket';
import { config, firstValueFrom, map, Subscription, take } from 'rxjs';
import { answer, createHarness, handshake, sent, TestResponse } from '../spec-helpers/harness';

/** A harness with the handshake done, and the request `type` sent last on its socket. */
function subscribedHarness() {
  const harness = createHarness();
  harness.controller.open();
  handshake(harness.sockets.last);
  const lastSent = (type: string) => sent(harness.sockets.last).filter((r) => r.type === type).pop()!;
  return { ...harness, lastSent };
}

/** Resolves with the next error RxJS reports as unhandled (`config.onUnhandledError`), restoring the hook. */
function nextUnhandledError(): Promise<unknown> {
  const previous = config.onUnhandledError;
  return new Promise((resolve) => {
    config.onUnhandledError = (error) => {
      config.onUnhandledError = previous;
      resolve(error);
    };
  });
}

describe('WebSocketController request() subscriptions, as RxJS subscribers behave', () => {
  it('reports an error thrown by the next handler as unhandled, and still completes the request', async () => {
    const { controller, lastSent, sockets } = subscribedHarness();
    const reported = nextUnhandledError();
    let completed = false;
    controller.request({ id: 0, type: 'list' }).subscribe({
      next: () => {
        throw new Error('render failed');
      },
      complete: () => (completed = true),
    });
    answer(sockets.last, lastSent('list'));
    expect(completed).toBeTrue();
    expect(controller.requestsInFlight).toBe(0);
    expect(((await reported) as Error).message).toBe('render failed');
  });

  it('reports an error response as unhandled when the subscriber has no error handler', async () => {
    const { controller, lastSent, sockets } = subscribedHarness();
    const reported = nextUnhandledError();
    controller.request({ id: 0, type: 'rename' }).subscribe(() => fail('an error response is no response'));
    answer(sockets.last, lastSent('rename'), { error: 'not found' });
    expect(await reported).toBeInstanceOf(ErrorResponseError);
  });

  it('drops the completion when the next handler unsubscribes its own request', () => {
    const { controller, lastSent, sockets } = subscribedHarness();
    let completed = false;
    const subscription: Subscription = controller.request({ id: 0, type: 'list' }).subscribe({
      next: () => subscription.unsubscribe(),
      complete: () => (completed = true),
    });
    answer(sockets.last, lastSent('list'));
    expect(subscription.closed).toBeTrue();
    expect(completed).toBeFalse();
  });

  it('returns a Subscription that closes once the request is answered, and that a parent can hold', () => {
    const { controller, lastSent, sockets } = subscribedHarness();
    const parent = new Subscription();
    const subscription = controller.request({ id: 0, type: 'list' }).subscribe();
    parent.add(subscription);
    expect(subscription).toBeInstanceOf(Subscription);
    expect(subscription.closed).toBeFalse();
    answer(sockets.last, lastSent('list'));
    expect(subscription.closed).toBeTrue();

    controller.request({ id: 0, type: 'list' }).subscribe();
    const second = controller.request({ id: 0, type: 'slow' }).subscribe();
    parent.add(second);
    parent.unsubscribe();
    expect(second.closed).toBeTrue();
    expect(controller.requestsInFlight).toBe(1);
  });

  it('gets its response through operators, and is withdrawn when the subscriber downstream unsubscribes', () => {
    const { controller, lastSent, sockets, scheduler } = subscribedHarness();
    const echoes: unknown[] = [];
    let completed = false;
    controller
      .request({ id: 0, type: 'list' })
      .pipe(
        map((response: TestResponse) => response.echo),
        take(1),
      )
      .subscribe({ next: (echo) => echoes.push(echo), complete: () => (completed = true) });
    answer(sockets.last, lastSent('list'), { echo: 'menu' });
    expect(echoes).toEqual(['menu']);
    expect(completed).toBeTrue();

    const piped = controller
      .request({ id: 0, type: 'slow' })
      .pipe(map((response: TestResponse) => response.echo))
      .subscribe();
    expect(controller.requestsInFlight).toBe(1);
    piped.unsubscribe();
    expect(controller.requestsInFlight).toBe(0);
    expect(scheduler.pending).toBe(0);
  });

  it('resolves firstValueFrom with the response and rejects it with the request error', async () => {
    const { controller, lastSent, sockets, scheduler } = subscribedHarness();
    const response = firstValueFrom(controller.request({ id: 0, type: 'list' }));
    answer(sockets.last, lastSent('list'), { echo: 'menu' });
    expect((await response).echo).toBe('menu');

    const timedOut = firstValueFrom(controller.request({ id: 0, type: 'slow' })).then(
      () => undefined,
      (error: unknown) => error,
    );
    scheduler.advance(5000);
    expect(await timedOut).toBeInstanceOf(RequestTimeoutError);
  });

  it('takes the separate next, error and complete callbacks', () => {
    const { controller, lastSent, sockets } = subscribedHarness();
    const seen: string[] = [];
    controller.request({ id: 0, type: 'list' }).subscribe(
      () => seen.push('next'),
      () => seen.push('error'),
      () => seen.push('complete'),
    );
    answer(sockets.last, lastSent('list'));
    controller.request({ id: 0, type: 'rename' }).subscribe(
      () => seen.push('next'),
      (error: unknown) => seen.push(error instanceof ErrorResponseError ? 'error' : 'another error'),
    );
    answer(sockets.last, lastSent('rename'), { error: 'not found' });
    expect(seen).toEqual(['next', 'complete', 'error']);
  });
});

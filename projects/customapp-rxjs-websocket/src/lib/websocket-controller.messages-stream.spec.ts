import { config, filter, map, Subscription } from 'rxjs';
import { createHarness, handshake, TestResponse } from '../spec-helpers/harness';

/** A harness with the handshake done; `push(n)` delivers the push `{ id: 0, push: n }`. */
function subscribedHarness() {
  const harness = createHarness();
  harness.controller.open();
  handshake(harness.sockets.last);
  const push = (n: number) => harness.sockets.last.receiveJson({ id: 0, push: n });
  return { ...harness, push };
}

describe('WebSocketController messages$, as a Subject of pushes behaves', () => {
  it('hands each push to every subscriber in the order they subscribed, piped or not', () => {
    const { controller, push } = subscribedHarness();
    const seen: string[] = [];
    controller.messages$.subscribe((m) => seen.push(`a${m.push}`));
    controller.messages$.pipe(map((m: TestResponse) => m.push)).subscribe((n) => seen.push(`b${n}`));
    controller.messages$.subscribe({ next: (m) => seen.push(`c${m.push}`) });
    push(1);
    push(2);
    expect(seen).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'c2']);
  });

  it('gives a push neither to a subscriber that came while it was handed out nor to one that left', () => {
    const { controller, push } = subscribedHarness();
    const seen: string[] = [];
    let late: Subscription | undefined;
    let second: Subscription | undefined;
    controller.messages$.subscribe((m) => {
      seen.push(`first${m.push}`);
      late ??= controller.messages$.subscribe((n) => seen.push(`late${n.push}`));
      second?.unsubscribe();
    });
    second = controller.messages$.subscribe((m) => seen.push(`second${m.push}`));
    push(1);
    push(2);
    expect(seen).toEqual(['first1', 'first2', 'late2']);
  });

  it('stops handing pushes to a subscription once it unsubscribed, piped or not', () => {
    const { controller, push } = subscribedHarness();
    const seen: unknown[] = [];
    const direct = controller.messages$.subscribe((m) => seen.push(m.push));
    const piped = controller.messages$.pipe(filter((m: TestResponse) => m.push !== undefined)).subscribe((m) => seen.push(m.push));
    push(1);
    direct.unsubscribe();
    piped.unsubscribe();
    push(2);
    expect(seen).toEqual([1, 1]);
    expect(direct.closed && piped.closed).toBeTrue();
  });

  it('reports a subscriber that throws as unhandled, and still hands the push to the others', async () => {
    const { controller, push } = subscribedHarness();
    const previous = config.onUnhandledError;
    const reported = new Promise<unknown>((resolve) => {
      config.onUnhandledError = (error) => {
        config.onUnhandledError = previous;
        resolve(error);
      };
    });
    const seen: unknown[] = [];
    controller.messages$.subscribe(() => {
      throw new Error('render failed');
    });
    controller.messages$.subscribe((m) => seen.push(m.push));
    push(1);
    expect(seen).toEqual([1]);
    expect(((await reported) as Error).message).toBe('render failed');
  });
});

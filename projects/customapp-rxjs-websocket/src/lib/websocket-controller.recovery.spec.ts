import { of } from 'rxjs';
import { FakeWebSocket } from 'customapp-rxjs-websocket/testing';
import { RecoveryReport, SocketState } from 'customapp-rxjs-websocket';
import { answer, createHarness, Harness, sent, TestConfig, TestRequest, TestResponse } from '../spec-helpers/harness';

/**
 * The test protocol's recovery: a push is `{push: {stream, seq}}`, a subscription answer may echo
 * `{stream, seq, recovery, replayed}`, a resumed request carries `payload: {since}`.
 */
interface Echo {
  stream: string;
  seq: number;
  recovery?: 'RECOVERED' | 'RESYNC' | 'NONE';
  replayed?: number;
}

const recovery: TestConfig['recovery'] = {
  position: (message: TestResponse) => {
    const at = (message.push ?? message.echo) as Echo | undefined;
    return at && typeof at.seq === 'number' ? { stream: at.stream, position: at.seq } : undefined;
  },
  stream: (request: TestRequest) => request.kind,
  resume: (request: TestRequest, since: number) => ({ ...request, payload: { since } }),
  outcome: (response: TestResponse) => {
    const echo = response.echo as Echo | undefined;
    return echo?.recovery === 'RECOVERED' ? 'recovered' : echo?.recovery === 'RESYNC' ? 'resynced' : undefined;
  },
  replayed: (response: TestResponse) => (response.echo as Echo | undefined)?.replayed ?? 0,
};

const subs = (ws: FakeWebSocket) => sent(ws).filter((frame) => frame.type === 'sub');

/** Accepts the socket and its auth, and answers each subscription with what `echo` says for its kind. */
function serve(ws: FakeWebSocket, echo: (request: TestRequest) => Echo): void {
  ws.accept();
  answer(ws, sent(ws)[0]);
  for (const request of subs(ws)) answer(ws, request, { ok: true, echo: echo(request) });
}

const push = (ws: FakeWebSocket, stream: string, seq: number) => ws.receiveJson({ id: 0, push: { stream, seq } });

/** Drops the socket and lets the reconnect start. */
function reconnect({ sockets, scheduler }: Harness): FakeWebSocket {
  sockets.last.drop();
  scheduler.advance(60_000);
  return sockets.last;
}

describe('WebSocketController recovery', () => {
  it('resumes each subscription from the last push seen and reports how many pushes the server replays', () => {
    const harness = createHarness({ recovery });
    const { controller, sockets } = harness;
    const reports: RecoveryReport[] = [];
    const order: string[] = [];
    controller.recovered$.subscribe((report) => {
      reports.push(report);
      order.push(`recovered:${controller.state}`);
    });
    controller.subscribed$.subscribe(() => order.push('subscribed'));
    controller.open();
    serve(sockets.last, (request) => ({ stream: request.kind!, seq: 0, recovery: 'NONE' }));
    expect(subs(sockets.last).map((request) => request.payload)).toEqual([undefined, undefined]);
    push(sockets.last, 'categories', 1);
    push(sockets.last, 'categories', 2);
    push(sockets.last, 'notifications', 7);

    const second = reconnect(harness);
    serve(second, (request) =>
      request.kind === 'categories'
        ? { stream: 'categories', seq: 5, recovery: 'RECOVERED', replayed: 3 }
        : { stream: 'notifications', seq: 7, recovery: 'RECOVERED', replayed: 0 },
    );

    expect(subs(second).map((request) => [request.kind, request.payload])).toEqual([
      ['categories', { since: 2 }],
      ['notifications', { since: 7 }],
    ]);
    expect(reports).toEqual([
      {
        outcome: 'recovered',
        replayed: 3,
        streams: [
          { stream: 'categories', outcome: 'recovered', replayed: 3 },
          { stream: 'notifications', outcome: 'recovered', replayed: 0 },
        ],
        connection: 2,
      },
    ]);
    expect(controller.recovery).toEqual(reports[0]);
    expect(order).toEqual(['subscribed', 'recovered:authorized', 'subscribed']);
  });

  it('resumes from the position of the last subscription answer when no push came since', () => {
    const harness = createHarness({ recovery });
    harness.controller.open();
    serve(harness.sockets.last, (request) => ({ stream: request.kind!, seq: 41, recovery: 'NONE' }));

    const second = reconnect(harness);
    second.accept();
    answer(second, sent(second)[0]);
    expect(subs(second).map((request) => request.payload)).toEqual([{ since: 41 }, { since: 41 }]);
  });

  it('resumes from the last replayed push when the socket drops in the middle of a replay', () => {
    const harness = createHarness({ recovery, subscribe: { createRequests: () => of([{ id: 0, type: 'sub', kind: 'categories' }]) } });
    harness.controller.open();
    serve(harness.sockets.last, () => ({ stream: 'categories', seq: 10, recovery: 'NONE' }));
    const second = reconnect(harness);
    serve(second, () => ({ stream: 'categories', seq: 20, recovery: 'RECOVERED', replayed: 10 }));
    push(second, 'categories', 11);
    push(second, 'categories', 12);

    const third = reconnect(harness);
    third.accept();
    answer(third, sent(third)[0]);
    expect(subs(third)[0].payload).toEqual({ since: 12 });
  });

  it('reports a resync when any stream could not be recovered, and an answer that ignored the position as one', () => {
    const harness = createHarness({ recovery });
    harness.controller.open();
    serve(harness.sockets.last, (request) => ({ stream: request.kind!, seq: 3, recovery: 'NONE' }));
    const second = reconnect(harness);
    serve(second, (request) =>
      request.kind === 'categories' ? { stream: 'categories', seq: 0, recovery: 'RESYNC' } : { stream: 'notifications', seq: 9 },
    );

    expect(harness.controller.recovery).toEqual({
      outcome: 'resynced',
      replayed: 0,
      streams: [
        { stream: 'categories', outcome: 'resynced', replayed: 0 },
        { stream: 'notifications', outcome: 'resynced', replayed: 0 },
      ],
      connection: 2,
    });
    // The resync's position is the one to resume from next time.
    const third = reconnect(harness);
    third.accept();
    answer(third, sent(third)[0]);
    expect(subs(third).map((request) => request.payload)).toEqual([{ since: 0 }, { since: 9 }]);
  });

  it('starts afresh after close() and open(): positions belong to one open()', () => {
    const harness = createHarness({ recovery });
    const { controller, sockets } = harness;
    controller.open();
    serve(sockets.last, (request) => ({ stream: request.kind!, seq: 4, recovery: 'NONE' }));
    controller.close();
    sockets.last.acknowledgeClose();

    controller.open();
    sockets.last.accept();
    answer(sockets.last, sent(sockets.last)[0]);
    expect(subs(sockets.last).map((request) => request.payload)).toEqual([undefined, undefined]);
    expect(controller.recovery).toBeUndefined();
  });

  it('resumes a live subscription on a reconnect, and forgets its position once it is removed', () => {
    const harness = createHarness({ recovery, subscribe: undefined });
    const { controller, sockets } = harness;
    controller.open();
    serve(sockets.last, () => ({ stream: 'none', seq: 0 }));
    const audit = controller.subscription({ id: 0, type: 'sub', kind: 'audit' }).subscribe();
    answer(sockets.last, subs(sockets.last)[0], { ok: true, echo: { stream: 'audit', seq: 1, recovery: 'NONE' } });
    push(sockets.last, 'audit', 2);

    const second = reconnect(harness);
    serve(second, () => ({ stream: 'audit', seq: 2, recovery: 'RECOVERED', replayed: 0 }));
    expect(subs(second)[0].payload).toEqual({ since: 2 });
    expect(controller.recovery?.outcome).toBe('recovered');

    audit.unsubscribe();
    controller.subscription({ id: 0, type: 'sub', kind: 'audit' }).subscribe();
    const third = reconnect(harness);
    third.accept();
    answer(third, sent(third)[0]);
    expect(subs(third)[0].payload).toBeUndefined();
    expect(controller.state).toBe(SocketState.authorized);
  });

  it('sends a live subscription added on an open socket as it is', () => {
    const harness = createHarness({ recovery });
    const { controller, sockets } = harness;
    controller.open();
    serve(sockets.last, (request) => ({ stream: request.kind!, seq: 5, recovery: 'NONE' }));
    controller.subscription({ id: 0, type: 'sub', kind: 'categories' }).subscribe();
    expect(subs(sockets.last).at(-1)?.payload).toBeUndefined();
  });
});

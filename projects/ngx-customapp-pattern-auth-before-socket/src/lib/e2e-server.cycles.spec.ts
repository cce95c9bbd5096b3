// 200 login → logout cycles against the e2e-server leave nothing behind: no open socket on the server,
// no timer on the sockets' scheduler, no listener on the store's action stream, nothing in flight.
import { type Action } from '@ngrx/store';
import { closeSocketsFinished, loginAndInitSocketsErrored, loginAndInitSocketsSucceed } from '../public-api';
import { CountingScheduler } from '../spec-support/counting-scheduler';
import { authActions, control, e2eChain, type E2eSetUp, setUpE2e, type ServerStats, stats } from '../spec-support/e2e-server';
import { next } from '../spec-support/waiting';

const CYCLES = 200;

describe('many login → logout cycles against the e2e-server', () => {
  let t: E2eSetUp;
  let scheduler: CountingScheduler;

  beforeEach(async () => {
    await control('reset');
    scheduler = new CountingScheduler();
    t = setUpE2e(e2eChain({ scheduler }));
  });

  async function settled(): Promise<ServerStats> {
    const deadline = Date.now() + 3000;
    let counted = await stats();
    while ((counted.sockets > 0 || counted.sessions > 0) && Date.now() < deadline) counted = await stats();
    return counted;
  }

  it(`leaves no open socket, no live subscription and no timer after ${CYCLES} cycles`, async () => {
    const baseline = t.actionListeners();
    const started = performance.now();

    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const loggedIn = next<Action>(t.actions$, (a) => a.type === loginAndInitSocketsSucceed.type || a.type === loginAndInitSocketsErrored.type);
      t.store.dispatch(authActions.login({ credentials: { login: 'manager', password: 'manager-pass' } }));
      const outcome = await loggedIn;
      if (outcome.type !== loginAndInitSocketsSucceed.type) fail(`cycle ${cycle}: ${(outcome as Action & { error: string }).error}`);
      const closed = next(t.actions$, (a) => a.type === closeSocketsFinished.type);
      t.store.dispatch(authActions.logout());
      await closed;
    }

    const counted = await settled();
    expect(counted).toEqual({ sockets: 0, authorized: 0, subscriptions: 0, blackholed: 0, sessions: 0, failNextAuthArmed: false });
    expect(scheduler.pending).toBe(0);
    expect(scheduler.scheduled).toBeGreaterThan(0);
    expect(t.actionListeners()).toBe(baseline);
    for (const [socketId, controller] of Object.entries(t.owner.sockets)) {
      expect(controller.active).withContext(socketId).toBeFalse();
      expect(controller.requestsInFlight).withContext(socketId).toBe(0);
      expect(controller.bufferedMessages).withContext(socketId).toBe(0);
    }
    expect(t.dispatched.filter((a) => a.type === loginAndInitSocketsSucceed.type).length).toBe(CYCLES);
    // Reported for the record: the whole run should stay well under the suite's budget.
    expect(performance.now() - started).toBeLessThan(60_000);
  }, 90_000);
});

// A property-based suite (fast-check's commands API) over fake sockets and virtual time: random
// sequences of what an app does (open, close, requests with and without their own timeout, sends,
// live subscriptions, unsubscribing, reactions run from inside the controller's calls: a follow-up
// request, close() on a response or on reaching a state, open() again once stopped) and what a server
// does (accept, answer the auth, the subscriptions and the requests in any order, error responses,
// pushes, unreadable frames, closes with every kind of code, drops), with time passing in between.
// After every step, and at rest (closed, time past every timeout), the invariants of
// spec-helpers/controller-invariants.ts and the outcomes each step expects must hold. The seed is
// fixed: every run walks the same sequences, and a failure names its seed, path and shrunk sequence
// (replay one with `runSequence` in websocket-controller.properties.regressions.spec.ts).
import * as fc from 'fast-check';
import { firstInterval, newCoverage, runSequence, stepArbitraries } from '../spec-helpers/controller-model';

const SEED = 20_261_126;
const RUNS = 1000;
const MAX_STEPS = 100;

describe('WebSocketController, property-based', () => {
  it(`keeps its contract over ${RUNS} random sequences of app calls, server frames, closes and time`, () => {
    const coverage = newCoverage();
    fc.assert(
      fc.property(firstInterval, fc.commands(stepArbitraries, { maxCommands: MAX_STEPS, size: 'max' }), (interval, steps) =>
        runSequence(interval, steps, coverage),
      ),
      { seed: SEED, numRuns: RUNS },
    );

    // The sequences got where the invariants have something to say.
    expect(coverage.sequences).toBeGreaterThanOrEqual(RUNS);
    const often = ['authorized', 'subscribed', 'live subscription accepted', 'request answered', 'request refused', 'reconnect'];
    for (const reached of often) expect(coverage.reached[reached] ?? 0).withContext(reached).toBeGreaterThan(RUNS / 10);
    const rarer = [
      'token renewal refused',
      'reaction: follow-up',
      'reaction: withdraw another',
      'reaction: close on answer',
      'reaction: close when subscribed',
      'reaction: reopen when stopped',
    ];
    for (const reached of rarer) expect(coverage.reached[reached] ?? 0).withContext(reached).toBeGreaterThan(RUNS / 100);
  });
});

// A property of JwtService: over random sequences of what an app and a server do — logins (right and
// wrong passwords), login again (with and without credentials), login-as, the three logouts,
// freshJwt in its four forms, requests through jwtInterceptor, the clock moving past the refresh
// point, the expiry or the refresh token's expiry, and the server answering any open call in any
// order with success, a token-less answer, 401 (expired or revoked), 403, 429 or 500, or not yet —
// the service keeps what the README promises. After every step (spec-support/session-run.ts):
// - single flight: one refresh call at most on its way for a session;
// - every call belongs to the session it was made in: a logout ends that session and never another
//   (nor sends another's token); a login, login again with credentials or login-as answered while a
//   logout is on its way applies after it, and a login-as whose session was replaced fails;
// - a session carries its own tokens: the newest the server gave it (a refresh's answer is kept, for
//   the master too), never another session's; calls carry a token that has not expired;
// - the storage holds what the service holds, and the service what the model holds
//   (user(), accessToken, the refresh token, stashedUsers, loginAsDepth);
// - every call of the service settles once, as the README says it settles; once every call has
//   been answered nothing is left waiting, and HttpTestingController has nothing open.
//
// Everything is synchronous: the clock is ManualJwtClock and the server answers only when a step says so.
import { TestBed } from '@angular/core/testing';
import * as fc from 'fast-check';
import type { Tally } from '../spec-support/session-calls';
import type { KnownDefect } from '../spec-support/session-contract';
import { SETTINGS, STEPS, runSteps } from '../spec-support/session-steps';

const SEED = 20_260_611;
/** About 90,000 steps, 6 to 7 s. */
const RUNS = 5000;

/** The defects this property found and the library still has, each a pending spec in jwt.service.properties.regressions.spec.ts. */
const KNOWN_DEFECTS = new Set<KnownDefect>([]);

/** What the runs must have met at least this often, or the steps no longer reach the races the property is for. */
const REACHED: Readonly<Record<string, number>> = {
  'login answered during a logout': 100,
  'login again with answered during a logout': 100,
  'login as answered during a logout': 100,
  'login-as at depth 2': 50,
  'refresh beside other calls': 300,
  'refresh failed': 30,
  'session expired': 40,
  'logout failed for want of a token': 30,
  'login as failed for want of a token': 50,
};

describe('JwtService, property-based', () => {
  afterEach(() => TestBed.resetTestingModule());

  it(`keeps its promises over ${RUNS} random sequences of app calls, server answers and clock moves`, () => {
    const tally: Tally = {};
    const started = performance.now();
    try {
      fc.assert(
        fc.property(SETTINGS, fc.commands(STEPS, { maxCommands: 40, size: 'max' }), (settings, steps) =>
          runSteps(settings, steps, { known: KNOWN_DEFECTS, tally }),
        ),
        { seed: SEED, numRuns: RUNS },
      );
    } finally {
      const lines = Object.entries(tally)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([what, n]) => `  ${what}: ${n}`);
      console.log(`JwtService property, seed ${SEED}: ${((performance.now() - started) / 1000).toFixed(1)} s\n${lines.join('\n')}`);
    }
    expect(tally['sequences']).toBe(RUNS);
    for (const [what, least] of Object.entries(REACHED)) expect(tally[what] ?? 0).withContext(what).toBeGreaterThanOrEqual(least);
  }, 120_000);
});

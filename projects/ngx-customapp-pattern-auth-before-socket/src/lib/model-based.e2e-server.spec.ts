// A model-based suite (fast-check's commands API) against the real e2e-server through the real
// packages: sequences of logins (right and wrong passwords), login again, login as and back, logouts,
// a logout from every device made by another session, menu edits, and the server's faults (drops of
// one socket or all, restarts, refused reconnects, blackholed sockets, expired tokens, revoked
// sessions, a refused auth). After every step and at rest the invariants of
// spec-support/model-invariants.ts must hold, and the app must be signed in as the model says.
//
// `npm test` runs a fixed seed; `npm run chaos` runs 1,000 sequences from a random seed and prints it
// (re-run one with `npm run chaos -- --seed=N`).
import * as fc from 'fast-check';
import { commandArbitraries, newReport, type RunReport } from '../spec-support/model-commands';
import { checked } from '../spec-support/model-invariants';
import { runSequence } from '../spec-support/model-run';
import { modelBasedSettings } from '../spec-support/model-settings';

const settings = modelBasedSettings();
/** Long enough for the slowest sequences, and for shrinking a failure after them. */
const SPEC_TIMEOUT_MS = Math.max(30 * 60_000, settings.runs * 20_000);
/** Karma gives up on a browser silent for two minutes (browserNoActivityTimeout): a progress line at least every minute. */
const PROGRESS_EVERY_MS = 60_000;

function summary(report: RunReport, started: number): string {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const list = (counts: Record<string, number>) =>
    Object.entries(counts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, count]) => `${name} ${count}`)
      .join(', ');
  return [
    `model-based: ${report.sequences} sequences (seed ${settings.seed}), ${report.steps} steps in ${seconds} s`,
    `  steps: ${list(report.commands)}`,
    `  faults: ${list(report.faults)}`,
    `  of which on live sockets: ${list(report.faultsOnLiveSockets)}`,
    `  invariant checks: ${list(checked)}; menu compared with the server ${report.menuChecks} times`,
  ].join('\n');
}

describe('the package against the e2e-server, model-based', () => {
  it(`keeps every invariant over ${settings.runs} sequences of logins, faults and edits`, async () => {
    const report = newReport();
    // The counts are this spec's own, whatever other specs checked before it.
    for (const name of Object.keys(checked)) delete checked[name];
    const started = performance.now();
    let loggedAt = started;
    const progress = () => {
      loggedAt = performance.now();
      console.log(`model-based: ${report.sequences} sequences, ${report.steps} steps, ${((loggedAt - started) / 1000).toFixed(0)} s`);
    };
    // However long a sequence (or the shrinking of a failure) takes, karma hears from the browser.
    const keepAlive = setInterval(() => performance.now() - loggedAt >= PROGRESS_EVERY_MS && progress(), PROGRESS_EVERY_MS / 4);
    console.log(`model-based: ${settings.runs} sequences of up to ${settings.maxCommands} steps, seed ${settings.seed}${settings.chaos ? ' (chaos)' : ''}`);

    await fc.assert(
      fc.asyncProperty(fc.commands(commandArbitraries, { maxCommands: settings.maxCommands, size: 'max' }), async (commands) => {
        await runSequence(commands, report);
        if (report.sequences % 10 === 0) progress();
      }),
      { numRuns: settings.runs, seed: settings.seed },
    ).finally(() => {
      clearInterval(keepAlive);
      console.log(summary(report, started));
    });
    expect(report.sequences).toBeGreaterThanOrEqual(settings.runs);
  }, SPEC_TIMEOUT_MS);
});

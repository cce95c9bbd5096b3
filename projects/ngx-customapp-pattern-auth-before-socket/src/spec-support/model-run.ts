// One sequence of the model-based spec, from a reset server to the signed-out app with nothing left:
// what the property runs for every generated sequence, and the regression specs for the shrunk ones.
import * as fc from 'fast-check';
import { authActions, control } from './e2e-server';
import { initialModel, type Model } from './model';
import { settle, setUpModelApp } from './model-app';
import { checkInvariants, newReport, type Real, type RunReport } from './model-commands';
import { InvariantViolation, nothingLeftAfterLogout } from './model-invariants';

/** The end of every sequence: settled, every invariant once more, then signed out with nothing left. */
export async function atRest(m: Model, r: Real): Promise<void> {
  const { app } = r;
  await settle(app);
  await checkInvariants(r, true);
  for (let level = 0; app.jwt.isLoggedIn && level < 8; level++) {
    const outcome = app.nextAction([authActions.logoutSucceed.type, authActions.logoutErrored.type]);
    app.store.dispatch(authActions.logout());
    await outcome;
    await settle(app);
  }
  if (app.jwt.isLoggedIn) throw new InvariantViolation('nothingLeftAfterLogout', `still signed in as ${app.signedIn().user} after logging out`);
  await checkInvariants(r, true);
  await nothingLeftAfterLogout(app, m.blackholeEndsBy);
}

/** Runs one sequence against a reset server and a fresh app; throws at the first invariant that fails. */
export async function runSequence(commands: Iterable<fc.AsyncCommand<Model, Real>>, report: RunReport = newReport()): Promise<void> {
  await control('reset');
  const real: Real = { app: setUpModelApp(), report };
  const model = initialModel();
  report.sequences += 1;
  await fc.asyncModelRun(() => ({ model, real }), commands);
  await atRest(model, real);
}

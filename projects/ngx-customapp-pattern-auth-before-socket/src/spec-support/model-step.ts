// What every step of the model-based spec shares: what a sequence runs against and the tallies of
// the run, how a step waits for what it started, and what it checks once the app has settled: that
// the app ended where the model says it may, then every invariant.
import type { Action } from '@ngrx/store';
import {
  loginAgainAndInitSocketsErrored,
  loginAgainAndInitSocketsSucceed,
  loginAndInitSocketsErrored,
  loginAndInitSocketsSucceed,
  loginAsAndInitSocketsErrored,
  loginAsAndInitSocketsSucceed,
} from '../public-api';
import { control, stats } from './e2e-server';
import type { RecordedConnection } from './frame-recorder';
import { adopt, describe, type Identity, type Model } from './model';
import { type ModelApp, MODEL_HEARTBEAT, MODEL_REQUEST_TIMEOUT, settle, SOCKET_IDS, SOCKET_PATHS } from './model-app';
import {
  eachLoginAttemptEndsInOneComposite,
  everyRequestSettlesOnceInTime,
  InvariantViolation,
  noFrameCarriesStaleToken,
  noSocketOpenWhileLoggedOut,
  storeMenuEqualsServer,
} from './model-invariants';
import { until } from './waiting';

export interface Real {
  readonly app: ModelApp;
  readonly report: RunReport;
  /** The end of the last blackhole the steps have waited out (see `blackholeOver`). */
  blackholeWaitedOutTo?: number;
}

export interface RunReport {
  sequences: number;
  steps: number;
  readonly commands: Record<string, number>;
  /** Faults injected, by kind. */
  readonly faults: Record<string, number>;
  /** Of those, the ones injected while the app's sockets were live. */
  readonly faultsOnLiveSockets: Record<string, number>;
  menuChecks: number;
}

export function newReport(): RunReport {
  return { sequences: 0, steps: 0, commands: {}, faults: {}, faultsOnLiveSockets: {}, menuChecks: 0 };
}

export function tally(counts: Record<string, number>, name: string): void {
  counts[name] = (counts[name] ?? 0) + 1;
}

/** Counts a fault by kind, and apart when it meets live sockets. */
export function tallyFault(r: Real, name: string): void {
  tally(r.report.faults, name);
  if (SOCKET_IDS.every((id) => r.app.status(id) === 'live')) tally(r.report.faultsOnLiveSockets, name);
}

/** Wrong passwords a sequence may send: the server throttles a login after five within a minute. */
export const MAX_WRONG_PASSWORDS = 3;
/** How long a fault may take to reach the client (a heartbeat finds a blackhole within interval + timeout). */
export const FAULT_REACHES_CLIENT_MS = MODEL_HEARTBEAT.interval + MODEL_HEARTBEAT.timeout + MODEL_REQUEST_TIMEOUT + 2000;

export type Composite = 'login' | 'login again' | 'login as';
export const COMPOSITES: Readonly<Record<Composite, { succeed: string; errored: string }>> = {
  login: { succeed: loginAndInitSocketsSucceed.type, errored: loginAndInitSocketsErrored.type },
  'login again': { succeed: loginAgainAndInitSocketsSucceed.type, errored: loginAgainAndInitSocketsErrored.type },
  'login as': { succeed: loginAsAndInitSocketsSucceed.type, errored: loginAsAndInitSocketsErrored.type },
};

/**
 * After a step: the app settles, ends at one of the identities the model expects (which becomes the
 * model), its sockets follow the session, and every invariant holds.
 */
export async function afterStep(m: Model, r: Real, expected: readonly Identity[]): Promise<void> {
  r.report.steps += 1;
  await settle(r.app);
  if (await blackholeOver(m, r)) await settle(r.app);
  const signedIn = r.app.signedIn();
  if (!adopt(m, expected, signedIn)) {
    throw new InvariantViolation(
      'signedInAsTheModelSays',
      `signed in as "${describe(signedIn)}", expected ${expected.map((identity) => `"${describe(identity)}"`).join(' or ')}`,
    );
  }
  // Whether an armed refusal was spent is the server's to say: the model predicts who meets it, but
  // a session that can only end (revoked, then its tokens expired) signs out at the failed refresh
  // and never sends the auth the model counted on.
  m.failNextAuth = (await stats()).failNextAuthArmed;
  await checkInvariants(r, false);
}

/**
 * A blackhole may hold sockets the step did not wait for: during a race, the new identity's sockets
 * can open before the fault lands and be held after their auth was answered. Such a socket looks live
 * until its heartbeat gives up or the blackhole ends, and its reconnect would then meet the next
 * steps' faults (a failNextAuth meant for a login, say). So once a blackhole was set, the step waits
 * for its end, then until every open socket has either closed or received a frame since (the
 * heartbeat answers every socket the server still serves within its interval; a held one gets nothing
 * and is dropped). Says whether it waited, so that the app settles again after the reconnects.
 */
async function blackholeOver(m: Model, r: Real): Promise<boolean> {
  const end = m.blackholeEndsBy;
  if (end <= (r.blackholeWaitedOutTo ?? 0)) return false;
  r.blackholeWaitedOutTo = end;
  await until(() => performance.now() > end, 'the blackhole to end', end - performance.now() + 1000);
  await until(
    () => r.app.recorder.openConnections().every((c) => (c.lastReceivedAt ?? 0) > end),
    'every socket the blackhole held to be dropped, and the others to answer',
    FAULT_REACHES_CLIENT_MS,
  );
  return true;
}

/** Every invariant of a settled app. */
export async function checkInvariants(r: Real, atRest: boolean): Promise<void> {
  const { app } = r;
  socketsFollowTheSession(app);
  await noSocketOpenWhileLoggedOut(app);
  noFrameCarriesStaleToken(app);
  everyRequestSettlesOnceInTime(app, true);
  eachLoginAttemptEndsInOneComposite(app.dispatched);
  if ((await storeMenuEqualsServer(app)) === 'checked') r.report.menuChecks += 1;
  else if (atRest && app.jwt.isLoggedIn) throw new InvariantViolation('storeMenuEqualsServer', 'signed in at rest, but the sockets are not live');
}

/** Settled and signed in: every socket live; signed out: every socket closed. */
export function socketsFollowTheSession(app: ModelApp): void {
  const want = app.jwt.isLoggedIn ? 'live' : 'closed';
  const statuses = SOCKET_IDS.map((id) => `${id} ${app.status(id)}`).join(', ');
  if (!SOCKET_IDS.every((id) => app.status(id) === want)) {
    throw new InvariantViolation('socketsFollowTheSession', `${app.jwt.isLoggedIn ? 'signed in' : 'signed out'} and settled, but ${statuses}`);
  }
}

/** Dispatches a login of some kind, waits for its composite outcome and says whether it succeeded. */
export async function attempt(r: Real, kind: Composite, action: Action, succeed: boolean | 'either'): Promise<boolean> {
  const { succeed: ok, errored } = COMPOSITES[kind];
  const outcome = r.app.nextAction([ok, errored]);
  r.app.store.dispatch(action);
  const result = (await outcome) as Action & { error?: string };
  if (succeed !== 'either' && (result.type === ok) !== succeed) {
    throw new InvariantViolation(
      'compositeAsTheModelSays',
      `${kind} ended in ${result.type}${result.error ? ` (${result.error})` : ''}, expected it to ${succeed ? 'succeed' : 'fail'}`,
    );
  }
  return result.type === ok;
}

/** The connections the client has open now on these paths. */
export function openOn(r: Real, paths: readonly string[]): RecordedConnection[] {
  return r.app.recorder.openConnections().filter((c) => paths.includes(c.path));
}

/** Waits until each of `connections` was closed, by the server or by the client, as a fault makes it. */
export async function untilClosed(connections: readonly RecordedConnection[], what: string): Promise<void> {
  await until(
    () => connections.every((c) => c.closedAt !== undefined || c.closeCalledAt !== undefined),
    `the client to notice ${what}`,
    FAULT_REACHES_CLIENT_MS,
  );
}

/** Waits until the connections the client had open on these paths were closed, by the server or by the client. */
export function untilClientNotices(r: Real, paths: readonly string[], what: string): Promise<void> {
  return untilClosed(openOn(r, paths), what);
}

/** Sets a blackhole on the server (on `path` only, when given), and when it will have ended at the latest. */
export async function blackhole(m: Model, ms: number, path?: string): Promise<void> {
  m.blackholeEndsBy = Math.max(m.blackholeEndsBy, performance.now() + ms);
  await control(`blackhole?ms=${ms}${path ? `&path=${path}` : ''}`);
}

export const ALL_PATHS: readonly string[] = Object.values(SOCKET_PATHS);
export const NO_CHANGE = (m: Model): Identity[] => [{ current: m.current, stack: m.stack }];

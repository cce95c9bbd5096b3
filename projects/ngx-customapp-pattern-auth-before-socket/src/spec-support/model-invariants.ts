// What must hold after every step of the model-based spec and at rest, one named function each. A
// function throws an InvariantViolation naming itself and what it saw; `checked` counts the checks.
import type { Action } from '@ngrx/store';
import { WebSocketControllerError } from 'customapp-rxjs-websocket';
import {
  loginAgainAndInitSocketsErrored,
  loginAgainAndInitSocketsSucceed,
  loginAndInitSocketsErrored,
  loginAndInitSocketsSucceed,
  loginAsAndInitSocketsErrored,
  loginAsAndInitSocketsSucceed,
} from '../public-api';
import { authActions, type Req, type Res, type ServerStats, stats } from './e2e-server';
import type { RecordedConnection } from './frame-recorder';
import { type Category, toCategory } from './menu-feature';
import { MODEL_REQUEST_TIMEOUT, type ModelApp, SOCKET_IDS } from './model-app';
import { until } from './waiting';

export class InvariantViolation extends Error {
  constructor(
    readonly invariant: string,
    detail: string,
  ) {
    super(`${invariant}: ${detail}`);
    this.name = 'InvariantViolation';
  }
}

/** How many times each invariant was checked, over the whole run. */
export const checked: Record<string, number> = {};

function check(invariant: string, holds: boolean, detail: () => string): void {
  checked[invariant] = (checked[invariant] ?? 0) + 1;
  if (!holds) throw new InvariantViolation(invariant, detail());
}

/** Timers fire late on a busy machine: how much later than its timeout a request may still settle. */
const TIMER_SLACK_MS = 750;
/** How long the server may take to see a close the client made. */
const SERVER_CLOSE_MS = 3000;

/**
 * Logged out: no socket is open on the client (every status closed, every controller inactive, no
 * WebSocket the package still holds open) nor on the server (`/__control/stats`; sockets a blackhole
 * still holds are the fault's, not the client's).
 */
export async function noSocketOpenWhileLoggedOut(app: ModelApp): Promise<void> {
  if (app.jwt.isLoggedIn) return;
  const statuses = SOCKET_IDS.map((id) => `${id} ${app.status(id)}`);
  check('noSocketOpenWhileLoggedOut', SOCKET_IDS.every((id) => app.status(id) === 'closed'), () => `statuses ${statuses.join(', ')}`);
  const active = Object.entries(app.owner.sockets).filter(([, controller]) => controller.active);
  check('noSocketOpenWhileLoggedOut', active.length === 0, () => `controllers still active: ${active.map(([id]) => id).join(', ')}`);
  // A socket still connecting when it was let go is closed as soon as it opens: give it that long.
  await until(() => app.recorder.openConnections().length === 0, 'no WebSocket to be open', SERVER_CLOSE_MS).catch(() => undefined);
  const open = app.recorder.openConnections();
  check('noSocketOpenWhileLoggedOut', open.length === 0, () => `WebSockets still open: ${open.map(describeConnection).join(', ')}`);
  const counted = await serverStatsOnceTrue((c) => c.sockets - c.blackholed === 0, SERVER_CLOSE_MS);
  check('noSocketOpenWhileLoggedOut', counted.sockets - counted.blackholed === 0, () => `the server counts ${JSON.stringify(counted)}`);
}

/** No auth or reauth frame ever carried a token of an identity other than the one current when it was sent. */
export function noFrameCarriesStaleToken(app: ModelApp): void {
  const stale = app.recorder.staleTokens;
  check('noFrameCarriesStaleToken', stale.length === 0, () =>
    stale
      .map(({ frame, carried, current }) => {
        const kind = frame.request.auth ? 'auth' : 'reauth';
        return `${kind} on #${frame.connection.number} ${frame.connection.path} carried ${JSON.stringify(carried)} while the current identity was ${JSON.stringify(current)}`;
      })
      .join('; '),
  );
}

/**
 * Every request of the app is answered exactly once (one response, then completion) or fails once
 * with a typed error (a WebSocketControllerError); none settles later than its timeout after its
 * frame went out, and none is still waiting past it. At rest none is waiting at all.
 */
export function everyRequestSettlesOnceInTime(app: ModelApp, atRest: boolean): void {
  const now = performance.now();
  for (const request of app.tracker.requests) {
    const name = `${request.label} request${request.id === undefined ? '' : ` ${request.id}`}`;
    const answered = request.responses === 1 && request.completions === 1 && request.errors.length === 0;
    const failed = request.responses === 0 && request.completions === 0 && request.errors.length === 1;
    const waiting = request.responses === 0 && request.completions === 0 && request.errors.length === 0;
    check('everyRequestSettlesOnceInTime', answered || failed || waiting, () =>
      `${name}: ${request.responses} responses, ${request.completions} completions, ${request.errors.length} errors`,
    );
    if (failed) {
      const error = request.errors[0];
      check('everyRequestSettlesOnceInTime', error instanceof WebSocketControllerError, () => `${name} failed with an untyped error: ${String(error)}`);
    }
    const sentAt = app.tracker.sentAt(request);
    if (sentAt === undefined) continue;
    const end = request.settledAt ?? now;
    check('everyRequestSettlesOnceInTime', end - sentAt <= MODEL_REQUEST_TIMEOUT + TIMER_SLACK_MS, () =>
      `${name} ${waiting ? 'still waits' : 'settled'} ${Math.round(end - sentAt)} ms after it was sent (timeout ${MODEL_REQUEST_TIMEOUT} ms)`,
    );
  }
  if (atRest) {
    const pending = app.tracker.pending();
    check('everyRequestSettlesOnceInTime', pending.length === 0, () => `at rest, still waiting: ${pending.map((r) => r.label).join(', ')}`);
  }
}

const COMPOSITES: readonly { kind: string; start: string; outcomes: readonly string[] }[] = [
  { kind: 'login', start: authActions.login.type, outcomes: [loginAndInitSocketsSucceed.type, loginAndInitSocketsErrored.type] },
  { kind: 'login again', start: authActions.loginAgain.type, outcomes: [loginAgainAndInitSocketsSucceed.type, loginAgainAndInitSocketsErrored.type] },
  { kind: 'login as', start: authActions.loginAs.type, outcomes: [loginAsAndInitSocketsSucceed.type, loginAsAndInitSocketsErrored.type] },
];

/**
 * Each login / login again / login as attempt ends in exactly one composite action of its own kind:
 * never more composites than attempts at any point of the action log, and as many once it settled.
 */
export function eachLoginAttemptEndsInOneComposite(dispatched: readonly Action[]): void {
  for (const { kind, start, outcomes } of COMPOSITES) {
    let open = 0;
    for (const [index, action] of dispatched.entries()) {
      if (action.type === start) open += 1;
      else if (outcomes.includes(action.type)) {
        open -= 1;
        check('eachLoginAttemptEndsInOneComposite', open >= 0, () => `a ${kind} composite (action ${index}: ${action.type}) answers no attempt`);
      }
    }
    check('eachLoginAttemptEndsInOneComposite', open === 0, () => `${open} ${kind} attempt(s) ended in no composite`);
  }
}

/**
 * After the logout at rest nothing of ours is left: no timer on the sockets' scheduler, no listener
 * on the store's action stream beyond those of the set-up, no controller active, nothing in flight
 * or buffered, no WebSocket unclosed, and no socket on the server.
 */
export async function nothingLeftAfterLogout(app: ModelApp, blackholeEndsBy: number): Promise<void> {
  const leftovers = () => {
    const found: string[] = [];
    if (app.scheduler.pending !== 0) found.push(`${app.scheduler.pending} timers pending`);
    if (app.actionListeners() !== app.baselineListeners) found.push(`${app.actionListeners()} action listeners (${app.baselineListeners} after set-up)`);
    for (const [id, controller] of Object.entries(app.owner.sockets)) {
      if (controller.active) found.push(`${id} active`);
      if (controller.requestsInFlight !== 0) found.push(`${id}: ${controller.requestsInFlight} requests in flight`);
      if (controller.bufferedMessages !== 0) found.push(`${id}: ${controller.bufferedMessages} messages buffered`);
    }
    const unclosed = app.recorder.unclosedConnections();
    if (unclosed.length > 0) found.push(`WebSockets without their close event: ${unclosed.map(describeConnection).join(', ')}`);
    return found;
  };
  // A close waiting for a silent server lets go after its closeTimeout, and a blackholed socket's
  // close event comes once the server drops it: wait for those, then look.
  const bound = Math.max(0, blackholeEndsBy - performance.now()) + SERVER_CLOSE_MS;
  await until(() => leftovers().length === 0, 'nothing to be left', bound).catch(() => undefined);
  const found = leftovers();
  check('nothingLeftAfterLogout', found.length === 0, () => found.join('; '));
  const counted = await serverStatsOnceTrue((c) => c.sockets === 0, SERVER_CLOSE_MS);
  check('nothingLeftAfterLogout', counted.sockets === 0, () => `the server counts ${JSON.stringify(counted)}`);
}

const READY_STATES = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'];

function describeConnection(connection: RecordedConnection): string {
  const age = Math.round(performance.now() - connection.openedAt);
  return `#${connection.number} ${connection.path} (${READY_STATES[connection.ws.readyState]}, made ${age} ms ago)`;
}

/** The server's counts once `holds` is true of them, or the last ones asked within `ms`. */
async function serverStatsOnceTrue(holds: (counted: ServerStats) => boolean, ms: number): Promise<ServerStats> {
  const deadline = performance.now() + ms;
  let counted = await stats();
  while (!holds(counted) && performance.now() < deadline) counted = await stats();
  return counted;
}

function sorted(categories: readonly Category[]): string {
  return JSON.stringify([...categories].sort((a, b) => a.id.localeCompare(b.id)).map(({ id, name, version }) => [id, name, version]));
}

/**
 * Once live, the store's menu equals the server's: the server's list is asked on the categories
 * socket, and compared with the store when the answer arrives (every push sent before it has been
 * handled by then). A request that fails because the socket went down meanwhile proves nothing: the
 * check says so and is tried again by the caller's next step.
 */
export async function storeMenuEqualsServer(app: ModelApp): Promise<'checked' | 'not live'> {
  if (!SOCKET_IDS.every((id) => app.status(id) === 'live')) return 'not live';
  let answer: { store: Category[]; response: Res };
  try {
    answer = await new Promise((resolve, reject) =>
      app.owner.socket<Req, Res>('categories').request({ id: 0, menuList: {} }, { buffer: false }).subscribe({
        // Read the store as the answer arrives: every push sent before it has been handled, none after.
        next: (response) => resolve({ store: app.menu(), response }),
        error: reject,
      }),
    );
  } catch (error) {
    if (error instanceof WebSocketControllerError) return 'not live';
    throw error;
  }
  const { store, response } = answer;
  const server = (response.menuList?.categories ?? []).map(toCategory);
  check('storeMenuEqualsServer', sorted(store) === sorted(server), () => `store ${sorted(store)}, server ${sorted(server)}`);
  return 'checked';
}

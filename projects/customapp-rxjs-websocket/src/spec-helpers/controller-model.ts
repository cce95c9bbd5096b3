// The controller's property-based spec, as fast-check commands: the steps weighted so that sequences
// get through the handshake often enough to meet every fault, one sequence run from a fresh
// controller to its rest (closed, time past every timeout, nothing left), and the checks of that rest.
import * as fc from 'fast-check';
import { SocketState } from 'customapp-rxjs-websocket';
import {
  CloseStep,
  OnlineStep,
  OpenStep,
  Reaction,
  RequestStep,
  SendStep,
  SubscribeStep,
  UnsubscribeStep,
  WithdrawStep,
} from './controller-app-steps';
import { checkInvariants } from './controller-invariants';
import { CloseWhenStep, ReopenWhenStoppedStep } from './controller-reaction-steps';
import {
  AcceptStep,
  AnswerAuthStep,
  AnswerRequestStep,
  AnswerSubscriptionsStep,
  AnswerSubscriptionStep,
  ServerProgressStep,
} from './controller-answer-steps';
import { AcknowledgeCloseStep, AdvanceStep, MALFORMED_SHAPES, MalformedStep, PushStep, ServerCloseStep } from './controller-server-steps';
import {
  CLOSE_TIMEOUT,
  Coverage,
  FATAL_CODE,
  initialModel,
  listenedTo,
  Model,
  newCoverage,
  REQUEST_TIMEOUT,
  TOKEN_EXPIRED_CODE,
  violated,
  World,
} from './controller-world';

export * from './controller-answer-steps';
export * from './controller-app-steps';
export * from './controller-reaction-steps';
export * from './controller-server-steps';
export { newCoverage, type Coverage } from './controller-world';

type Step = fc.Arbitrary<fc.Command<Model, World>>;

/** `arbitrary` listed `weight` times: fast-check's commands pick uniformly among the entries. */
function weighted(weight: number, arbitrary: Step): Step[] {
  return Array.from({ length: weight }, () => arbitrary);
}

const pick = fc.nat(7);

/** How the server ends a connection: a normal close, an unknown code, a drop, a fatal code, token expired. */
const CLOSE_CODES: readonly (number | 'drop')[] = [1000, 4000, 'drop', 'drop', FATAL_CODE, TOKEN_EXPIRED_CODE, TOKEN_EXPIRED_CODE, TOKEN_EXPIRED_CODE];

/** How requests react to their outcome, mostly not at all ('close on failure' found the defect kept in the regressions spec). */
const REACTIONS: readonly Reaction[] = ['none', 'none', 'none', 'none', 'none', 'follow-up', 'withdraw another', 'close on answer', 'close on failure'];

export const stepArbitraries: Step[] = [
  ...weighted(6, fc.constantFrom(0, 1000, 3000).map((interval) => new OpenStep(interval))),
  ...weighted(1, fc.boolean().map((acknowledged) => new CloseStep(acknowledged))),
  ...weighted(
    4,
    fc
      .tuple(fc.constantFrom(undefined, 100, 2000), fc.boolean(), fc.constantFrom(...REACTIONS))
      .map(([timeout, piped, reaction]) => new RequestStep(timeout, piped, reaction)),
  ),
  ...weighted(2, fc.constantFrom(...REACTIONS).map((reaction) => new SendStep(reaction))),
  ...weighted(
    1,
    fc
      .constantFrom(SocketState.pending, SocketState.opened, SocketState.authorized, SocketState.subscribed, SocketState.closing, SocketState.closed)
      .map((state) => new CloseWhenStep(state)),
  ),
  ...weighted(1, fc.constantFrom(0, 1000).map((interval) => new ReopenWhenStoppedStep(interval))),
  ...weighted(2, fc.constant(new SubscribeStep())),
  ...weighted(1, pick.map((n) => new UnsubscribeStep(n))),
  ...weighted(1, pick.map((n) => new WithdrawStep(n))),
  ...weighted(1, fc.constant(new OnlineStep())),
  ...weighted(10, fc.constant(new ServerProgressStep())),
  ...weighted(2, fc.constant(new AcceptStep(false))),
  ...weighted(1, fc.constant(new AcceptStep(true))),
  ...weighted(2, fc.constant(new AnswerAuthStep('ok'))),
  ...weighted(2, fc.constantFrom<'denied' | 'expired'>('denied', 'expired', 'expired', 'expired').map((how) => new AnswerAuthStep(how))),
  ...weighted(2, fc.constant(new AnswerSubscriptionsStep())),
  ...weighted(2, fc.tuple(pick, fc.constantFrom(true, true, false)).map(([n, ok]) => new AnswerSubscriptionStep(n, ok))),
  ...weighted(
    6,
    fc
      .tuple(pick, fc.constantFrom<'ok' | 'error' | 'twice' | 'again'>('ok', 'error', 'error', 'twice', 'again'))
      .map(([n, how]) => new AnswerRequestStep(n, how)),
  ),
  ...weighted(2, fc.constantFrom<'id 0' | 'no id' | 'unknown id'>('id 0', 'no id', 'unknown id').map((shape) => new PushStep(shape))),
  ...weighted(
    1,
    fc.constantFrom(...MALFORMED_SHAPES).map((shape) => new MalformedStep(shape)),
  ),
  ...weighted(3, fc.constantFrom(...CLOSE_CODES).map((code) => new ServerCloseStep(code))),
  ...weighted(1, fc.constant(new AcknowledgeCloseStep())),
  ...weighted(3, fc.constantFrom(1, 100, 999, 1000, 2000, 3000, 5000, 12_000).map((ms) => new AdvanceStep(ms))),
];

/** Longer than every timer a sequence can leave: the close timeout, a request's, a reconnect's. */
const PAST_EVERY_TIMEOUT = CLOSE_TIMEOUT + REQUEST_TIMEOUT + 3000 + 1;

/**
 * The end of every sequence: the app's reactions disarmed, `close()`, every socket still connecting opened by the server, time past
 * every timeout. Then nothing may be left: every call settled, no timer, no listener, no request or
 * message, `closedForever$` emitted; and removing the live subscriptions sends nothing.
 */
export function atRest(w: World): void {
  w.armed.unsubscribe();
  new CloseStep(false).run(w.model, w);
  for (const ws of w.h.sockets.all.filter((s) => s.readyState === 0)) ws.accept();
  w.h.scheduler.advance(PAST_EVERY_TIMEOUT);
  checkInvariants(w);
  const { controller, scheduler, sockets } = w.h;
  const left = {
    active: Number(controller.active),
    reconnecting: Number(controller.reconnecting),
    notClosed: Number(controller.state !== SocketState.closed),
    openResultsUnsettled: w.opens.filter((o) => o.notifications.length === 0).length,
    closesRunning: w.closeCalls.filter((c) => c.notifications.length === 0).length,
    messagesUnsettled: w.issued.filter((m) => m.waiting).length,
    requestsInFlight: controller.requestsInFlight,
    bufferedMessages: controller.bufferedMessages,
    timers: scheduler.pending,
    socketsListenedTo: sockets.all.filter(listenedTo).length,
    handlersOnOpenSockets: sockets.all.filter((ws) => ws.readyState !== 3 && ws.hasListeners).length,
    socketsOpen: sockets.all.filter((ws) => ws.readyState === 1).length,
  };
  const nonZero = Object.entries(left).filter(([, count]) => count !== 0);
  if (nonZero.length > 0) violated('nothingLeftAfterClose', JSON.stringify(Object.fromEntries(nonZero)));
  if (w.model.sessions > 0 && w.forever.length === 0) {
    violated('closedForeverOncePerOpen', `no closedForever$ for ${w.model.sessions} open()`);
  }
  const frames = sockets.all.reduce((sum, ws) => sum + ws.sent.length, 0);
  for (const live of w.lives) live.subscription?.unsubscribe();
  const written = sockets.all.reduce((sum, ws) => sum + ws.sent.length, 0) - frames;
  if (written !== 0 || scheduler.pending !== 0) {
    violated('nothingLeftAfterClose', `removing the subscriptions after close() wrote ${written} frames, left ${scheduler.pending} timers`);
  }
}

/** The reconnect interval of the `open()` every sequence starts with. */
export const firstInterval = fc.constantFrom(0, 1000, 3000);

/**
 * Runs one sequence on a fresh controller, opened first (with `interval`; later steps close and open
 * it again), then brings it to rest; throws at the first invariant that fails.
 */
export function runSequence(interval: number, steps: Iterable<fc.Command<Model, World>>, coverage: Coverage = newCoverage()): void {
  const model = initialModel();
  const world = new World(model, coverage);
  coverage.sequences += 1;
  new OpenStep(interval).run(model, world);
  fc.modelRun(() => ({ model, real: world }), steps);
  atRest(world);
}

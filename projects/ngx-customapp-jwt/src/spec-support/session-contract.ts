// The model of the property spec (jwt.service.properties.spec.ts): what the README, MIGRATION.md and
// the JSDoc of JwtService promise about the sessions, as rules over the calls a run makes and the
// answers the server gives. It holds the sessions the client must hold (the current one and the
// login-as stack, each with the newest tokens it was given for its `sid`) and settles each call as
// the promises say it settles; session-run.ts runs it beside the real service and compares.
import { HttpErrorResponse } from '@angular/common/http';
import type { TestRequest } from '@angular/common/http/testing';
import type { FakeJwtAuthResponse, FakeJwtUser } from 'ngx-customapp-jwt/testing';
import { InvalidAuthResponseError, LoginAsCalledWhenUnauthorized, LoginThrottledError, NoFreshJwtError } from '../public-api';
import { type Answer, type Call, sidOf } from './scripted-auth-server';
import { type Expected, type Held, type Op, type Tally, count } from './session-calls';

/** What a sequence runs with: the shape of the login answers and how long refresh tokens live. */
export interface ModelSettings {
  /** `tokensFromResponse` gives `null` for an answer without tokens (1.2.x's login by token), else the default that requires them. */
  readonly tokensOptional: boolean;
  readonly refreshTtlSeconds: number;
}

/**
 * Defects the property found, each kept as a pending spec in jwt.service.properties.regressions.spec.ts:
 * while one is listed, the model lets the service do what it does there, so the property goes on
 * checking everything else. Take a name out once its regression spec passes.
 */
export type KnownDefect = 'refresh lost after a token-less answer' | 'refresh of another session forgets the one on its way';

/** A call on its way to the server, and the flow it belongs to (none for a refresh). */
export interface Open {
  readonly request: TestRequest;
  readonly call: Call;
  readonly op?: Op;
  /** A refresh whose tokens a token-less login answer has since kept for the session it made (a known defect). */
  moved?: boolean;
  /** A refresh on its way while a refresh of another session went out or was answered (a known defect). */
  othersRefreshed?: boolean;
}

export class SessionContract {
  private held: Held | null = null;
  private below: Held[] = [];
  private logoutsUnderWay = 0;
  /** Answered logins and login-as waiting for the logouts under way, in the order of their answers. */
  private readonly deferred: Op[] = [];
  /** The newest tokens the client was given for each session. */
  private readonly newest = new Map<string, { readonly accessToken: string; readonly refreshToken: string }>();
  /** Refresh tokens that an answered refresh replaced. */
  private readonly rotated = new Set<string>();
  /** Sessions ended for a failed refresh and not yet seen on `sessionEnded$`. */
  refreshFailedEnds = 0;
  private awaitings = 0;
  private lineages = 0;
  /** The call this step made or answered: a logout call in this step is its own before any other waiting logout's. */
  stepOp: Op | null = null;

  constructor(
    readonly settings: ModelSettings,
    readonly known: ReadonlySet<KnownDefect>,
    private readonly tally: Tally,
    private readonly open: readonly Open[],
  ) {}

  get current(): Held | null {
    return this.held;
  }

  get stack(): readonly Held[] {
    return this.below;
  }

  get pendingLogouts(): number {
    return this.logoutsUnderWay;
  }

  newestAccessToken(sid: string): string | undefined {
    return this.newest.get(sid)?.accessToken;
  }

  wasRotated(refreshToken: string): boolean {
    return this.rotated.has(refreshToken);
  }

  // --- the app calls -----------------------------------------------------------------------------

  /** `op` was just called: where it stands, and what it changes at once. */
  called(op: Op): void {
    const loggedIn = this.held !== null;
    switch (op.kind) {
      case 'login':
      case 'login again with':
        op.phase = 'sent';
        return;
      case 'login again':
      case 'freshJwt':
        if (loggedIn) op.phase = 'free';
        else this.settle(op, { ok: false, errors: [NoFreshJwtError] });
        return;
      case 'login as':
        if (loggedIn) this.awaitCall(op);
        else this.settle(op, { ok: false, errors: [LoginAsCalledWhenUnauthorized] });
        return;
      case 'logout':
        // README: logging out while logged out succeeds.
        if (!loggedIn) return this.settle(op, { ok: true });
        this.logoutsUnderWay += 1;
        return this.awaitCall(op);
      case 'logout localOnly':
        if (loggedIn) this.endCurrent();
        return this.settle(op, { ok: true });
      case 'freshJwt(false)':
      case 'withFreshJwt':
      case 'request':
        op.phase = 'free';
        return;
    }
  }

  // --- the server answers ------------------------------------------------------------------------

  answered(open: Open, answer: Answer): void {
    const { call } = open;
    const op = open.op as Op;
    switch (call.kind) {
      case 'refresh':
        return this.refreshAnswered(call, open.moved ?? false, answer);
      case 'login':
        return this.loginAnswered(op, answer);
      case 'login-as':
        if (answer.ok) return this.answerApplies(op, answer);
        if (this.retriesAfter(op, answer)) return;
        return this.settle(op, { ok: false, errors: [HttpErrorResponse] });
      case 'logout':
        return this.logoutAnswered(op, answer);
      case 'data':
        if (answer.ok) return this.settle(op, { ok: true, value: { ok: true } });
        if (this.retriesAfter(op, answer)) return;
        return this.settle(op, { ok: false, errors: [HttpErrorResponse] });
    }
  }

  /** A session ended because its refresh token expired (the service said so on `sessionEnded$`). */
  sessionExpired(): void {
    this.endAll();
  }

  /** A logout or login-as failed before its server call, for want of a fresh token. */
  failedBeforeCall(op: Op): void {
    this.settle(op, { ok: false, errors: [NoFreshJwtError] });
    if (op.kind === 'logout') this.logoutSettled();
  }

  private refreshAnswered(call: Extract<Call, { kind: 'refresh' }>, moved: boolean, answer: Answer): void {
    if (moved && this.known.has('refresh lost after a token-less answer')) return;
    // A second refresh of the session (the known defects) answered after the first: its refresh token
    // was replaced already, and its answer changes nothing.
    if (this.rotated.has(call.refreshToken)) return;
    if (answer.ok) {
      const { accessToken, refreshToken, user } = answer.body as FakeJwtAuthResponse;
      this.rotated.add(call.refreshToken);
      this.newest.set(call.sid, { accessToken, refreshToken });
      // The refreshed tokens (and the user the answer names) are kept for the session they renew,
      // current or below a login-as (JSDoc of replaceSession; README: the master comes back "with their own tokens").
      const renew = (held: Held): Held => (held.sid === call.sid ? { ...held, user, accessToken, refreshToken } : held);
      this.held = this.held && renew(this.held);
      this.below = this.below.map(renew);
    } else if (this.held?.sid === call.sid) {
      // README: "When a refresh fails, the session ends" (the whole login-as stack with it).
      this.endAll();
      this.refreshFailedEnds += 1;
    }
  }

  private loginAnswered(op: Op, answer: Answer): void {
    if (answer.ok) return this.answerApplies(op, answer);
    this.settle(op, { ok: false, errors: [answer.status === 429 ? LoginThrottledError : HttpErrorResponse] });
    // JSDoc of loginAgain: with credentials, "a 401 then ends the session here": the one it was made in, refreshed or not.
    const { started } = op;
    if (op.kind === 'login again with' && answer.status === 401 && started && this.held?.lineage === started.lineage) this.endAll();
  }

  private logoutAnswered(op: Op, answer: Answer): void {
    if (this.retriesAfter(op, answer)) return;
    if (answer.ok || answer.status === 401) {
      // README: the logout ends the session it was called for (a 401 counts as done), never another.
      if (this.held?.sid === op.calledFor) this.endCurrent();
      this.settle(op, { ok: true });
    } else {
      // README: "When the server fails it otherwise, the session is kept."
      this.settle(op, { ok: false, errors: [HttpErrorResponse] });
    }
    this.logoutSettled();
  }

  /** A token-expired answer to a call made with a token is retried once after a refresh (README). */
  private retriesAfter(op: Op, answer: Answer): boolean {
    if (answer.ok || answer.code !== 'TOKEN_EXPIRED' || op.retried) return false;
    op.retried = true;
    // The interceptor's retry waits for a fresh token too, but may also fail with the first answer: not predicted.
    if (op.kind === 'request') op.phase = 'free';
    else this.awaitCall(op);
    return true;
  }

  /** README: a login, login again with credentials or login-as answered while a logout is on its way applies once it has settled. */
  private answerApplies(op: Op, answer: Extract<Answer, { ok: true }>): void {
    const body = answer.body as FakeJwtAuthResponse | { readonly user: FakeJwtUser };
    if ('accessToken' in body) this.newest.set(sidOf(body.accessToken), { accessToken: body.accessToken, refreshToken: body.refreshToken });
    op.answer = body;
    if (this.logoutsUnderWay > 0) {
      count(this.tally, `${op.kind} answered during a logout`);
      op.phase = 'deferred';
      this.deferred.push(op);
    } else {
      this.apply(op);
    }
  }

  private apply(op: Op): void {
    const body = op.answer as FakeJwtAuthResponse | { readonly user: FakeJwtUser };
    // A login again with credentials carries on the session it was made in (keeping its stack), and so
    // does a login answered without tokens (it keeps the session's tokens and stack); a login begins another.
    const carriesOn = op.kind === 'login again with' || (op.kind === 'login' && !('accessToken' in body));
    const lineage = carriesOn && this.held ? this.held.lineage : ++this.lineages;
    const fresh: Held | null =
      'accessToken' in body
        ? { sid: sidOf(body.accessToken), lineage, user: body.user, accessToken: body.accessToken, refreshToken: body.refreshToken }
        : null;
    if (op.kind === 'login as') return this.applyLoginAs(op, fresh);
    const value = op.kind === 'login' ? body : { user: body.user, response: body };
    if (fresh) {
      // login replaces the session and its stack; login again with credentials keeps the stack.
      this.below = op.kind === 'login' || !this.held ? [] : this.below;
      this.held = fresh;
      return this.settle(op, { ok: true, value });
    }
    const kept = this.tokensKept(op);
    if (!kept.ok) return this.settle(op, kept);
    const held = this.held as Held;
    this.sessionMoved(held.sid);
    this.held = { ...held, lineage, user: body.user };
    return this.settle(op, { ok: true, value });
  }

  /**
   * Whether an answer without tokens keeps the tokens of the current session: "only while the session
   * it was sent in is the current one; otherwise it fails with NoFreshJwtError instead of taking another
   * session's tokens", and "with no session it fails with InvalidAuthResponseError" (MIGRATION.md).
   */
  private tokensKept(op: Op): Expected {
    const invalid: Expected = { ok: false, errors: [InvalidAuthResponseError], why: 'there are no tokens to keep' };
    const ended: Expected = { ok: false, errors: [NoFreshJwtError], why: 'the session it was sent in ended meanwhile: the current tokens are another session\'s' };
    if (!this.settings.tokensOptional) return invalid;
    if ((this.held?.lineage ?? null) !== (op.started?.lineage ?? null)) return ended;
    return this.held ? { ok: true } : invalid;
  }

  private applyLoginAs(op: Op, fresh: Held | null): void {
    if (!fresh) return this.settle(op, { ok: false, errors: [InvalidAuthResponseError] });
    // README: when the logout on its way ended the master's session, the login-as fails.
    if (!this.held) return this.settle(op, { ok: false, errors: [LoginAsCalledWhenUnauthorized], why: 'its master\'s session ended meanwhile' });
    // The master a login-as returns to is "the admin who started it" (README): when a login (or another
    // login-as) replaced the session it was made in, it fails rather than act for someone else.
    if (this.held.lineage !== op.started?.lineage) {
      const why = `the session it was made in (${op.started?.user.login}'s ${op.started?.sid}) is no longer current: ${this.held.user.login}'s ${this.held.sid} is`;
      return this.settle(op, { ok: false, errors: [LoginAsCalledWhenUnauthorized], why });
    }
    this.below = [...this.below, this.held];
    this.held = fresh;
    count(this.tally, `login-as at depth ${this.below.length}`);
    this.settle(op, { ok: true, value: op.answer });
  }

  /** A token-less answer kept the tokens of session `sid` for the session it made: its refresh on the way is `moved`. */
  private sessionMoved(sid: string): void {
    for (const open of this.open) if (open.call.kind === 'refresh' && open.call.sid === sid) open.moved = true;
  }

  private logoutSettled(): void {
    this.logoutsUnderWay -= 1;
    if (this.logoutsUnderWay > 0) return;
    for (const op of this.deferred.splice(0)) this.apply(op);
  }

  /** `op` gets a fresh token for its call: the call goes out in this step, or once a refresh is answered. */
  private awaitCall(op: Op): void {
    op.phase = 'awaiting call';
    op.awaitingSince = ++this.awaitings;
    this.stepOp = op;
  }

  private settle(op: Op, expected: Expected): void {
    count(this.tally, `${op.kind} ${expected.ok ? 'succeeded' : 'failed'}`);
    op.phase = 'settled';
    op.expected = expected;
  }

  private endCurrent(): void {
    this.held = this.below[this.below.length - 1] ?? null;
    this.below = this.below.slice(0, -1);
  }

  private endAll(): void {
    this.held = null;
    this.below = [];
  }

}

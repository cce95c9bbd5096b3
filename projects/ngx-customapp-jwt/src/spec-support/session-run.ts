// One run of the property spec (jwt.service.properties.spec.ts): the real JwtService (the TestBed of
// set-up.ts, the server played through HttpTestingController by scripted-auth-server.ts) and the
// model (session-contract.ts) side by side. Each step does the same thing to both; `afterStep` then
// matches the calls the service made to the flows they belong to and checks every invariant.
//
// The flows whose timing the README leaves open (waiting for a refresh) are not predicted: their
// calls are matched when they appear, and their outcome is checked against what may happen.
import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import type { FakeJwtAuthResponse, FakeJwtUser } from 'ngx-customapp-jwt/testing';
import { type JwtGroup, type JwtInfo, NoFreshJwtError, jwtExpiresAt } from '../public-api';
import { type Call, type Outcome, ScriptedAuthServer, type TaggedCredentials, describeToken, sidOf, taggedUserId } from './scripted-auth-server';
import {
  InvariantViolation,
  type Op,
  type OpKind,
  type Tally,
  count,
  createOp,
  describeExpected,
  describeSeen,
  isDone,
  matchesExpected,
  mayFailFree,
  watch,
} from './session-calls';
import { checkSessions, describeService, describeSessions } from './session-checks';
import { type KnownDefect, type ModelSettings, type Open, SessionContract } from './session-contract';
import { type SetUp, setUp } from './set-up';

const TOKENS_OPTIONAL = {
  tokensFromResponse: ((response: { accessToken?: string; refreshToken?: string; expiresAt?: number }) =>
    response.accessToken && response.refreshToken
      ? { accessToken: response.accessToken, refreshToken: response.refreshToken, expiresAt: response.expiresAt }
      : null) as never,
};

export class SessionRun {
  readonly t: SetUp;
  private readonly server: ScriptedAuthServer;
  private readonly http: HttpClient;
  private readonly model: SessionContract;
  private readonly ops: Op[] = [];
  private readonly open: Open[] = [];
  private readonly ended: NoFreshJwtError[] = [];
  private endedSeen = 0;
  private endedBeforeStep = 0;
  /** The server session of the service's current session when the step began. */
  private sessionBeforeStep: string | null = null;

  constructor(
    settings: ModelSettings,
    known: ReadonlySet<KnownDefect> = new Set(),
    private readonly tally: Tally = {},
  ) {
    TestBed.resetTestingModule();
    this.t = setUp({ config: settings.tokensOptional ? TOKENS_OPTIONAL : {} });
    this.server = new ScriptedAuthServer(this.t.clock, settings.refreshTtlSeconds);
    this.http = TestBed.inject(HttpClient);
    this.model = new SessionContract(settings, known, tally, this.open);
    this.t.jwt.sessionEnded$.subscribe((error) => this.ended.push(error));
  }

  get openCalls(): number {
    return this.open.length;
  }

  // --- what the app does -------------------------------------------------------------------------

  login(user: FakeJwtUser, right: boolean): void {
    const op = this.call('login', `login(${user.login}${right ? '' : ', wrong password'})`, { user: right ? user : null });
    watch(op, this.t.jwt.login(this.credentials(user, right, op.id)), { check: (response) => this.checkApplied(op, response) });
    this.afterStep();
  }

  loginAgain(): void {
    const op = this.call('login again', 'loginAgain()');
    watch(op, this.t.jwt.loginAgain(), { check: ({ user }) => this.checkUser(op, user), failed: (error) => this.checkNoToken(op, error) });
    this.afterStep();
  }

  loginAgainWith(user: FakeJwtUser): void {
    const op = this.call('login again with', `loginAgain({ ${user.login} })`, { user });
    const check = ({ user: given, response }: { user: FakeJwtUser; response?: FakeJwtAuthResponse }) => this.checkApplied(op, response ?? { user: given });
    watch(op, this.t.jwt.loginAgain(this.credentials(user, true, op.id)), { check });
    this.afterStep();
  }

  loginAs(user: FakeJwtUser): void {
    const op = this.call('login as', `loginAs(${user.login})`, { user });
    watch(op, this.t.jwt.loginAs(taggedUserId(user, op.id)), {
      check: (response) => this.checkApplied(op, response),
      failed: (error) => op.phase === 'awaiting call' && this.checkNoToken(op, error),
    });
    this.afterStep();
  }

  logout(fromAllDevices: boolean): void {
    const op = this.call('logout', `logout(${fromAllDevices})`, { fromAllDevices, calledFor: this.model.current?.sid ?? null });
    const check = () => {
      const token = this.t.jwt.accessToken;
      if (token && sidOf(token) === op.calledFor) op.seen.faults.push(`gave its outcome while its session ${op.calledFor} was still current`);
    };
    watch(op, this.t.jwt.logout(fromAllDevices), { check });
    this.afterStep();
  }

  logoutLocalOnly(): void {
    const op = this.call('logout localOnly', 'logout(false, { localOnly: true })');
    watch(op, this.t.jwt.logout(false, { localOnly: true }));
    this.afterStep();
  }

  /** `freshJwt()`, or with `rejected` `freshJwt({ rejectedToken })` for the current access token. */
  freshJwt(rejected: boolean): void {
    const op = this.call('freshJwt', rejected ? 'freshJwt({ rejectedToken: current })' : 'freshJwt()');
    const options = rejected ? { rejectedToken: this.t.jwt.accessToken ?? undefined } : {};
    watch(op, this.t.jwt.freshJwt(options), { check: (token) => this.checkToken(op, token), failed: (error) => this.checkNoToken(op, error) });
    this.afterStep();
  }

  /** The 1.2.x forms: `freshJwt(false)`, or `withFreshJwt(callback)`: the tokens, or `undefined`; never an error. */
  legacyFreshJwt(form: 'freshJwt(false)' | 'withFreshJwt'): void {
    const op = this.call(form, form === 'withFreshJwt' ? 'withFreshJwt(callback)' : 'freshJwt(false)');
    const check = (group?: JwtGroup<JwtInfo>) =>
      group === undefined ? this.checkNoToken(op, new NoFreshJwtError('not-logged-in', '')) : this.checkToken(op, group.accessToken?.token ?? '');
    if (form === 'freshJwt(false)') {
      watch(op, this.t.jwt.freshJwt(false), { check });
    } else {
      this.t.jwt.withFreshJwt((group) => {
        if (op.seen.completed) op.seen.faults.push('the callback was called again');
        op.seen.values.push(group);
        op.seen.completed = true;
        check(group);
      });
    }
    this.afterStep();
  }

  /** A request of the app, through `jwtInterceptor`. */
  request(): void {
    const op = this.call('request', 'GET /api/data (interceptor)');
    watch(op, this.http.get(`/api/data/${op.id}`), { failed: (error) => this.checkNoToken(op, error) });
    this.afterStep();
  }

  tick(ms: number): void {
    this.t.clock.tick(ms);
    this.afterStep();
  }

  // --- what the server does ----------------------------------------------------------------------

  /** Answers the open call at `pick` (modulo how many are open) with `outcome`. */
  answer(pick: number, outcome: Outcome): void {
    if (this.open.length > 0) {
      const [open] = this.open.splice(pick % this.open.length, 1);
      if (open.request.cancelled) throw new InvariantViolation('every call is answered', `${describeCall(open.call)} was cancelled`);
      count(this.tally, `answer ${open.call.kind} ${outcome}`);
      if (open.call.kind === 'refresh') this.othersRefreshed(open.call.sid);
      this.model.answered(open, this.server.answer(open.request, open.call, outcome));
    }
    this.afterStep();
  }

  /** Answers every open call with `ok` (and the calls those answers make), then logs out to the end. */
  finish(): void {
    this.drain();
    for (let level = 0; this.t.jwt.isLoggedIn && level < 8; level++) {
      this.logout(false);
      this.drain();
    }
    if (this.t.jwt.isLoggedIn || this.model.current) {
      throw new InvariantViolation('a logout ends the session', `still logged in after logging out: ${describeService(this.t)}`);
    }
    this.t.http.verify();
  }

  private drain(): void {
    for (let i = 0; this.open.length > 0 && i < 200; i++) this.answer(0, 'ok');
    const waiting = this.ops.filter((op) => !isDone(op) || (op.phase !== 'settled' && op.phase !== 'free'));
    if (this.open.length > 0 || waiting.length > 0 || this.model.pendingLogouts !== 0) {
      throw new InvariantViolation(
        'nothing stays pending once every call is answered',
        `open calls [${this.open.map(({ call }) => describeCall(call)).join(', ')}], waiting [${waiting.map((op) => `${op.label} (${op.phase})`).join(', ')}]`,
      );
    }
  }

  // --- after every step --------------------------------------------------------------------------

  private afterStep(): void {
    count(this.tally, 'steps');
    this.readCalls();
    this.followEnds();
    this.settleWithoutCall();
    this.checkOps();
    checkSessions(this.t, this.model);
    this.model.stepOp = null;
    this.endedBeforeStep = this.ended.length;
    this.sessionBeforeStep = this.t.jwt.accessToken && sidOf(this.t.jwt.accessToken);
  }

  /** Takes the calls the step made from HttpTestingController and matches each to the flow it belongs to. */
  private readCalls(): void {
    for (const request of this.t.http.match(() => true)) {
      const call = this.server.read(request);
      this.open.push({ request, call, op: this.opOf(call) });
    }
    const silent = this.ops.find((op) => (op.kind === 'login' || op.kind === 'login again with') && op.calls === 0);
    if (silent) throw new InvariantViolation('a login calls the server', `${silent.label} made no call`);
  }

  private opOf(call: Call): Op | undefined {
    switch (call.kind) {
      case 'refresh': {
        const other = this.open.find((open) => open.call.kind === 'refresh' && open.call.sid === call.sid);
        if (this.open.some((open) => open.call.kind !== 'refresh')) count(this.tally, 'refresh beside other calls');
        const { known } = this.model;
        const tolerated =
          (other?.moved && known.has('refresh lost after a token-less answer')) ||
          (other?.othersRefreshed && known.has('refresh of another session forgets the one on its way'));
        if (other && !tolerated) throw new InvariantViolation('single flight', `a second refresh call for session ${call.sid} while one is on its way`);
        if (this.model.wasRotated(call.refreshToken)) {
          throw new InvariantViolation(
            'a session carries its own tokens',
            `a refresh call sent the refresh token ${describeToken(call.refreshToken)}, which an answered refresh had replaced`,
          );
        }
        this.othersRefreshed(call.sid);
        return undefined;
      }
      case 'login': {
        const op = this.ops[call.op];
        if (op?.phase !== 'sent' || op.calls > 0) throw new InvariantViolation('a login calls the server once', `an unexpected login call for ${op?.label}`);
        op.calls += 1;
        return op;
      }
      case 'logout': {
        this.checkUsable(call.accessToken, 'a logout call');
        const op = this.waitingLogout(call);
        op.calls += 1;
        op.phase = 'sent';
        return op;
      }
      case 'login-as': {
        const op = this.ops[call.op];
        if (op?.phase !== 'awaiting call') throw new InvariantViolation('a login-as calls the server once', `an unexpected login-as call for ${op?.label}`);
        this.checkUsable(call.accessToken, `the call of ${op.label}`);
        op.calls += 1;
        op.phase = 'sent';
        return op;
      }
      case 'data': {
        const op = this.ops[call.op];
        if (op?.kind !== 'request' || op.calls > (op.retried ? 1 : 0)) {
          throw new InvariantViolation('a request is retried once', `an unexpected request call for ${op?.label}`);
        }
        if (call.accessToken) this.checkUsable(call.accessToken, `the call of ${op.label}`);
        op.calls += 1;
        op.phase = 'sent';
        return op;
      }
    }
  }

  /** A refresh of session `sid` went out or was answered: the refreshes of other sessions on their way hear of it. */
  private othersRefreshed(sid: string): void {
    for (const open of this.open) if (open.call.kind === 'refresh' && open.call.sid !== sid) open.othersRefreshed = true;
  }

  /**
   * The logout a logout call belongs to: one waiting to call, called for the session whose token the
   * call carries — the one this step made or answered, else the one waiting longest.
   */
  private waitingLogout(call: Extract<Call, { kind: 'logout' }>): Op {
    const waiting = this.ops.filter((o) => o.kind === 'logout' && o.phase === 'awaiting call' && o.fromAllDevices === call.fromAllDevices);
    const first = (candidates: Op[]) =>
      candidates.find((o) => o === this.model.stepOp) ?? [...candidates].sort((a, b) => a.awaitingSince - b.awaitingSince)[0];
    const op = first(waiting.filter((o) => o.calledFor === call.sid));
    if (!op) {
      throw new InvariantViolation(
        'a logout ends the session it was called for',
        `a logout call for session ${call.sid} (${describeToken(call.accessToken)}), but the logouts waiting to call were ` +
          `[${waiting.map((o) => `${o.label} for ${o.calledFor}`).join(', ')}]`,
      );
    }
    return op;
  }

  /**
   * Sessions the service ended for want of a fresh token: a failed refresh of the current session
   * (which the model expects), or a refresh token that has expired (followed when it has).
   */
  private followEnds(): void {
    for (const error of this.ended.slice(this.endedSeen)) {
      if (error.reason === 'session-expired') {
        const current = this.model.current;
        const refreshExpiresAt = current ? jwtExpiresAt(current.refreshToken) : null;
        if (refreshExpiresAt === null || refreshExpiresAt > this.t.clock.now()) {
          throw new InvariantViolation('a session ends only when it must', `ended as expired, but the model holds ${describeSessions(current, this.model.stack)}`);
        }
        count(this.tally, 'session expired');
        this.model.sessionExpired();
      } else {
        count(this.tally, 'refresh failed');
        this.model.refreshFailedEnds -= 1;
      }
    }
    this.endedSeen = this.ended.length;
    if (this.model.refreshFailedEnds !== 0) {
      const what =
        this.model.refreshFailedEnds > 0 ? 'the refresh of the current session failed, but it did not end' : 'a session ended though no refresh of it failed';
      throw new InvariantViolation('a failed refresh ends the session', `${what}; the service holds ${describeService(this.t)}`);
    }
  }

  /** Logouts and login-as that failed before their call: no fresh token could be had for it. */
  private settleWithoutCall(): void {
    for (const op of this.ops) {
      if (op.phase !== 'awaiting call' || !isDone(op)) continue;
      if (!(op.seen.error instanceof NoFreshJwtError)) {
        throw new InvariantViolation('every call settles as promised', `${op.label} settled before its server call with ${describeSeen(op)}`);
      }
      if (op.kind === 'logout' && this.model.current?.sid === op.calledFor) {
        throw new InvariantViolation('a logout ends the session it was called for', `${op.label} failed for want of a token, its session still current`);
      }
      count(this.tally, `${op.kind} failed for want of a token`);
      this.model.failedBeforeCall(op);
    }
  }

  private checkOps(): void {
    for (const op of this.ops) {
      const { seen } = op;
      if (seen.faults.length > 0) throw new InvariantViolation('every call settles once, as promised', `${op.label}: ${seen.faults.join('; ')}`);
      if (seen.values.length > 1) throw new InvariantViolation('every call settles once', `${op.label} gave ${seen.values.length} values`);
      if (seen.completed && seen.values.length === 0) throw new InvariantViolation('every call settles once', `${op.label} completed without a value`);
      const done = isDone(op);
      if (op.phase === 'settled' && !op.verified) {
        if (!done) throw new InvariantViolation('every call settles as promised', `${op.label} should have settled: ${describeExpected(op)}`);
        op.verified = true;
        if (!matchesExpected(op)) {
          throw new InvariantViolation('every call settles as promised', `${op.label}: expected ${describeExpected(op)}, got ${describeSeen(op)}`);
        }
      } else if ((op.phase === 'sent' || op.phase === 'deferred') && done) {
        throw new InvariantViolation('every call settles as promised', `${op.label} settled while ${op.phase}: ${describeSeen(op)}`);
      } else if (op.phase === 'free' && seen.errored && !mayFailFree(op, { noToken: NoFreshJwtError, http: HttpErrorResponse })) {
        throw new InvariantViolation('every call settles as promised', `${op.label} failed with ${describeSeen(op)}`);
      }
    }
  }

  // --- what the calls give, checked as it comes --------------------------------------------------

  /** A call the service makes carries a token that has not expired, the newest of its session. */
  private checkUsable(token: string, what: string): void {
    if ((jwtExpiresAt(token) ?? 0) <= this.t.clock.now()) {
      throw new InvariantViolation('calls carry a fresh token', `${what} carried the expired ${describeToken(token)}`);
    }
    if (this.model.newestAccessToken(sidOf(token)) !== token) {
      throw new InvariantViolation('a session carries its own tokens', `${what} carried ${describeToken(token)}, not the newest token of its session`);
    }
  }

  /**
   * A token `freshJwt()` gave: not expired, and the current session's — or the session's that was
   * current when the step began: callers that share a refresh hear of it one after the other, and a
   * login waiting for a logout may apply between two of them.
   */
  private checkToken(op: Op, token: string): void {
    const current = this.t.jwt.accessToken;
    if (token !== current && sidOf(token) !== this.sessionBeforeStep) op.seen.faults.push(`gave ${describeToken(token)}, not the current ${describeToken(current)}`);
    else if ((jwtExpiresAt(token) ?? 0) <= this.t.clock.now()) op.seen.faults.push(`gave the expired ${describeToken(token)}`);
  }

  /**
   * No fresh token (before its server call): the session of the call has ended (README: a failed
   * refresh ends the session), or nobody was logged in. Another session may be current by then: a
   * login that waited for a logout applies before the last callers hear of the failure.
   */
  private checkNoToken(op: Op, error: unknown): void {
    if (!(error instanceof NoFreshJwtError) || op.phase === 'sent') return;
    const token = this.t.jwt.accessToken;
    const session = op.started;
    const goesOn = !!session && this.model.current?.lineage === session.lineage && !!token && sidOf(token) === session.sid;
    if (goesOn && this.ended.length === this.endedBeforeStep) op.seen.faults.push(`had no fresh token while its session ${session.sid} went on`);
  }

  /** A login's answer is given once the service holds it (README: the tokens are there before the …Succeed action). */
  private checkApplied(op: Op, response: FakeJwtAuthResponse | { readonly user: FakeJwtUser }): void {
    this.checkUser(op, response.user);
    if ('accessToken' in response && response.accessToken !== this.t.jwt.accessToken) {
      op.seen.faults.push(`gave its answer while the service held ${describeToken(this.t.jwt.accessToken)}, not its ${describeToken(response.accessToken)}`);
    }
  }

  private checkUser(op: Op, user: FakeJwtUser): void {
    if (JSON.stringify(user) !== JSON.stringify(this.t.jwt.user())) op.seen.faults.push(`gave ${user.login}, not the current user`);
  }

  // --- helpers -----------------------------------------------------------------------------------

  /** A new call of the service, as the model has it once made. */
  private call(kind: OpKind, label: string, details: Partial<Pick<Op, 'user' | 'fromAllDevices' | 'calledFor'>> = {}): Op {
    const op = createOp(this.ops.length, kind, label, { ...details, started: this.model.current });
    this.ops.push(op);
    this.model.called(op);
    return op;
  }

  private credentials(user: FakeJwtUser, right: boolean, op: number): TaggedCredentials {
    return { login: user.login, password: right ? `${user.login}-pass` : 'wrong', op };
  }
}

function describeCall(call: Call): string {
  return call.kind === 'refresh' || call.kind === 'logout' ? `${call.kind} of ${call.sid}` : `${call.kind} #${call.op}`;
}

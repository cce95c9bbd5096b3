// The steps of the property spec (fast-check's commands API): what the app calls on JwtService, a
// request through the interceptor, the clock moving, and the server answering one of the open calls
// in any order, with any outcome. Each step runs on a SessionRun (session-run.ts), which holds the
// model (session-contract.ts) and the real service side by side and checks the invariants after it.
import * as fc from 'fast-check';
import type { FakeJwtUser } from 'ngx-customapp-jwt/testing';
import { type Outcome, USERS } from './scripted-auth-server';
import { type Tally, count } from './session-calls';
import type { KnownDefect, ModelSettings } from './session-contract';
import { SessionRun } from './session-run';

export type Step = fc.Command<SessionRun, SessionRun>;

abstract class AppStep implements Step {
  check(): boolean {
    return true;
  }
  abstract run(m: SessionRun): void;
  abstract toString(): string;
}

export class Login extends AppStep {
  constructor(
    readonly user: FakeJwtUser,
    readonly right = true,
  ) {
    super();
  }
  run(m: SessionRun): void {
    m.login(this.user, this.right);
  }
  toString(): string {
    return `login(${this.user.login}${this.right ? '' : ', wrong'})`;
  }
}

export class LoginAgain extends AppStep {
  run(m: SessionRun): void {
    m.loginAgain();
  }
  toString(): string {
    return 'loginAgain()';
  }
}

export class LoginAgainWith extends AppStep {
  constructor(readonly user: FakeJwtUser) {
    super();
  }
  run(m: SessionRun): void {
    m.loginAgainWith(this.user);
  }
  toString(): string {
    return `loginAgain(${this.user.login})`;
  }
}

export class LoginAs extends AppStep {
  constructor(readonly user: FakeJwtUser) {
    super();
  }
  run(m: SessionRun): void {
    m.loginAs(this.user);
  }
  toString(): string {
    return `loginAs(${this.user.login})`;
  }
}

export class Logout extends AppStep {
  constructor(readonly how: 'this device' | 'all devices' | 'localOnly') {
    super();
  }
  run(m: SessionRun): void {
    if (this.how === 'localOnly') m.logoutLocalOnly();
    else m.logout(this.how === 'all devices');
  }
  toString(): string {
    return `logout(${this.how})`;
  }
}

export class FreshJwt extends AppStep {
  constructor(readonly form: 'freshJwt()' | 'freshJwt({ rejectedToken })' | 'freshJwt(false)' | 'withFreshJwt') {
    super();
  }
  run(m: SessionRun): void {
    if (this.form === 'freshJwt()' || this.form === 'freshJwt({ rejectedToken })') m.freshJwt(this.form !== 'freshJwt()');
    else m.legacyFreshJwt(this.form);
  }
  toString(): string {
    return this.form;
  }
}

export class AppRequest extends AppStep {
  run(m: SessionRun): void {
    m.request();
  }
  toString(): string {
    return 'request()';
  }
}

export class Tick extends AppStep {
  constructor(readonly seconds: number) {
    super();
  }
  run(m: SessionRun): void {
    m.tick(this.seconds * 1000);
  }
  toString(): string {
    return `tick(${this.seconds} s)`;
  }
}

/** The server answers the open call at `pick` (modulo how many are open). */
export class ServerAnswers implements Step {
  constructor(
    readonly pick: number,
    readonly outcome: Outcome,
  ) {}
  check(m: Readonly<SessionRun>): boolean {
    return m.openCalls > 0;
  }
  run(m: SessionRun): void {
    m.answer(this.pick, this.outcome);
  }
  toString(): string {
    return `answer(#${this.pick}, ${this.outcome})`;
  }
}

const user = fc.constantFrom(...USERS);
const outcome = fc.oneof(
  { weight: 5, arbitrary: fc.constant<Outcome>('ok') },
  { weight: 1, arbitrary: fc.constant<Outcome>('token-less') },
  { weight: 1, arbitrary: fc.constantFrom<Outcome>('expired', 'revoked', 'forbidden', 'throttled', 'failed') },
);
const answer = fc.tuple(fc.nat(5), outcome).map(([pick, how]) => new ServerAnswers(pick, how));

/**
 * Every step, weighted by repeating it: the server answers about as often as the app calls, so
 * calls meet each other on their way; a login has the wrong password one time in four; the clock
 * moves past the refresh point (870 s) and the expiry (900 s) of the access tokens often enough for
 * refreshes to race the rest, and now and then past the expiry of a short-lived refresh token.
 */
export const STEPS: fc.Arbitrary<Step>[] = [
  fc.tuple(user, fc.boolean(), fc.boolean()).map(([u, a, b]) => new Login(u, a || b)),
  fc.constant(new LoginAgain()),
  user.map((u) => new LoginAgainWith(u)),
  user.map((u) => new LoginAs(u)),
  fc.constantFrom<Logout['how']>('this device', 'this device', 'all devices', 'localOnly').map((how) => new Logout(how)),
  fc.constantFrom<FreshJwt['form']>('freshJwt()', 'freshJwt({ rejectedToken })', 'freshJwt(false)', 'withFreshJwt').map((form) => new FreshJwt(form)),
  fc.constant(new AppRequest()),
  fc.constantFrom(10, 300, 875, 905, 1805).map((seconds) => new Tick(seconds)),
  answer,
  answer,
  answer,
  answer,
  answer,
  answer,
];

export const SETTINGS: fc.Arbitrary<ModelSettings> = fc.record({
  tokensOptional: fc.boolean(),
  // A week (it never expires in a sequence), or half an hour (a clock move of 1805 s expires it).
  refreshTtlSeconds: fc.constantFrom(7 * 86_400, 7 * 86_400, 1800),
});

/** Runs `steps` on a fresh TestBed with `settings`, then answers everything and logs out, checking after every step. */
export function runSteps(
  settings: ModelSettings,
  steps: Iterable<Step>,
  { known = new Set<KnownDefect>(), tally = {} }: { known?: ReadonlySet<KnownDefect>; tally?: Tally } = {},
): void {
  count(tally, 'sequences');
  const run = new SessionRun(settings, known, tally);
  fc.modelRun(() => ({ model: run, real: run }), steps);
  run.finish();
}

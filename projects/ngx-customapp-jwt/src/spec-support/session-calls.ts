// The calls of JwtService that a run of the property spec follows (jwt.service.properties.spec.ts):
// what each one gave (`Seen`, recorded as it came), where the model has it (`Phase`) and what the
// model says it must end in (`Expected`).
import type { FakeJwtAuthResponse, FakeJwtUser } from 'ngx-customapp-jwt/testing';
import type { Observable } from 'rxjs';

export class InvariantViolation extends Error {
  constructor(
    readonly invariant: string,
    detail: string,
  ) {
    super(`${invariant}: ${detail}`);
    this.name = 'InvariantViolation';
  }
}

/** What a run of the property went through, to show that the steps meet each other. */
export type Tally = Record<string, number>;

export function count(tally: Tally, what: string): void {
  tally[what] = (tally[what] ?? 0) + 1;
}

/**
 * A session the client holds: whose it is, the server's session (`sid`) with the newest tokens the
 * client was given for it, and which session it is to the client (`lineage`): a refresh, or a login
 * again with credentials made in it, carries it on; a login or a login-as begins another.
 */
export interface Held {
  readonly sid: string;
  readonly lineage: number;
  readonly user: FakeJwtUser;
  readonly accessToken: string;
  readonly refreshToken: string;
}

export type OpKind =
  | 'login'
  | 'login again'
  | 'login again with'
  | 'login as'
  | 'logout'
  | 'logout localOnly'
  | 'freshJwt'
  | 'freshJwt(false)'
  | 'withFreshJwt'
  | 'request';

/**
 * Where the model has a call: waiting for a fresh token before its server call (not predicted: it
 * sends the call, or fails for want of a token), its server call sent, answered and waiting for the
 * logouts under way, settled as `expected` says, or free (a flow whose timing the README leaves
 * open: only checked against what may happen, until its server call goes out).
 */
export type Phase = 'awaiting call' | 'sent' | 'deferred' | 'settled' | 'free';

type ErrorClass = abstract new (...args: never[]) => unknown;

/** How a call must end; `why` says which promise says so, for the failure message. */
export type Expected =
  | { readonly ok: true; readonly value?: unknown }
  | { readonly ok: false; readonly errors: readonly ErrorClass[]; readonly why?: string };

export interface Seen {
  readonly values: unknown[];
  error: unknown;
  errored: boolean;
  completed: boolean;
  /** Events after the end, or values the invariants refuse, as they came. */
  readonly faults: string[];
}

/** One call of the service (or one request of the app), as the model follows it. */
export interface Op {
  readonly id: number;
  readonly kind: OpKind;
  readonly label: string;
  readonly seen: Seen;
  phase: Phase;
  expected?: Expected;
  verified: boolean;
  /** A login's user (`null` for a wrong password), a login-as target. */
  readonly user?: FakeJwtUser | null;
  readonly fromAllDevices?: boolean;
  /** The session a logout was called for. */
  readonly calledFor?: string | null;
  /** The session (as the model held it) current when the call was made. */
  readonly started: Held | null;
  /** The one retry after a token-expired answer was made. */
  retried: boolean;
  /** When it began to wait for a fresh token for its call (the calls of waiting logouts go out in this order). */
  awaitingSince: number;
  /** How many server calls it made. */
  calls: number;
  /** The answer of a login or login-as, applied now or once the logouts under way settle. */
  answer?: FakeJwtAuthResponse | { readonly user: FakeJwtUser };
}

export function createOp(
  id: number,
  kind: OpKind,
  label: string,
  at: Pick<Op, 'started'> & Partial<Pick<Op, 'user' | 'fromAllDevices' | 'calledFor'>>,
): Op {
  return {
    id,
    kind,
    label: `${label} #${id}`,
    seen: { values: [], error: undefined, errored: false, completed: false, faults: [] },
    phase: 'free',
    verified: false,
    retried: false,
    awaitingSince: 0,
    calls: 0,
    ...at,
  };
}

/** Subscribes to `source` and records what it gives in `op.seen`; `check` looks at the value, `failed` at the error, as they come. */
export function watch<T>(op: Op, source: Observable<T>, hooks: { check?: (value: T) => void; failed?: (error: unknown) => void } = {}): void {
  const { seen } = op;
  const ended = (event: string) => (seen.errored || seen.completed) && seen.faults.push(`${event} after it had ended`);
  source.subscribe({
    next: (value) => {
      ended('a value');
      seen.values.push(value);
      hooks.check?.(value);
    },
    error: (error: unknown) => {
      ended('an error');
      seen.errored = true;
      seen.error = error;
      hooks.failed?.(error);
    },
    complete: () => {
      ended('completion');
      seen.completed = true;
    },
  });
}

export function isDone(op: Op): boolean {
  return op.seen.errored || op.seen.completed;
}

/** Whether what `op` gave is what the model expected of it. */
export function matchesExpected(op: Op): boolean {
  const expected = op.expected as Expected;
  const { seen } = op;
  return expected.ok
    ? !seen.errored && seen.completed && (!('value' in expected) || JSON.stringify(seen.values[0]) === JSON.stringify(expected.value))
    : seen.errored && expected.errors.some((type) => seen.error instanceof type);
}

/** Whether `op`, free, failed as such a flow may: for want of a token, or (a request) with the server's failure. */
export function mayFailFree(op: Op, classes: { readonly noToken: ErrorClass; readonly http: ErrorClass }): boolean {
  const allowed = op.kind === 'request' ? [classes.noToken, classes.http] : op.kind === 'freshJwt' || op.kind === 'login again' ? [classes.noToken] : [];
  return allowed.some((type) => op.seen.error instanceof type);
}

export function describeExpected(op: Op): string {
  const expected = op.expected as Expected;
  if (expected.ok) return 'success';
  return `an error (${expected.errors.map((type) => type.name).join(' or ')})${expected.why ? `, as ${expected.why}` : ''}`;
}

export function describeSeen(op: Op): string {
  const { seen } = op;
  if (seen.errored) {
    const error = seen.error as { name?: string; message?: string } | undefined;
    return `${error?.name}: ${error?.message}`;
  }
  return seen.completed ? `success ${JSON.stringify(seen.values[0])?.slice(0, 80)}` : 'nothing yet';
}

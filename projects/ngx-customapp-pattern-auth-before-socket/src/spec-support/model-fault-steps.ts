// The faults the e2e-server's control API injects between steps: drops, restarts, refused
// reconnects, blackholes, expired tokens, revocations, a refused auth.
import type * as fc from 'fast-check';
import { control } from './e2e-server';
import { afterAuthorization, type Login, type Model, SIGNED_OUT, USER_IDS, invalidated } from './model';
import { ALL_PATHS, afterStep, blackhole, NO_CHANGE, type Real, tallyFault, untilClientNotices } from './model-step';

export class DropCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly how: 'drop' | 'restart',
    readonly path: string | undefined,
  ) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    tallyFault(r, this.how === 'restart' ? 'restart' : `drop (${this.path ?? 'every socket'})`);
    const paths = this.path ? [this.path] : ALL_PATHS;
    const noticed = untilClientNotices(r, paths, this.toString());
    await control(this.how === 'restart' ? 'restart' : this.path ? `drop?path=${this.path}` : 'drop');
    await noticed;
    return afterStep(m, r, m.current ? afterAuthorization(m) : [SIGNED_OUT]);
  }
  toString = () => (this.how === 'restart' ? 'restart()' : `drop(${this.path ?? ''})`);
}

/** Reconnects are refused (HTTP 503) for a while; with `thenDrop` every socket is cut at once, so that they are. */
export class RefuseCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly ms: number,
    readonly thenDrop: boolean,
  ) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    tallyFault(r, 'refuse reconnects');
    await control(`refuse?ms=${this.ms}`);
    if (!this.thenDrop) return afterStep(m, r, NO_CHANGE(m));
    tallyFault(r, 'drop (every socket)');
    const noticed = untilClientNotices(r, ALL_PATHS, 'the drop');
    await control('drop');
    await noticed;
    return afterStep(m, r, m.current ? afterAuthorization(m) : [SIGNED_OUT]);
  }
  toString = () => `refuse(${this.ms} ms${this.thenDrop ? ', then drop' : ''})`;
}

/** The server keeps the connections but reads and sends nothing; only the heartbeat finds out. */
export class BlackholeCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly ms: number,
    readonly path: string | undefined,
  ) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    tallyFault(r, 'blackhole');
    const paths = this.path ? [this.path] : ALL_PATHS;
    const noticed = untilClientNotices(r, paths, this.toString());
    await blackhole(m, this.ms, this.path);
    await noticed;
    return afterStep(m, r, m.current ? afterAuthorization(m) : [SIGNED_OUT]);
  }
  toString = () => `blackhole(${this.ms} ms${this.path ? `, ${this.path}` : ''})`;
}

/** Every access token issued so far counts as expired: open sockets close with 4419 and must refresh. */
export class ExpireTokensCommand implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    tallyFault(r, 'expire tokens');
    const noticed = untilClientNotices(r, ALL_PATHS, 'the expiry');
    await control('expire-tokens');
    await noticed;
    return afterStep(m, r, m.current ? afterAuthorization(m) : [SIGNED_OUT]);
  }
  toString = () => 'expireTokens()';
}

/** Every session of `user` is ended on the server without a word to its sockets. */
export class RevokeCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly user: Login) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    tallyFault(r, 'revoke');
    await control(`revoke?user=${USER_IDS[this.user]}`);
    const after = invalidated(m, this.user);
    m.current = after.current;
    m.stack = after.stack;
    return afterStep(m, r, NO_CHANGE(m));
  }
  toString = () => `revoke(${this.user})`;
}

/** The next socket auth is refused (TOKEN_INVALID, 4401). */
export class FailNextAuthCommand implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => !m.failNextAuth;
  async run(m: Model, r: Real): Promise<void> {
    tallyFault(r, 'fail next auth');
    await control('fail-next-auth');
    m.failNextAuth = true;
    return afterStep(m, r, NO_CHANGE(m));
  }
  toString = () => 'failNextAuth()';
}

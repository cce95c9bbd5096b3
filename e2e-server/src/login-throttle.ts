// Slows down password guessing: failed sign-ins are counted per login and per client address in a
// sliding window; past a limit, further attempts are refused (HTTP 429) before the password is
// checked, so a refusal says nothing about the password. Memory is bounded: a key's count holds at
// most its limit of timestamps, expired keys are pruned, and the number of keys is capped.

/** How many failed sign-ins are allowed, and over how long. */
export interface LoginThrottleLimits {
  /** Failed sign-ins with one login, from anywhere, within `windowMs`. Default 5. */
  maxFailuresPerLogin: number;
  /** Failed sign-ins from one client address (an IPv6 /64), any login, within `windowMs`. Default 20. */
  maxFailuresPerAddress: number;
  /** The sliding window. Default 60 000 ms. */
  windowMs: number;
  /** Logins, and addresses, tracked at most; past it the one that failed longest ago is forgotten. Default 10 000. */
  maxTrackedKeys: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleLimits = {
  maxFailuresPerLogin: 5,
  maxFailuresPerAddress: 20,
  windowMs: 60_000,
  maxTrackedKeys: 10_000,
};

/** A login longer than this is keyed by its start: no user has one, and a key's size stays bounded. */
const MAX_LOGIN_KEY_LENGTH = 128;

/** The outcome of {@link LoginThrottle.attempt}. */
export type LoginAttempt =
  | { allowed: false; retryAfterSeconds: number }
  | {
      allowed: true;
      /** The password was right: the attempt does not count as a failure. */
      succeeded(): void;
    };

/**
 * @example
 * const attempt = throttle.attempt(login, request.socket.remoteAddress);
 * if (!attempt.allowed) return tooManyRequests(attempt.retryAfterSeconds);
 * if (await passwordMatches()) attempt.succeeded();
 */
export class LoginThrottle {
  private readonly byLogin: SlidingWindowLog;
  private readonly byAddress: SlidingWindowLog;

  constructor(
    limits: LoginThrottleLimits = DEFAULT_LOGIN_THROTTLE,
    /** A monotonic clock in ms. */
    private readonly now: () => number = () => performance.now(),
  ) {
    this.byLogin = new SlidingWindowLog(limits.maxFailuresPerLogin, limits.windowMs, limits.maxTrackedKeys);
    this.byAddress = new SlidingWindowLog(limits.maxFailuresPerAddress, limits.windowMs, limits.maxTrackedKeys);
  }

  /** Forgets every failure counted so far (the control API's `reset`). */
  clear(): void {
    this.byLogin.clear();
    this.byAddress.clear();
  }

  /**
   * Whether this login from this address may try now. An allowed attempt is counted as failed at
   * once (so that concurrent guesses cannot slip past the limit together) until `succeeded()`.
   */
  attempt(login: string, address: string | undefined): LoginAttempt {
    const now = this.now();
    const loginKey = login.slice(0, MAX_LOGIN_KEY_LENGTH);
    const addressKey = clientAddressKey(address);
    const waitMs = Math.max(this.byLogin.waitMs(loginKey, now), this.byAddress.waitMs(addressKey, now));
    if (waitMs > 0) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    this.byLogin.add(loginKey, now);
    this.byAddress.add(addressKey, now);
    return {
      allowed: true,
      succeeded: () => {
        this.byLogin.remove(loginKey, now);
        this.byAddress.remove(addressKey, now);
      },
    };
  }

  /** Keys tracked now, logins and addresses (for tests of the bound). */
  get trackedKeys(): number {
    return this.byLogin.size + this.byAddress.size;
  }
}

/**
 * The key of a client address: IPv4 as it is (also when mapped into IPv6), IPv6 by its /64 prefix,
 * since one host commonly holds a whole /64. `X-Forwarded-For` is not read: a client could pick it.
 */
export function clientAddressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!address.includes(':')) return address;
  const bare = address.split('%')[0] ?? address;
  const [head = '', tail] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((group) => group.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** Per key, the times of the last failures within the window (at most `limit` of them), oldest first. */
class SlidingWindowLog {
  /** In order of last change, so the keys whose failures are oldest come first. */
  private readonly entries = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }

  /** How long until one more failure of this key is allowed; 0 when it is allowed now. */
  waitMs(key: string, now: number): number {
    const times = this.current(key, now);
    if (!times || times.length < this.limit) return 0;
    return (times[times.length - this.limit] as number) + this.windowMs - now;
  }

  add(key: string, now: number): void {
    this.prune(now);
    const times = this.current(key, now) ?? [];
    times.push(now);
    if (times.length > this.limit) times.splice(0, times.length - this.limit);
    this.entries.delete(key);
    this.entries.set(key, times);
    while (this.entries.size > this.maxKeys) this.entries.delete(this.entries.keys().next().value as string);
  }

  remove(key: string, time: number): void {
    const times = this.entries.get(key);
    if (!times) return;
    const index = times.lastIndexOf(time);
    if (index >= 0) times.splice(index, 1);
    if (times.length === 0) this.entries.delete(key);
  }

  /** The key's failures still within the window; an expired key is dropped. */
  private current(key: string, now: number): number[] | undefined {
    const times = this.entries.get(key);
    if (!times) return undefined;
    const firstLive = times.findIndex((time) => time > now - this.windowMs);
    if (firstLive === 0) return times;
    if (firstLive < 0) {
      this.entries.delete(key);
      return undefined;
    }
    times.splice(0, firstLive);
    return times;
  }

  /** Drops the keys at the front whose last failure has left the window. */
  private prune(now: number): void {
    for (const [key, times] of this.entries) {
      const last = times[times.length - 1];
      if (last !== undefined && last > now - this.windowMs) return;
      this.entries.delete(key);
    }
  }
}

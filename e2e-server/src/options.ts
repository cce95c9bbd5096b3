// The options of startServer() and their defaults, resolved in one place.
import { randomBytes } from 'node:crypto';
import type { Logger } from './logger.js';
import { silentLogger } from './logger.js';
import type { LoginThrottleLimits } from './login-throttle.js';
import { DEFAULT_LOGIN_THROTTLE } from './login-throttle.js';
import type { PushHistoryLimits } from './push-history.js';
import { DEFAULT_PUSH_HISTORY, assertLimits } from './push-history.js';

/** Options of {@link startServer}; every one has a default. */
export interface ServerOptions {
  /** TCP port; 0 picks a free one. Default 8080. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Enables the control API (`/__control/*`) and fault injection, and allows every localhost origin. Default false. */
  testMode?: boolean;
  /** Lifetime of access tokens. Default 900 (15 min). */
  accessTtlSeconds?: number;
  /** Lifetime of refresh tokens. Default 604800 (7 days). */
  refreshTtlSeconds?: number;
  /** How long a new socket may stay without a successful `auth`. Default 5000. */
  authTimeoutMs?: number;
  /** Largest WebSocket frame and HTTP body in bytes. Default 65536. */
  maxPayload?: number;
  /** Browser origins allowed to connect (exact, like `http://localhost:4200`; `*` allows any). */
  allowedOrigins?: readonly string[];
  /** HS256 secret for the JWTs. Default: random on every start. */
  secret?: string | Uint8Array;
  /** Where to report connections and failures. Default: silent. */
  logger?: Logger;
  /**
   * Failed sign-ins allowed before `POST /api/auth/login` answers 429: default 5 per login and 20 per
   * client address within 60 s, 10 000 logins and addresses tracked. Tests may pass small values
   * (`{ maxFailuresPerLogin: 2, windowMs: 500 }`); `Infinity` lifts a limit.
   */
  loginThrottle?: Partial<LoginThrottleLimits>;
  /**
   * How many recent pushes each subscription kind keeps for clients that subscribe again with
   * `since`: default 1000 and 5 min (`{ maxCount: 1000, maxAgeMs: 300000 }`), each a whole number
   * from 0 (keep none) to 100 000 pushes and 24 h. The control API's `history` changes them at run time.
   */
  pushHistory?: Partial<PushHistoryLimits>;
}

/** The origins a browser may connect from when none are configured: the demo app's dev server. */
export const DEFAULT_ALLOWED_ORIGINS: readonly string[] = ['http://localhost:4200', 'http://127.0.0.1:4200'];

export interface ResolvedOptions {
  port: number;
  host: string;
  testMode: boolean;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  authTimeoutMs: number;
  maxPayload: number;
  allowedOrigins: readonly string[];
  secret: Uint8Array;
  logger: Logger;
  loginThrottle: LoginThrottleLimits;
  pushHistory: PushHistoryLimits;
}

export function resolveOptions(options: ServerOptions = {}): ResolvedOptions {
  const resolved: ResolvedOptions = {
    port: options.port ?? 8080,
    host: options.host ?? '127.0.0.1',
    testMode: options.testMode ?? false,
    accessTtlSeconds: options.accessTtlSeconds ?? 15 * 60,
    refreshTtlSeconds: options.refreshTtlSeconds ?? 7 * 24 * 60 * 60,
    authTimeoutMs: options.authTimeoutMs ?? 5000,
    maxPayload: options.maxPayload ?? 64 * 1024,
    allowedOrigins: options.allowedOrigins ?? DEFAULT_ALLOWED_ORIGINS,
    secret: toSecret(options.secret),
    logger: options.logger ?? silentLogger,
    loginThrottle: resolveLoginThrottle(options.loginThrottle ?? {}),
    pushHistory: {
      maxCount: options.pushHistory?.maxCount ?? DEFAULT_PUSH_HISTORY.maxCount,
      maxAgeMs: options.pushHistory?.maxAgeMs ?? DEFAULT_PUSH_HISTORY.maxAgeMs,
    },
  };
  assertLimits(resolved.pushHistory);
  assertPositive('accessTtlSeconds', resolved.accessTtlSeconds);
  assertPositive('refreshTtlSeconds', resolved.refreshTtlSeconds);
  assertPositive('authTimeoutMs', resolved.authTimeoutMs);
  assertPositive('maxPayload', resolved.maxPayload);
  if (!Number.isInteger(resolved.port) || resolved.port < 0 || resolved.port > 65535) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${resolved.port}`);
  }
  return resolved;
}

function resolveLoginThrottle(limits: Partial<LoginThrottleLimits>): LoginThrottleLimits {
  const resolved: LoginThrottleLimits = {
    maxFailuresPerLogin: limits.maxFailuresPerLogin ?? DEFAULT_LOGIN_THROTTLE.maxFailuresPerLogin,
    maxFailuresPerAddress: limits.maxFailuresPerAddress ?? DEFAULT_LOGIN_THROTTLE.maxFailuresPerAddress,
    windowMs: limits.windowMs ?? DEFAULT_LOGIN_THROTTLE.windowMs,
    maxTrackedKeys: limits.maxTrackedKeys ?? DEFAULT_LOGIN_THROTTLE.maxTrackedKeys,
  };
  assertPositive('loginThrottle.maxFailuresPerLogin', resolved.maxFailuresPerLogin, { infinite: true });
  assertPositive('loginThrottle.maxFailuresPerAddress', resolved.maxFailuresPerAddress, { infinite: true });
  // A window and a key cap keep the memory bounded: both must be finite.
  assertPositive('loginThrottle.windowMs', resolved.windowMs);
  assertPositive('loginThrottle.maxTrackedKeys', resolved.maxTrackedKeys);
  return resolved;
}

function toSecret(secret: string | Uint8Array | undefined): Uint8Array {
  if (secret === undefined) return new Uint8Array(randomBytes(32));
  const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  if (bytes.length < 32) throw new RangeError('secret must be at least 32 bytes for HS256');
  return bytes;
}

function assertPositive(name: string, value: number, { infinite = false } = {}): void {
  if (Number.isNaN(value) || value <= 0 || (!infinite && !Number.isFinite(value))) {
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  }
}

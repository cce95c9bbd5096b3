/**
 * Where the package reads the time, so tests can move it by hand instead of sleeping.
 *
 * @example
 * let now = Date.UTC(2030, 0, 1);
 * providers: [{ provide: JWT_CLOCK, useValue: { now: () => now } }];
 */
export interface JwtClock {
  /** Milliseconds since the epoch, like `Date.now()`. */
  now(): number;
}

/**
 * The default clock: `Date.now()`.
 *
 * @example
 * const skewed: JwtClock = { now: () => systemJwtClock.now() + serverOffsetMs };
 */
export const systemJwtClock: JwtClock = { now: () => Date.now() };

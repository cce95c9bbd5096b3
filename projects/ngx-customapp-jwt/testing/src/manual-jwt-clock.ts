import type { JwtClock } from 'ngx-customapp-jwt';

/**
 * A clock that moves only when told to, so tests reach a token's expiry without waiting.
 *
 * @example
 * const clock = new ManualJwtClock();
 * TestBed.configureTestingModule({ providers: [{ provide: JWT_CLOCK, useValue: clock }] });
 * clock.tick(15 * 60_000); // the access token now expires within the skew
 */
export class ManualJwtClock implements JwtClock {
  /** @param time where the clock starts, ms since the epoch (default 2030-01-01T00:00:00Z). */
  constructor(private time = Date.UTC(2030, 0, 1)) {}

  now(): number {
    return this.time;
  }

  /** Moves the clock forward by `ms` milliseconds. */
  tick(ms: number): void {
    this.time += ms;
  }

  /** Sets the clock to `time`, ms since the epoch. */
  set(time: number): void {
    this.time = time;
  }
}

/** Options of {@link exponentialBackoff}. */
export interface ExponentialBackoffOptions {
  /** The ceiling of the first delay, in ms. Default 500. */
  initialDelay?: number;
  /** The largest ceiling any delay may have, in ms. Default 30 000. */
  maxDelay?: number;
  /** How much the ceiling grows per attempt. Default 2. */
  factor?: number;
  /** A source of numbers in [0, 1); injectable so tests are deterministic. Default `Math.random`. */
  random?: () => number;
}

/**
 * Exponential backoff with full jitter: attempt `n` (from 1) waits a random time between 0 and
 * `min(maxDelay, initialDelay * factor^(n-1))`. Full jitter spreads the reconnects of many clients
 * after a server restart instead of having them all come back at the same instant.
 * This is the controller's default reconnect interval.
 *
 * @example
 * const delay = exponentialBackoff({ initialDelay: 500, maxDelay: 30_000 });
 * controller.open({ autoReconnect: { interval: ({ attempt }) => delay(attempt) } });
 */
export function exponentialBackoff(options: ExponentialBackoffOptions = {}): (attempt: number) => number {
  const { initialDelay = 500, maxDelay = 30_000, factor = 2, random = Math.random } = options;
  return (attempt: number) => {
    const exponent = Math.max(0, attempt - 1);
    const ceiling = Math.min(maxDelay, initialDelay * Math.pow(factor, exponent));
    return Math.floor(random() * ceiling);
  };
}

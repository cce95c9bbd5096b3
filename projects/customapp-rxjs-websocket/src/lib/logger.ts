/**
 * Where the controller reports what it does. Silent by default: pass your own to see it.
 *
 * @example
 * new WebSocketController({ url, logger: { debug: () => {}, info: () => {}, warn: (m, d) => myLog.warn(m, d), error: (m, d) => myLog.error(m, d) } });
 */
export interface WebSocketLogger {
  debug(message: string, details?: unknown): void;
  info(message: string, details?: unknown): void;
  warn(message: string, details?: unknown): void;
  error(message: string, details?: unknown): void;
}

const ignore = (): void => undefined;

/** The default logger: says nothing. */
export const silentLogger: WebSocketLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

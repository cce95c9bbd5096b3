/**
 * Where the package reports what it does (a refresh, discarded storage, a failing hook). Silent by
 * default: provide your own under `JWT_LOGGER` to see it.
 *
 * @example
 * providers: [{ provide: JWT_LOGGER, useValue: { debug: () => {}, warn: (m, d) => log.warn(m, d), error: (m, d) => log.error(m, d) } }];
 */
export interface JwtLogger {
  debug(message: string, details?: unknown): void;
  warn(message: string, details?: unknown): void;
  error(message: string, details?: unknown): void;
}

const ignore = (): void => undefined;

/**
 * The default logger: says nothing.
 *
 * @example
 * const verbose: JwtLogger = { ...silentJwtLogger, warn: (message, details) => myLog.warn(message, details) };
 */
export const silentJwtLogger: JwtLogger = { debug: ignore, warn: ignore, error: ignore };

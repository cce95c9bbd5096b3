// The logger the server's modules accept. Library code never writes to the console by itself:
// only main.ts passes a console-backed logger.

/** Where the server reports what it does; every method is optional to implement as a no-op. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** The default logger: says nothing. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

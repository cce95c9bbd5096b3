/**
 * The base of every error this package throws, so `catchError` can tell ours from others.
 *
 * @example
 * sockets.init().pipe(catchError((e) => (e instanceof AuthBeforeSocketError ? EMPTY : throwError(() => e))));
 */
export class AuthBeforeSocketError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The package was set up wrongly: set up twice, no sockets in the chain, two sockets with one id.
 *
 * @example
 * expect(() => provideAuthBeforeSocket({ chain: { sockets: [] } })).toThrowError(AuthBeforeSocketConfigError);
 */
export class AuthBeforeSocketConfigError extends AuthBeforeSocketError {}

/**
 * An `init()` ended before the sockets were ready because something newer took over: another
 * `init()` (a new login) or `closeAll()` (a logout).
 *
 * @example
 * sockets.init().subscribe({ error: (e) => e instanceof SocketsInitAbortedError && e.by === 'closeAll' && goToLogin() });
 */
export class SocketsInitAbortedError extends AuthBeforeSocketError {
  constructor(readonly by: 'init' | 'closeAll') {
    super(
      by === 'init'
        ? 'The sockets were not opened: a newer initialization (another login) superseded this one.'
        : 'The sockets were closed (a logout) before they were ready.',
    );
  }
}

/**
 * Turns any failure into a sentence for a person; errored actions carry it as `error`.
 *
 * @example
 * socketsErrorMessage(new AuthRejectedError(undefined, 'TOKEN_INVALID')); // 'The server refused the socket's authorization: …'
 */
export function socketsErrorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string' && error.trim()) return error;
  try {
    const text = JSON.stringify(error);
    if (text && text !== '{}') return text;
  } catch {
    // Fall through to the generic message.
  }
  return 'Unknown error.';
}

/**
 * Prefixes a socket's error with its id, so a message names the socket it is about.
 */
export function socketErrorMessage(socketId: string, error: unknown): string {
  return `Socket "${socketId}": ${socketsErrorMessage(error)}`;
}

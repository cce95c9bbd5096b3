/**
 * What the controller does after the socket closed without `close()` being called. Every decision about
 * close codes is made here and nowhere else.
 */
export type CloseDecision =
  /** Stop for good: a reconnect would fail the same way. `closedForever$` emits. */
  | 'stop'
  /** The token expired: reconnect at once, asking the auth request for a renewed token. */
  | 'renewToken'
  /** A transient failure: reconnect after the backoff, if the open options allow it. */
  | 'reconnect';

/** The close-code lists the decision reads (from the controller's config, with defaults applied). */
export interface ClosePolicy {
  readonly fatalCloseCodes: readonly number[];
  readonly tokenExpiredCloseCodes: readonly number[];
}

/**
 * Classifies a close the client did not ask for.
 *
 * @example
 * classifyClose(4401, policy); // 'stop'
 * classifyClose(1006, policy); // 'reconnect'
 */
export function classifyClose(code: number, policy: ClosePolicy): CloseDecision {
  // The configured fatal codes (auth refused, forbidden, policy violation, ...): the same credentials
  // and the same client would be refused again, so reconnecting would only loop.
  if (policy.fatalCloseCodes.includes(code)) return 'stop';
  // "Token expired": the server accepted us once, only the token aged. A renewed token fixes it, so
  // reconnect without waiting; the controller stops if it happens again before an auth succeeds.
  if (policy.tokenExpiredCloseCodes.includes(code)) return 'renewToken';
  // Everything else is worth another try after a backoff: 1006 (the network dropped, no close frame),
  // 1001 (server going away), 1011 (server error), 1012/1013 (restart, try again later), 1000 from the
  // server (it ended the connection but did not say we are unwelcome), and unknown application codes.
  return 'reconnect';
}

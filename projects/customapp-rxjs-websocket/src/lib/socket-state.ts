/**
 * The one state of a {@link WebSocketController}. It moves
 * `closed → pending → opened → authorized → subscribed → closing → closed`; a failure at any point
 * goes straight to `closed` (and from there maybe `pending` again, when a reconnect is due).
 */
export enum SocketState {
  /** No socket. A reconnect may be scheduled (see `WebSocketController.reconnecting`). */
  closed = 'closed',
  /** The WebSocket is being created and its handshake is in progress. */
  pending = 'pending',
  /** The handshake is done; the auth request (if any) is on its way. */
  opened = 'opened',
  /** The server accepted the auth request (or none was configured). Subscriptions are on their way. */
  authorized = 'authorized',
  /** Every subscription request was acknowledged: the socket is fully usable. */
  subscribed = 'subscribed',
  /** `close()` was called and the closing handshake is in progress. */
  closing = 'closing',
}

/** One move of the state machine, as emitted by `WebSocketController.transitions$`. */
export interface SocketTransition {
  readonly from: SocketState;
  readonly to: SocketState;
}

/** What a message needs before it may be written to the socket. */
export type RequiredState = SocketState.opened | SocketState.authorized | SocketState.subscribed;

const readiness: Record<SocketState, number> = {
  [SocketState.closed]: 0,
  [SocketState.closing]: 0,
  [SocketState.pending]: 0,
  [SocketState.opened]: 1,
  [SocketState.authorized]: 2,
  [SocketState.subscribed]: 3,
};

/** Whether a socket in `state` may carry a message that needs `required`. */
export function isStateReached(state: SocketState, required: RequiredState): boolean {
  return readiness[state] >= readiness[required];
}

import { Observable, Subscriber } from 'rxjs';

/** Options of `WebSocketController.subscription`. */
export interface LiveSubscriptionOptions<Req> {
  /**
   * Whether the server answers the subscription request. Default `true`. When `false` it counts as
   * accepted once written (the rule of `SubscribeConfig.expectsResponse`) and emits `undefined`.
   */
  expectsResponse?: boolean;
  /** The message that ends the subscription on the server (stop, leave, unsubscribe), sent when you unsubscribe. */
  unsubscribe?: Req;
  /** Whether the server answers `unsubscribe` (its answer is then awaited and kept off `messages$`). Default `false`. */
  unsubscribeExpectsResponse?: boolean;
}

/** A subscription added while the socket lives: re-sent by every handshake until it is removed or refused. */
export class LiveSubscription<Req, Res> {
  /** The connection on which the server last accepted it (its `unsubscribe` is only sent there). */
  acceptedOn: unknown;
  /** The request it was last created as (before any resuming), once sent. */
  lastRequest?: Req;

  constructor(
    /** Creates the subscription request anew for every connection (so a per-subscription token is fresh). */
    readonly create: () => Observable<Req>,
    readonly expectsResponse: boolean,
    private readonly subscriber: Subscriber<Res | undefined>,
    private readonly forget: (subscription: LiveSubscription<Req, Res>) => void,
    private readonly connection: () => unknown,
  ) {}

  /** The server accepted it on the current connection. */
  accept(response: Res | undefined): void {
    this.acceptedOn = this.connection();
    this.subscriber.next(response);
  }

  /** The server refused it (or it cannot be made): it is removed and will not be re-sent. */
  refuse(error: Error): void {
    this.forget(this);
    this.subscriber.error(error);
  }
}

import { AsyncSubject, Subscription } from 'rxjs';
import { AuthContext, AutoReconnectOptions, WebSocketLike } from './config';

/** What `open()` resolves to once the socket is first subscribed. */
export interface OpenResult<Res> {
  readonly authResponse: Res | undefined;
  readonly subscribeResponses: readonly Res[];
}

/** The state of one `open()` until `close()` or a fatal stop: the reconnect policy and its counters. */
export class Session<Res> {
  /** Connections in a row that ended before being subscribed. */
  attempt = 0;
  connections = 0;
  /** The last connection was closed with a "token expired" code and no auth succeeded since. */
  tokenExpired = false;
  /** The auth response of the last connection that was authorized (`AuthContext.previousAuthResponse`). */
  lastAuthResponse: Res | undefined;
  reconnectTimer?: Subscription;
  /** What the latest `open()` returned: settles once subscribed, or when the controller stops first. */
  result = new AsyncSubject<OpenResult<Res>>();
  settled = false;
  readonly subscriptions = new Subscription();

  constructor(public autoReconnect: Required<AutoReconnectOptions> | false) {}

  /** `open()` again while waiting to reconnect: its policy applies from now, and its result is the next subscription's. */
  reopen(autoReconnect: Required<AutoReconnectOptions> | false): void {
    this.autoReconnect = autoReconnect;
    if (!this.settled) return;
    this.result = new AsyncSubject<OpenResult<Res>>();
    this.settled = false;
  }

  dispose(): void {
    this.reconnectTimer?.unsubscribe();
    this.reconnectTimer = undefined;
    this.subscriptions.unsubscribe();
  }
}

/** One WebSocket and everything that lives exactly as long as it does. */
export class Connection<Res> {
  readonly subscriptions = new Subscription();
  authResponse: Res | undefined;
  /** Whether it got subscribed (`ReconnectState.wasPrevOpenSuccessful` once it ends). */
  subscribed = false;
  /**
   * `reauthorize()` calls made while its auth was under way (its auth request may carry the token
   * being replaced): they run once it is authorized, and complete if it ends first.
   */
  reauthorizeOnceAuthorized: AsyncSubject<Res | undefined>[] = [];

  constructor(readonly ws: WebSocketLike, readonly context: AuthContext<Res>) {}

  /** Stops listening to the socket; its events no longer reach the controller. */
  detach(): void {
    for (const waiting of this.reauthorizeOnceAuthorized) waiting.complete();
    this.reauthorizeOnceAuthorized = [];
    this.subscriptions.unsubscribe();
    this.ws.onopen = null;
    this.ws.onmessage = null;
    this.ws.onerror = null;
    this.ws.onclose = null;
  }
}

import type { WebSocketCtor, WebSocketLike } from 'customapp-rxjs-websocket';

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/**
 * A WebSocket whose server side the test scripts: accept the handshake, push frames, close, drop.
 * Nothing happens on its own, so a test decides every event and its order.
 *
 * @example
 * const sockets = new FakeSockets();
 * const controller = new WebSocketController({ url: 'ws://test', WebSocketCtor: sockets.Ctor });
 * controller.open();
 * sockets.last.accept();
 * sockets.last.receive(JSON.stringify({ id: 1, ok: true }));
 */
export class FakeWebSocket implements WebSocketLike {
  readyState = CONNECTING;
  protocol = '';
  binaryType = 'blob';
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  /** Every frame the client sent, in order. */
  readonly sent: unknown[] = [];
  /** The code and reason of the client's `close()`, once called. */
  closedByClient?: { code?: number; reason?: string };

  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
    /** The constructor's third argument (what `createSocketOptions` made), as the `ws` package takes it. */
    readonly options?: unknown,
  ) {}

  /** The sent text frames, parsed as JSON. */
  get sentJson(): unknown[] {
    return this.sent.map((frame) => JSON.parse(frame as string));
  }

  /** Whether the client left any handler attached. */
  get hasListeners(): boolean {
    return !!(this.onopen || this.onmessage || this.onclose || this.onerror);
  }

  send(data: unknown): void {
    if (this.readyState !== OPEN) throw new Error(`InvalidStateError: send() while readyState is ${this.readyState}`);
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    if (this.readyState === CLOSING || this.readyState === CLOSED) return;
    this.closedByClient = { code, reason };
    this.readyState = CLOSING;
  }

  // ------------------------------------------------------------ the scripted server side

  /** Completes the handshake (with the subprotocol the server picked). */
  accept(protocol = ''): void {
    this.protocol = protocol;
    this.readyState = OPEN;
    this.onopen?.({ type: 'open' });
  }

  /** Delivers a frame from the server. */
  receive(data: unknown): void {
    this.onmessage?.({ data });
  }

  /** Delivers a JSON text frame from the server. */
  receiveJson(message: unknown): void {
    this.receive(JSON.stringify(message));
  }

  /** The server closes the connection with a code (a clean close). */
  serverClose(code: number, reason = ''): void {
    this.finish(code, reason, true);
  }

  /** The connection breaks without a close frame (1006), as a network failure would. */
  drop(): void {
    this.onerror?.({ type: 'error' });
    this.finish(1006, '', false);
  }

  /** The server answers the client's `close()`: the close event fires with the client's code. */
  acknowledgeClose(): void {
    if (!this.closedByClient) throw new Error('the client did not call close()');
    this.finish(this.closedByClient.code ?? 1005, this.closedByClient.reason ?? '', true);
  }

  private finish(code: number, reason: string, wasClean: boolean): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.onclose?.({ code, reason, wasClean });
  }
}

/**
 * A WebSocket constructor for tests plus every socket it made, so each test has its own.
 *
 * @example
 * const sockets = new FakeSockets();
 * new WebSocketController({ url: 'ws://test', WebSocketCtor: sockets.Ctor }).open();
 * expect(sockets.all.length).toBe(1);
 */
export class FakeSockets {
  /** Every socket made, oldest first. */
  readonly all: FakeWebSocket[] = [];
  /** Pass this as `WebSocketCtor`. */
  readonly Ctor: WebSocketCtor;
  /** When set, the constructor throws it (as a browser does for a malformed URL). */
  failNextWith?: Error;

  constructor() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const registry = this;
    this.Ctor = class extends FakeWebSocket {
      constructor(url: string, protocols?: string | string[], options?: unknown) {
        const failure = registry.failNextWith;
        registry.failNextWith = undefined;
        if (failure) throw failure;
        super(url, protocols, options);
        registry.all.push(this);
      }
    };
  }

  /** The newest socket. */
  get last(): FakeWebSocket {
    const socket = this.all[this.all.length - 1];
    if (!socket) throw new Error('no socket was created');
    return socket;
  }
}

// The browser's WebSocket, recording: every connection the package opens, every frame it sends
// (decoded), and for each auth or reauth request whose identity its token carries next to the
// identity that was current when it was sent. Given to the package through SOCKETS_WEBSOCKET_CTOR.
import type { WebSocketCtor } from 'customapp-rxjs-websocket';
import { decodeJwtPayload } from 'ngx-customapp-jwt';
import { type api, decodeRequest, decodeResponse } from '../../../../e2e-server/src/protocol';

/** Whom a token speaks for: its user and its sign-in session. */
export interface Identity {
  readonly user: string;
  readonly session: string;
}

/** The identity a token carries, or undefined when it is not a JWT of ours. */
export function identityOf(token: string | null | undefined): Identity | undefined {
  if (!token) return undefined;
  const claims = decodeJwtPayload(token) as { sub?: unknown; sid?: unknown } | null;
  return typeof claims?.sub === 'string' && typeof claims.sid === 'string' ? { user: claims.sub, session: claims.sid } : undefined;
}

/** One socket the package opened. */
export interface RecordedConnection {
  readonly number: number;
  readonly path: string;
  readonly ws: WebSocket;
  readonly openedAt: number;
  /** When the package called close() on it, if it did. */
  closeCalledAt?: number;
  /** When it last received a frame, if it did. */
  lastReceivedAt?: number;
  /** When its close event came, and the code. */
  closedAt?: number;
  closeCode?: number;
  /** The identity of its last accepted auth. */
  authorizedAs?: Identity;
  /** The auth request waiting for its answer. */
  pendingAuth?: { readonly id: number; readonly identity: Identity | undefined };
}

/** One frame the package sent. */
export interface SentFrame {
  readonly connection: RecordedConnection;
  readonly at: number;
  readonly request: api.Request;
}

/** An auth or reauth whose token was not of the identity current when it was sent. */
export interface StaleTokenFrame {
  readonly frame: SentFrame;
  readonly carried: Identity | undefined;
  readonly current: Identity | undefined;
}

export class FrameRecorder {
  readonly connections: RecordedConnection[] = [];
  readonly frames: SentFrame[] = [];
  readonly staleTokens: StaleTokenFrame[] = [];
  /** Auth and reauth requests seen, for the report. */
  tokensChecked = 0;
  /** Called at every auth or reauth: the identity current now (JwtService's access token). */
  currentIdentity: () => Identity | undefined = () => undefined;
  /** Request ids sent, by path and id: when each was last written. */
  private readonly sentAt = new Map<string, number>();

  /** The constructor to give the package. */
  readonly Ctor: WebSocketCtor = this.recordingCtor();

  /** When the request with this id went out on the socket of `path` (the last time, if its id was reused). */
  sentTime(path: string, id: number): number | undefined {
    return this.sentAt.get(`${path}#${id}`);
  }

  /** Connections the package still holds open (not closed and not being closed by it). */
  openConnections(): RecordedConnection[] {
    return this.connections.filter((c) => c.closedAt === undefined && c.closeCalledAt === undefined);
  }

  /** Connections whose close event has not come yet. */
  unclosedConnections(): RecordedConnection[] {
    return this.connections.filter((c) => c.closedAt === undefined);
  }

  private recordingCtor(): WebSocketCtor {
    const recorder = this;
    return class RecordingWebSocket extends WebSocket {
      private readonly record: RecordedConnection;

      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        this.record = { number: recorder.connections.length + 1, path: new URL(String(url)).pathname, ws: this, openedAt: performance.now() };
        recorder.connections.push(this.record);
        this.addEventListener('close', (event) => {
          this.record.closedAt = performance.now();
          this.record.closeCode = event.code;
        });
        this.addEventListener('message', (event: MessageEvent) => recorder.received(this.record, event.data));
      }

      override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
        recorder.sent(this.record, data);
        super.send(data);
      }

      override close(code?: number, reason?: string): void {
        this.record.closeCalledAt ??= performance.now();
        super.close(code, reason);
      }
    } as unknown as WebSocketCtor;
  }

  private sent(connection: RecordedConnection, data: unknown): void {
    if (!(data instanceof ArrayBuffer || ArrayBuffer.isView(data))) return;
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const request = decodeRequest(bytes);
    const frame: SentFrame = { connection, at: performance.now(), request };
    this.frames.push(frame);
    this.sentAt.set(`${connection.path}#${request.id}`, frame.at);
    const token = request.auth?.accessToken ?? request.reauth?.accessToken;
    if (token === undefined || token === null) return;
    this.tokensChecked += 1;
    const carried = identityOf(token);
    if (request.auth) connection.pendingAuth = { id: request.id, identity: carried };
    const current = this.currentIdentity();
    if (!carried || !current || carried.user !== current.user || carried.session !== current.session) {
      this.staleTokens.push({ frame, carried, current });
    }
  }

  /** When it came, and of the answers only the auth's: whom the socket now speaks for. */
  private received(connection: RecordedConnection, data: unknown): void {
    connection.lastReceivedAt = performance.now();
    const pending = connection.pendingAuth;
    if (!pending || !(data instanceof ArrayBuffer)) return;
    const response = decodeResponse(new Uint8Array(data));
    if (response.id !== pending.id) return;
    connection.pendingAuth = undefined;
    if (response.auth) connection.authorizedAs = pending.identity;
  }
}

// The HTTP upgrade to a WebSocket: which path, which subprotocol, which origin; then one
// SocketSession per accepted connection.
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Endpoint } from './access-policy.js';
import { CloseCode, HttpErrorCode } from './codes.js';
import type { ConnectionRegistry, RegisteredSocket } from './connection-registry.js';
import type { Dialect } from './dialects/dialect.js';
import type { Faults } from './faults.js';
import type { OriginPolicy } from './origin-policy.js';
import { Subprotocol, encodingOf } from './protocol.js';
import type { SocketContext } from './socket-session.js';
import { SocketSession } from './socket-session.js';

/** The socket endpoints by path. */
export const SOCKET_PATHS: Readonly<Record<string, Endpoint>> = { '/ws': 'main', '/ws/notifications': 'notifications' };

/** `/dialects/<name>` and anything below it (a dialect may have several endpoints). */
const DIALECT_PATH = /^\/dialects\/([a-z0-9-]+)(?:\/|$)/;

const SUPPORTED: ReadonlySet<string> = new Set(Object.values(Subprotocol));

export interface GatewayOptions {
  maxPayload: number;
  registry: ConnectionRegistry;
  faults: Faults;
  origins: OriginPolicy;
  context: SocketContext;
  /** The dialect endpoints, served at `/dialects/<name>` and below. */
  dialects: readonly Dialect[];
}

export class SocketGateway {
  private readonly wss: WebSocketServer;
  /** Dialects speak JSON text with no subprotocol of their own: a plain server, `ws` validates UTF-8. */
  private readonly dialectWss: WebSocketServer;
  private readonly dialectsByName: ReadonlyMap<string, Dialect>;
  private accepting = true;

  constructor(private readonly options: GatewayOptions) {
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: options.maxPayload,
      // Text frames are decoded by the session, so that bad UTF-8 is a MALFORMED error like any other.
      skipUTF8Validation: true,
      // The client's first supported choice; none offered means protobuf.
      handleProtocols: (offered) => [...offered].find((protocol) => SUPPORTED.has(protocol)) ?? false,
    });
    this.dialectWss = new WebSocketServer({ noServer: true, clientTracking: false, perMessageDeflate: false, maxPayload: options.maxPayload });
    this.dialectsByName = new Map(options.dialects.map((dialect) => [dialect.name, dialect]));
  }

  /** The `upgrade` listener of the HTTP server. */
  readonly handleUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const endpoint = SOCKET_PATHS[path];
    const dialect = this.dialectsByName.get(DIALECT_PATH.exec(path)?.[1] ?? '');
    if (!this.accepting) return reject(socket, 503, 'The server is shutting down.');
    if (!endpoint && !dialect) return reject(socket, 404, 'No WebSocket endpoint here: use /ws, /ws/notifications or /dialects/<name>.');
    if (this.options.faults.refusingUpgrades) return reject(socket, 503, 'Upgrades are refused for now (fault injection).');
    if (dialect) {
      this.dialectWss.handleUpgrade(request, socket, head, (ws) => this.admit(dialect.accept(ws, request), request, path));
      return;
    }
    const offered = parseProtocols(request.headers['sec-websocket-protocol']);
    if (offered.length > 0 && !offered.some((protocol) => SUPPORTED.has(protocol))) {
      return reject(socket, 400, `Unsupported subprotocol: offer ${Subprotocol.Protobuf} or ${Subprotocol.Json}.`);
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      this.admit(new SocketSession(ws, endpoint, encodingOf(ws.protocol), this.options.context), request, path);
    });
  };

  /** Tracks an accepted socket, and closes it at once when its browser Origin is not allowed. */
  private admit(socket: RegisteredSocket, request: IncomingMessage, path: string): void {
    this.options.registry.add(socket, path);
    if (!this.options.origins.allows(request.headers.origin)) socket.closeNow(CloseCode.OriginNotAllowed, 'origin not allowed');
  }

  /** Refuses every later upgrade (used while shutting down). */
  stopAccepting(): void {
    this.accepting = false;
  }

  close(): Promise<void> {
    this.accepting = false;
    for (const dialect of this.options.dialects) dialect.close?.();
    const closing = [this.wss, this.dialectWss].map((wss) => new Promise<void>((resolve) => wss.close(() => resolve())));
    return Promise.all(closing).then(() => undefined);
  }
}

function parseProtocols(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((protocol) => protocol.trim())
    .filter((protocol) => protocol.length > 0);
}

const REJECTION_CODES: Readonly<Record<number, HttpErrorCode>> = {
  400: HttpErrorCode.BAD_REQUEST,
  404: HttpErrorCode.NOT_FOUND,
  503: HttpErrorCode.UNAVAILABLE,
};

function reject(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: { code: REJECTION_CODES[status] ?? HttpErrorCode.INTERNAL, message } });
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Connection: close\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

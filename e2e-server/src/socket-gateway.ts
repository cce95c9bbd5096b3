// The HTTP upgrade to a WebSocket: which path, which subprotocol, which origin; then one
// SocketSession per accepted connection.
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Endpoint } from './access-policy.js';
import { CloseCode, HttpErrorCode } from './codes.js';
import type { ConnectionRegistry } from './connection-registry.js';
import type { Faults } from './faults.js';
import type { OriginPolicy } from './origin-policy.js';
import { Subprotocol, encodingOf } from './protocol.js';
import type { SocketContext } from './socket-session.js';
import { SocketSession } from './socket-session.js';

/** The socket endpoints by path. */
export const SOCKET_PATHS: Readonly<Record<string, Endpoint>> = { '/ws': 'main', '/ws/notifications': 'notifications' };

const SUPPORTED: ReadonlySet<string> = new Set(Object.values(Subprotocol));

export interface GatewayOptions {
  maxPayload: number;
  registry: ConnectionRegistry;
  faults: Faults;
  origins: OriginPolicy;
  context: SocketContext;
}

export class SocketGateway {
  private readonly wss: WebSocketServer;
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
  }

  /** The `upgrade` listener of the HTTP server. */
  readonly handleUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const endpoint = SOCKET_PATHS[new URL(request.url ?? '/', 'http://localhost').pathname];
    if (!this.accepting) return reject(socket, 503, 'The server is shutting down.');
    if (!endpoint) return reject(socket, 404, 'No WebSocket endpoint here: use /ws or /ws/notifications.');
    if (this.options.faults.refusingUpgrades) return reject(socket, 503, 'Upgrades are refused for now (fault injection).');
    const offered = parseProtocols(request.headers['sec-websocket-protocol']);
    if (offered.length > 0 && !offered.some((protocol) => SUPPORTED.has(protocol))) {
      return reject(socket, 400, `Unsupported subprotocol: offer ${Subprotocol.Protobuf} or ${Subprotocol.Json}.`);
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      const session = new SocketSession(ws, endpoint, encodingOf(ws.protocol), this.options.context);
      this.options.registry.add(session);
      if (!this.options.origins.allows(request.headers.origin)) {
        session.closeNow(CloseCode.OriginNotAllowed, 'origin not allowed');
      }
    });
  };

  /** Refuses every later upgrade (used while shutting down). */
  stopAccepting(): void {
    this.accepting = false;
  }

  close(): Promise<void> {
    this.accepting = false;
    return new Promise((resolve) => this.wss.close(() => resolve()));
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

// The `rooms` dialect (/dialects/rooms): a realtime CRUD server in the Socket.IO style. Frames are
// `{"event": NAME, "data": {...}}`; a socket authenticates with an access token, joins rooms with
// per-room tokens minted over HTTP, and gets a `realtime:resource` event for every change pushed
// to a room it joined. See PROTOCOL.md, "Dialect endpoints".
import type { WebSocket } from 'ws';
import { ACCESS_FAILURE_MESSAGES } from '../bearer-auth.js';
import type { Dialect, DialectContext, DialectFactory } from './dialect.js';
import type { JsonMessage } from './json-socket.js';
import { JsonSocketState } from './json-socket.js';
import type { ResourceEvent, RoomMember } from './room-hub.js';
import { RoomHub } from './room-hub.js';
import { roomAccess, roomTokenProblem } from './room-access.js';
import { roomsRoutes } from './rooms-api.js';
import { PrincipalSocket } from './token-socket.js';

export const ROOMS_DIALECT = 'rooms';

/** The events the server sends, with their data. */
interface ServerEvents {
  authenticated: { user: { id: string; login: string; name: string; role: string } };
  unauthorized: { error: string; code: string };
  'realtime:join:success': { name: string };
  'realtime:join:error': { name: string; error: string };
  'realtime:leave:success': { name: string };
  'realtime:leave:error': { name: string; error: string };
  'realtime:resource': ResourceEvent;
  error: { error: string };
}

const NOT_AUTHENTICATED = 'not authenticated';

/** Makes the `rooms` dialect. */
export const roomsDialect: DialectFactory = (context): Dialect => {
  const hub = new RoomHub();
  return {
    name: ROOMS_DIALECT,
    accept: (ws) => new RoomsSocket(ws, context, hub),
    routes: roomsRoutes({ auth: context.auth, secret: context.secret, maxPayload: context.maxPayload, hub }),
  };
};

/**
 * One connection to /dialects/rooms. Unlike TokenSocket's dialects, a refused token keeps the socket
 * open, a token of another user is accepted, and the token's expiry does not close the socket.
 */
class RoomsSocket extends PrincipalSocket implements RoomMember {
  private readonly rooms = new Set<string>();

  constructor(
    ws: WebSocket,
    context: DialectContext,
    private readonly hub: RoomHub,
  ) {
    super(ROOMS_DIALECT, ws, context, 'authenticate');
  }

  get subscriptionCount(): number {
    return this.rooms.size;
  }

  pushResource(event: ResourceEvent): boolean {
    return this.emit('realtime:resource', event);
  }

  protected handle(message: JsonMessage): void | Promise<void> {
    const { event, data = {} } = message;
    if (typeof event !== 'string') return this.malformed('A frame is {"event": NAME, "data": {...}}.');
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return this.malformed('"data" must be a JSON object.');
    const fields = data as JsonMessage;
    switch (event) {
      case 'authenticate':
        return this.authenticate(fields['token']);
      case 'realtime:join':
        return this.join(fields['name'], fields['token']);
      case 'realtime:leave':
        return this.leave(fields['name']);
      default:
        this.emit('error', { error: `Unknown event "${event}": send authenticate, realtime:join or realtime:leave.` });
    }
  }

  protected malformed(reason: string): void {
    this.emit('error', { error: reason });
  }

  protected released(): void {
    this.leaveAll();
  }

  /** Checks an access token; a valid one authenticates the socket (again, e.g. with a refreshed token). */
  private async authenticate(token: unknown): Promise<void> {
    if (typeof token !== 'string' || token === '') {
      this.emit('unauthorized', { error: 'The token is empty: send {"token": "<access token>"}.', code: 'TOKEN_INVALID' });
      return;
    }
    const result = await this.context.auth.authenticate(token);
    if (this.state !== JsonSocketState.Open) return;
    if (!result.ok) {
      this.emit('unauthorized', { error: ACCESS_FAILURE_MESSAGES[result.code], code: result.code });
      return;
    }
    // Rooms were granted to a user: another user starts with none.
    if (this.principal && this.principal.user.id !== result.value.user.id) this.leaveAll();
    this.actFor(result.value);
    const { id, login, name, role } = result.value.user;
    this.emit('authenticated', { user: { id, login, name, role } });
  }

  private async join(rawName: unknown, token: unknown): Promise<void> {
    const name = typeof rawName === 'string' ? rawName : '';
    const principal = this.principal;
    if (!principal) return void this.emit('realtime:join:error', { name, error: NOT_AUTHENTICATED });
    const access = roomAccess(rawName, principal.user.role);
    if (!access.allowed) return void this.emit('realtime:join:error', { name, error: access.message });
    const problem = await roomTokenProblem(this.context.secret, token, name, principal.user.id);
    if (this.state !== JsonSocketState.Open) return;
    if (problem) return void this.emit('realtime:join:error', { name, error: problem });
    this.rooms.add(name);
    this.hub.join(name, this);
    this.emit('realtime:join:success', { name });
  }

  private leave(rawName: unknown): void {
    const name = typeof rawName === 'string' ? rawName : '';
    if (!this.principal) return void this.emit('realtime:leave:error', { name, error: NOT_AUTHENTICATED });
    if (typeof rawName !== 'string') return void this.emit('realtime:leave:error', { name, error: 'A room name is required.' });
    this.rooms.delete(name);
    this.hub.leave(name, this);
    this.emit('realtime:leave:success', { name });
  }

  private leaveAll(): void {
    for (const room of this.rooms) this.hub.leave(room, this);
    this.rooms.clear();
  }

  private emit<E extends keyof ServerEvents>(event: E, data: ServerEvents[E]): boolean {
    return this.send({ event, data });
  }
}

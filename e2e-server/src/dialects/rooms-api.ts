// The HTTP side of the `rooms` dialect: per-room tokens, and the CRUD calls whose changes are
// pushed to the sockets in the room as `realtime:resource` events.
import type { AuthService } from '../auth-service.js';
import { principalOf } from '../bearer-auth.js';
import type { Routes } from '../http-util.js';
import { HttpError, readJsonObject } from '../http-util.js';
import type { RoleName } from '../users.js';
import type { ResourceEvent, RoomHub } from './room-hub.js';
import { roomAccess, signRoomToken } from './room-access.js';

export interface RoomsApiOptions {
  auth: AuthService;
  secret: Uint8Array;
  maxPayload: number;
  hub: RoomHub;
}

const ACTIONS: readonly string[] = ['created', 'updated', 'deleted'] satisfies ResourceEvent['action'][];

export function roomsRoutes({ auth, secret, maxPayload, hub }: RoomsApiOptions): Routes {
  return {
    '/api/dialects/rooms/token': {
      POST: async (request) => {
        const principal = await principalOf(auth, request);
        const body = await readJsonObject(request, maxPayload);
        const name = allowedRoom(body['name'], principal.user.role);
        return { status: 200, body: { token: await signRoomToken(secret, principal.user.id, name) } };
      },
    },

    '/api/dialects/rooms/resources': {
      POST: async (request) => {
        const principal = await principalOf(auth, request);
        const body = await readJsonObject(request, maxPayload);
        const room = allowedRoom(body['room'], principal.user.role);
        const { action, resource, type = defaultType(room) } = body;
        if (typeof action !== 'string' || !ACTIONS.includes(action)) {
          throw new HttpError(400, 'BAD_REQUEST', `"action" must be one of ${ACTIONS.join(', ')}.`);
        }
        if (!isResource(resource)) throw new HttpError(400, 'BAD_REQUEST', '"resource" must be an object with an "id" (string or number).');
        if (typeof type !== 'string' || type === '') {
          throw new HttpError(400, 'BAD_REQUEST', '"type", when given, must be a non-empty string.');
        }
        const event: ResourceEvent = { room, action: action as ResourceEvent['action'], path: `${room}/${resource.id}`, resource, type };
        return { status: 200, body: { delivered: hub.deliver(event) } };
      },
    },
  };
}

/** The room name, when the user may use it; 400 or 403 otherwise. */
function allowedRoom(name: unknown, role: RoleName): string {
  const access = roomAccess(name, role);
  if (!access.allowed) throw new HttpError(access.status, access.status === 403 ? 'FORBIDDEN' : 'BAD_REQUEST', access.message);
  return name as string;
}

/** The resource type when none is given: the room's last segment (`/menu` → `menu`). */
function defaultType(room: string): string {
  return room.split('/').filter((segment) => segment !== '').pop() ?? 'resource';
}

function isResource(value: unknown): value is Record<string, unknown> & { id: string | number } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const id = (value as Record<string, unknown>)['id'];
  return (typeof id === 'string' && id !== '') || (typeof id === 'number' && Number.isFinite(id));
}

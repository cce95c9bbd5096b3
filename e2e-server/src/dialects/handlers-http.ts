// The HTTP side of the `handlers` dialect: items are changed over HTTP (the original server is fed
// by a database), and every change reaches the watching sockets.
import type { IncomingMessage } from 'node:http';
import type { AuthService } from '../auth-service.js';
import { principalOf } from '../bearer-auth.js';
import type { Reply, Routes } from '../http-util.js';
import { HttpError, readJsonObject } from '../http-util.js';
import type { User } from '../users.js';
import type { Item, ResourceStore, ResourceType } from './handlers-store.js';
import { RESOURCE_TYPES, isScalar, maySee } from './handlers-store.js';

export interface HandlersRoutesOptions {
  auth: AuthService;
  store: ResourceStore;
  maxPayload: number;
}

/** `POST /api/dialects/handlers/<type>` with `{op: "put", item}` or `{op: "delete", id}`. */
export function handlersRoutes({ auth, store, maxPayload }: HandlersRoutesOptions): Routes {
  const routes = RESOURCE_TYPES.map((type) => {
    const change = async (request: IncomingMessage): Promise<Reply> => {
      const { user } = await principalOf(auth, request);
      const body = await readJsonObject(request, maxPayload);
      switch (body['op']) {
        case 'put':
          return { status: 200, body: { item: put(store, type, user, body['item']) } };
        case 'delete':
          return { status: 200, body: { deleted: remove(store, type, user, body['id']) } };
        default:
          throw badRequest('The body needs "op": "put" (with "item") or "delete" (with "id").');
      }
    };
    return [`/api/dialects/handlers/${type}`, { POST: change }] as const;
  });
  return Object.fromEntries(routes);
}

function put(store: ResourceStore, type: ResourceType, user: User, item: unknown): Item {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) throw badRequest('The body needs "item": {id?, name, owner?, ...}.');
  const { id, name, owner, ...extra } = item as Record<string, unknown>;
  if (id !== undefined && (typeof id !== 'string' || id === '')) throw badRequest('item.id must be a non-empty string when given.');
  if (typeof name !== 'string' || name.trim() === '') throw badRequest('item.name must be a non-empty string.');
  if (owner !== undefined && (typeof owner !== 'string' || owner === '')) throw badRequest('item.owner must be a user id or "shared" when given.');
  for (const [field, value] of Object.entries(extra)) {
    if (field === 'type') throw badRequest('item.type is reserved: "all" answers put the type of each item there.');
    if (!isScalar(value)) throw badRequest(`item.${field} must be a string, a number, a boolean or null.`);
  }
  const existing = id === undefined ? undefined : store.get(type, id);
  if (user.role !== 'ADMIN') {
    if (existing) mustOwn(user, type, existing);
    if (owner !== undefined && owner !== user.id) throw new HttpError(403, 'FORBIDDEN', 'Only an ADMIN may give an item to another owner or share it.');
  }
  const fields = { ...(extra as Record<string, Item[string]>), name, owner: owner ?? existing?.owner ?? user.id };
  return store.put(type, id, fields);
}

function remove(store: ResourceStore, type: ResourceType, user: User, id: unknown): string {
  if (typeof id !== 'string' || id === '') throw badRequest('A delete needs "id", the id of the item.');
  const existing = store.get(type, id);
  if (!existing) throw notFound(type, id);
  if (user.role !== 'ADMIN') mustOwn(user, type, existing);
  store.delete(type, id);
  return id;
}

/** Items a user may not see do not exist for them (404); shared ones they may see but not change (403). */
function mustOwn(user: User, type: ResourceType, item: Item): void {
  if (!maySee(user, item)) throw notFound(type, item.id);
  if (item.owner !== user.id) throw new HttpError(403, 'FORBIDDEN', 'Only the owner of an item or an ADMIN may change it.');
}

const badRequest = (message: string): HttpError => new HttpError(400, 'BAD_REQUEST', message);
const notFound = (type: ResourceType, id: string): HttpError => new HttpError(404, 'NOT_FOUND', `There is no ${type} item "${id}".`);

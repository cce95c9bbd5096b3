// The events endpoint of the `register` dialect (/dialects/register): events of five kinds, each in
// a workspace, reach the subscribed sockets of users who have that workspace; `idm` and `task`
// events naming a user reach only that user. Events are posted over HTTP by an ADMIN or MANAGER.
import type { WebSocket } from 'ws';
import type { AuthService } from '../auth-service.js';
import { principalOf } from '../bearer-auth.js';
import type { Reply, Routes } from '../http-util.js';
import { HttpError, readJsonObject } from '../http-util.js';
import type { User } from '../users.js';
import type { DialectContext } from './dialect.js';
import type { JsonMessage } from './json-socket.js';
import { hasWorkspace } from './register-workspaces.js';
import { RegisterSocket } from './register-socket.js';

export const EVENT_KINDS = ['tree', 'meta', 'task', 'idm', 'activity'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** What `POST /api/dialects/register/events` takes and subscribed sockets get (with `"@type":"event"`). */
export interface RegisterEvent {
  kind: EventKind;
  workspace: string;
  /** For `idm` and `task`: only this user's sockets get it. */
  user?: string;
  payload: unknown;
}

/** The kinds that reach only the user they name, when they name one. */
const PERSONAL_KINDS: ReadonlySet<EventKind> = new Set(['idm', 'task']);

export function reaches(event: RegisterEvent, user: User): boolean {
  if (!hasWorkspace(user, event.workspace)) return false;
  return !PERSONAL_KINDS.has(event.kind) || event.user === undefined || event.user === user.id;
}

interface EventSubscriber {
  /** Sends the event if it reaches the socket's user; whether it was sent. */
  deliver(event: RegisterEvent): boolean;
}

/** The sockets that get events. */
export class EventBus {
  private readonly subscribers = new Set<EventSubscriber>();

  add(subscriber: EventSubscriber): void {
    this.subscribers.add(subscriber);
  }

  delete(subscriber: EventSubscriber): void {
    this.subscribers.delete(subscriber);
  }

  has(subscriber: EventSubscriber): boolean {
    return this.subscribers.has(subscriber);
  }

  /** Delivers the event where it reaches; returns to how many sockets. */
  publish(event: RegisterEvent): number {
    let delivered = 0;
    for (const subscriber of this.subscribers) if (subscriber.deliver(event)) delivered += 1;
    return delivered;
  }
}

/** One socket of /dialects/register. */
export class EventsSocket extends RegisterSocket implements EventSubscriber {
  constructor(
    ws: WebSocket,
    context: DialectContext,
    private readonly bus: EventBus,
  ) {
    super('register', ws, context);
  }

  get subscriptionCount(): number {
    return this.bus.has(this) ? 1 : 0;
  }

  deliver(event: RegisterEvent): boolean {
    const user = this.principal?.user;
    return user !== undefined && reaches(event, user) && this.send({ '@type': 'event', ...event });
  }

  protected subscribed(): void {
    this.bus.add(this);
  }

  protected handleSubscribed(type: string, _message: JsonMessage): void {
    if (type === 'unsubscribe') this.bus.delete(this);
    else this.sendError(`Unknown "@type" "${type}": this endpoint takes subscribe and unsubscribe.`);
  }

  protected released(): void {
    this.bus.delete(this);
  }
}

/** `POST /api/dialects/register/events` (ADMIN or MANAGER): `{kind, workspace, user?, payload}` → `{delivered}`. */
export function registerEventsRoutes({ auth, bus, maxPayload }: { auth: AuthService; bus: EventBus; maxPayload: number }): Routes {
  return {
    '/api/dialects/register/events': {
      POST: async (request): Promise<Reply> => {
        const { user } = await principalOf(auth, request);
        if (user.role !== 'ADMIN' && user.role !== 'MANAGER') throw new HttpError(403, 'FORBIDDEN', 'Only an ADMIN or a MANAGER may post events.');
        const event = readEvent(await readJsonObject(request, maxPayload));
        return { status: 200, body: { delivered: bus.publish(event) } };
      },
    },
  };
}

function readEvent(body: Record<string, unknown>): RegisterEvent {
  const { kind, workspace, user, payload } = body;
  const bad = (message: string): HttpError => new HttpError(400, 'BAD_REQUEST', message);
  if (!(EVENT_KINDS as readonly unknown[]).includes(kind)) throw bad(`"kind" must be one of ${EVENT_KINDS.join(', ')}.`);
  if (typeof workspace !== 'string' || workspace === '') throw bad('"workspace" must be a workspace id such as "ws-common".');
  if (user !== undefined && (typeof user !== 'string' || user === '')) throw bad('"user" must be a user id when given.');
  if (!('payload' in body)) throw bad('The body needs a "payload" (any JSON value).');
  return { kind: kind as EventKind, workspace, ...(user !== undefined ? { user } : {}), payload };
}

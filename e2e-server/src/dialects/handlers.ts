// The `handlers` dialect (/dialects/handlers): frames routed by a `handler` property, no request ids,
// answers recognised by handler and type; `init` with the JWT first, then query, watch, stop, get
// and all over `nodes` and `workflows`. Errors do not say which request failed. See PROTOCOL.md.
import type { WebSocket } from 'ws';
import type { AccessFailure } from '../auth-service.js';
import { CloseCode } from '../codes.js';
import type { User } from '../users.js';
import type { DialectContext, DialectFactory } from './dialect.js';
import { handlersRoutes } from './handlers-http.js';
import { ResumableSessions } from './handlers-sessions.js';
import type { Change, Item, Params, ResourceType } from './handlers-store.js';
import { RESOURCE_TYPES, ResourceStore, isResourceType, matches, maySee, readParams } from './handlers-store.js';
import type { JsonMessage } from './json-socket.js';
import { subPathOf } from './sub-path.js';
import { TokenSocket } from './token-socket.js';

/** The `params.code` of `{handler: "error"}` messages. */
export type HandlersErrorCode = 'MALFORMED' | 'UNKNOWN_HANDLER' | 'UNKNOWN_TYPE' | 'BAD_REQUEST' | 'UNAUTHENTICATED' | AccessFailure;

export interface HandlersDialectOptions {
  /** How long a session id stays resumable after its socket closed, in ms. Default 60 000. */
  resumeWindowMs?: number;
  /** The clock of the resume window. */
  now?: () => number;
}

export const DEFAULT_RESUME_WINDOW_MS = 60_000;

/**
 * Makes the `handlers` dialect, with its own seeded resources and session ids.
 *
 * @example
 * const handlersDialect = createHandlersDialect({ resumeWindowMs: 1000 });
 */
export function createHandlersDialect(options: HandlersDialectOptions = {}): DialectFactory {
  return (context) => {
    const store = new ResourceStore();
    const sessions = new ResumableSessions(options.resumeWindowMs ?? DEFAULT_RESUME_WINDOW_MS, options.now);
    return {
      name: 'handlers',
      accept: (ws, request) => {
        const socket = new HandlersSocket(ws, context, store, sessions);
        const below = subPathOf(request, 'handlers');
        if (below !== '') socket.closeNow(CloseCode.ProtocolViolation, `no endpoint /dialects/handlers/${below}: use /dialects/handlers`);
        return socket;
      },
      routes: handlersRoutes({ auth: context.auth, store, maxPayload: context.maxPayload }),
    };
  };
}

interface Watch {
  type: ResourceType;
  params: Params;
}

/** The `handlers` dialect as the server offers it (session ids resumable for 60 s). */
export const handlersDialect: DialectFactory = createHandlersDialect();

class HandlersSocket extends TokenSocket {
  private readonly watches = new Map<string, Watch>();
  private stopListening: (() => void) | undefined;
  /** The dialect's own session id (`init` → `session`), not the sign-in session. */
  private handlersSessionId: string | undefined;

  constructor(
    ws: WebSocket,
    context: DialectContext,
    private readonly store: ResourceStore,
    private readonly sessions: ResumableSessions,
  ) {
    super('handlers', ws, context);
  }

  get subscriptionCount(): number {
    return this.watches.size;
  }

  protected refusal(code: AccessFailure, message: string): object {
    return errorMessage(code, message);
  }

  protected malformed(reason: string): void {
    this.send(errorMessage('MALFORMED', reason));
  }

  protected released(): void {
    this.unwatchAll();
    if (this.handlersSessionId !== undefined) this.sessions.release(this.handlersSessionId);
  }

  protected handle(message: JsonMessage): void | Promise<void> {
    const handler = message['handler'];
    if (typeof handler !== 'string' || handler === '') return this.sendError('MALFORMED', 'Every message needs a "handler" string.');
    const user = this.principal?.user;
    if (!user) {
      if (handler === 'init') return this.init(message);
      return this.sendError('UNAUTHENTICATED', 'Send {"handler":"init","token":"<access token>"} first.', message['type']);
    }
    switch (handler) {
      case 'init':
        return this.sendError('BAD_REQUEST', 'This socket has its session already: send init once.');
      case 'all': {
        const items = RESOURCE_TYPES.flatMap((type) => this.visible(user, type, {}).map((item) => ({ ...item, type })));
        this.send({ handler: 'list', items });
        return;
      }
      case 'query':
      case 'watch':
      case 'stop':
      case 'get':
        return this.serve(user, handler, message);
      default:
        return this.sendError('UNKNOWN_HANDLER', `There is no handler "${handler}": use init, query, watch, stop, get or all.`);
    }
  }

  private async init(message: JsonMessage): Promise<void> {
    const previous = message['id'];
    if (previous !== undefined && typeof previous !== 'string') {
      return this.sendError('BAD_REQUEST', '"id" must be the string of an earlier session when given.');
    }
    const principal = await this.signIn(message['token']);
    if (!principal) return;
    const { id, resumed } = this.sessions.open(principal.user.id, previous);
    this.handlersSessionId = id;
    const { login, name, role } = principal.user;
    this.send({ handler: 'session', id, resumed, user: { id: principal.user.id, login, name, role } });
  }

  private serve(user: User, handler: 'query' | 'watch' | 'stop' | 'get', message: JsonMessage): void {
    const type = message['type'];
    if (typeof type !== 'string') return this.sendError('BAD_REQUEST', `"${handler}" needs a "type": nodes or workflows.`);
    if (!isResourceType(type)) return this.sendError('UNKNOWN_TYPE', `There is no resource type "${type}": use nodes or workflows.`, type);
    if (handler === 'get') return this.get(user, type, message['params']);
    const params = readParams(message['params']);
    if (!params) return this.sendError('BAD_REQUEST', '"params" must be an object of field values (strings, numbers, booleans or null).', type);
    const key = watchKey(type, params);
    switch (handler) {
      case 'query':
        this.send({ handler: 'list', type, items: this.visible(user, type, params) });
        return;
      case 'watch':
        this.watches.set(key, { type, params });
        this.stopListening ??= this.store.onChange((change) => this.push(change));
        this.send({ handler: 'list', type, items: this.visible(user, type, params) });
        return;
      case 'stop':
        this.watches.delete(key);
        if (this.watches.size === 0) this.unwatchAll();
        return;
    }
  }

  private get(user: User, type: ResourceType, params: unknown): void {
    const id = typeof params === 'object' && params !== null ? (params as Record<string, unknown>)['id'] : undefined;
    if (typeof id !== 'string') return this.sendError('BAD_REQUEST', '"get" needs "params": {"id": "<item id>"}.', type);
    const item = this.store.get(type, id);
    if (item && maySee(user, item)) this.send({ handler: 'item', type, data: item });
    else this.send({ handler: 'remove', type, params: { id } });
  }

  /** One push per change, however many watches of the socket match: the item, or its removal when it stops matching. */
  private push({ type, before, after }: Change): void {
    const user = this.principal?.user;
    const watches = [...this.watches.values()].filter((watch) => watch.type === type);
    if (!user || watches.length === 0) return;
    const watched = (item: Item | undefined): item is Item =>
      item !== undefined && maySee(user, item) && watches.some((watch) => matches(item, watch.params));
    if (watched(after)) this.send({ handler: 'item', type, data: after });
    else if (watched(before)) this.send({ handler: 'remove', type, params: { id: before.id } });
  }

  private visible(user: User, type: ResourceType, params: Params): Item[] {
    return this.store.list(type).filter((item) => maySee(user, item) && matches(item, params));
  }

  private unwatchAll(): void {
    this.watches.clear();
    this.stopListening?.();
    this.stopListening = undefined;
  }

  private sendError(code: HandlersErrorCode, message: string, type?: unknown): void {
    this.send(errorMessage(code, message, type));
  }
}

/** `{handler: "error", type?, params: {code, message}}`: no trace of which request failed. */
function errorMessage(code: HandlersErrorCode, message: string, type?: unknown): object {
  return { handler: 'error', ...(typeof type === 'string' ? { type } : {}), params: { code, message } };
}

/** The same type and params (in any key order) are the same watch. */
function watchKey(type: ResourceType, params: Params): string {
  const sorted = Object.keys(params)
    .sort()
    .map((field) => [field, params[field]]);
  return `${type} ${JSON.stringify(sorted)}`;
}

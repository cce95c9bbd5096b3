import { of } from 'rxjs';
import { RequestKey, WebSocketControllerConfig } from 'customapp-rxjs-websocket';
import { parseJsonObject, requestWithToken, TokenSource } from './token-source';

/** A frame of a handler-routed server: `{handler, type?, params?, ...}` as JSON text. */
export interface HandlersFrame {
  readonly handler: string;
  readonly type?: string;
  readonly params?: Readonly<Record<string, unknown>> & { readonly id?: unknown; readonly code?: string; readonly message?: string };
  readonly id?: string;
  readonly token?: string;
  readonly resumed?: boolean;
  readonly items?: readonly unknown[];
  readonly data?: Readonly<Record<string, unknown>> & { readonly id?: unknown };
  readonly [field: string]: unknown;
}

/** A watch kept on every connection: a resource type and the params that pick its items. */
export interface WatchedResource {
  readonly type: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

/** What the app supplies to {@link handlersPreset}. */
export interface HandlersPresetOptions {
  readonly url: string | (() => string);
  /** The access token of each connection (see {@link TokenSource}). */
  readonly token: TokenSource<HandlersFrame>;
  /** The watches sent on every connection. Watches added later: `socket.subscription(watch(...), { unsubscribe: stop(...) })`. */
  readonly watch?: readonly WatchedResource[];
}

/** Watches a resource: answered by a `list`, then `item` / `remove` pushes until `stop`. */
export function watch(type: string, params: Readonly<Record<string, unknown>> = {}): HandlersFrame {
  return { handler: 'watch', type, params };
}

/** Ends a watch (never answered): pass it as the `unsubscribe` of a watch subscription. */
export function stop(type: string, params: Readonly<Record<string, unknown>> = {}): HandlersFrame {
  return { handler: 'stop', type, params };
}

/** Queries a collection: answered by a `list` of that type. */
export function query(type: string, params: Readonly<Record<string, unknown>> = {}): HandlersFrame {
  return { handler: 'query', type, params };
}

/** Asks for one item: answered by its `item`, or `remove` when it is gone. */
export function get(type: string, id: string): HandlersFrame {
  return { handler: 'get', type, params: { id } };
}

/** Asks for every item the user may see: answered by a `list` without a type. */
export function all(): HandlersFrame {
  return { handler: 'all' };
}

/** Answers carry their handler and type, never an id: a request is keyed by the answer it expects. */
function requestKey(request: HandlersFrame): RequestKey | undefined {
  switch (request.handler) {
    case 'init':
      return 'session';
    case 'query':
    case 'watch':
      return `list:${request.type}`;
    case 'get':
      return `get:${request.type}:${String(request.params?.id)}`;
    case 'all':
      return 'all';
    default:
      return undefined;
  }
}

function responseKey(response: HandlersFrame): RequestKey | undefined {
  switch (response.handler) {
    case 'session':
      return 'session';
    case 'list':
      return response.type === undefined ? 'all' : `list:${response.type}`;
    case 'item':
      return `get:${response.type}:${String(response.data?.id)}`;
    case 'remove':
      return `get:${response.type}:${String(response.params?.id)}`;
    default:
      return undefined;
  }
}

/**
 * The configuration for a handler-routed server: `init {token, id?}` answered by `session {id}` (the
 * previous connection's session id is sent back to resume it), `query` / `get` / `all` answered by
 * `list` / `item` / `remove`, `watch` answered by a `list` and then `item` / `remove` pushes until
 * `stop` (never answered), and `error` frames that do not say which request they refuse.
 *
 * Relies on: answers carrying the handler and the resource type (they are matched by them); an
 * `error` naming the resource type when it has one; the `session` answer first. An error frame is
 * routed to the oldest waiting request of its type, or to the oldest waiting request when it names
 * none. Cannot: tell a `query` from a `watch` of the same type while both wait, nor a `get` from an
 * `item` push of the same item (the push then answers the get, with the same data); a refused `stop`
 * goes unnoticed (the server never answers it).
 *
 * @example
 * const socket = new WebSocketController(handlersPreset({
 *   url: 'wss://example.com/dialects/handlers',
 *   token: () => jwt.freshAccessToken$(),
 *   watch: [{ type: 'nodes' }],
 * }));
 * socket.request(query('workflows', { status: 'running' })).subscribe((list) => show(list.items));
 * const watching = socket.subscription(watch('workflows'), { unsubscribe: stop('workflows') }).subscribe();
 */
export function handlersPreset(options: HandlersPresetOptions): WebSocketControllerConfig<HandlersFrame, HandlersFrame, string> {
  const watches = options.watch ?? [];
  return {
    url: options.url,
    deserializer: (event) => parseJsonObject<HandlersFrame>(event.data),
    setRequestId: (request) => request,
    getRequestId: requestKey,
    getResponseId: responseKey,
    isErrorResponse: (response) => response.handler === 'error',
    describeError: (response) => `${response.params?.code ?? 'ERROR'}: ${response.params?.message ?? 'the server refused the request'}`,
    routeErrorResponse: (error, waiting) =>
      (error.type === undefined ? waiting[0] : waiting.find((w) => w.request.type === error.type) ?? waiting[0])?.key,
    authorize: {
      createRequest: (context) => {
        const previous = context.previousAuthResponse?.id;
        return requestWithToken(options.token, context, (token) => ({ handler: 'init', token, ...(previous ? { id: previous } : {}) }));
      },
      isTokenExpiredResponse: (response) => response.params?.code === 'TOKEN_EXPIRED',
    },
    subscribe: { createRequests: () => of(watches.map((resource) => watch(resource.type, resource.params))) },
  };
}

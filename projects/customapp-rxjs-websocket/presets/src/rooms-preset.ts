import { forkJoin, map, Observable, of, take } from 'rxjs';
import { RequestKey, WebSocketControllerConfig } from 'customapp-rxjs-websocket';
import { parseJsonObject, requestWithToken, TokenSource } from './token-source';

/** A frame of a rooms server: a Socket.IO-style event and its data, as JSON text. */
export interface RoomsFrame {
  readonly event: string;
  readonly data?: {
    readonly name?: string;
    readonly token?: string;
    readonly error?: string;
    readonly code?: string;
    readonly [field: string]: unknown;
  };
}

/** A room joined on every connection, with the source of its per-room token. */
export interface RoomSubscription {
  readonly name: string;
  /** A per-room token, fetched anew for every join (the server checks it at each join). */
  readonly token: () => Observable<string>;
}

/** What the app supplies to {@link roomsPreset}. */
export interface RoomsPresetOptions {
  readonly url: string | (() => string);
  /** The access token of each connection (see {@link TokenSource}). */
  readonly token: TokenSource<RoomsFrame>;
  /** The rooms joined on every connection. Rooms joined later: `socket.subscription(joinRoom(...))`. */
  readonly rooms?: readonly RoomSubscription[];
}

/** The `realtime:join` message of a room. */
export function joinRoom(name: string, token: string): RoomsFrame {
  return { event: 'realtime:join', data: { name, token } };
}

/** The `realtime:leave` message of a room. */
export function leaveRoom(name: string): RoomsFrame {
  return { event: 'realtime:leave', data: { name } };
}

/**
 * Keys by event and room: a join is answered by `realtime:join:success|error` of the same room name,
 * a leave likewise, the auth by `authenticated`/`unauthorized`.
 */
function requestKey(request: RoomsFrame): RequestKey | undefined {
  switch (request.event) {
    case 'authenticate':
      return 'authenticate';
    case 'realtime:join':
      return `join:${request.data?.name}`;
    case 'realtime:leave':
      return `leave:${request.data?.name}`;
    default:
      return undefined;
  }
}

function responseKey(response: RoomsFrame): RequestKey | undefined {
  const event = response.event;
  if (event === 'authenticated' || event === 'unauthorized') return 'authenticate';
  if (event.startsWith('realtime:join:')) return `join:${response.data?.name}`;
  if (event.startsWith('realtime:leave:')) return `leave:${response.data?.name}`;
  return undefined;
}

/**
 * The configuration for a realtime CRUD server with rooms: `authenticate {token}` answered by
 * `authenticated` / `unauthorized`, then a `realtime:join {name, token}` per room with a per-room token,
 * answered by `realtime:join:success|error {name}`; `realtime:resource` events are the pushes.
 *
 * Relies on: answers that carry the room name (they are matched by it, as the server has no request
 * ids), an `unauthorized` event for a refused token (with `code: 'TOKEN_EXPIRED'` for an expired one),
 * and an `error` suffix on refusals. Cannot: tell two joins of one room apart while both wait (the
 * second fails with `DuplicateRequestIdError`), nor correlate a server `error` event to a request.
 *
 * @example
 * const socket = new WebSocketController(roomsPreset({
 *   url: 'wss://example.com/dialects/rooms',
 *   token: () => jwt.freshAccessToken$(),
 *   rooms: [{ name: '/menu', token: () => roomToken$('/menu') }],
 * }));
 * socket.messages$.pipe(filter((m) => m.event === 'realtime:resource')).subscribe(applyChange);
 * // a room joined while the socket lives, left later (and not re-joined after a reconnect)
 * const room = socket.subscription(() => roomToken$('/b').pipe(map((t) => joinRoom('/b', t))), { unsubscribe: leaveRoom('/b'),
 *   unsubscribeExpectsResponse: true }).subscribe();
 */
export function roomsPreset(options: RoomsPresetOptions): WebSocketControllerConfig<RoomsFrame, RoomsFrame, string> {
  const rooms = options.rooms ?? [];
  return {
    url: options.url,
    deserializer: (event) => parseJsonObject<RoomsFrame>(event.data),
    setRequestId: (request) => request,
    getRequestId: requestKey,
    getResponseId: responseKey,
    isErrorResponse: (response) => response.event === 'unauthorized' || response.event === 'error' || response.event.endsWith(':error'),
    describeError: (response) => response.data?.error ?? response.event,
    authorize: {
      createRequest: (context) => requestWithToken(options.token, context, (token) => ({ event: 'authenticate', data: { token } })),
      isTokenExpiredResponse: (response) => response.data?.code === 'TOKEN_EXPIRED',
    },
    subscribe: {
      createRequests: () =>
        rooms.length === 0
          ? of([])
          : forkJoin(rooms.map((room) => room.token().pipe(take(1), map((token) => joinRoom(room.name, token))))),
    },
  };
}

import { of } from 'rxjs';
import { RequestKey, WebSocketControllerConfig } from 'customapp-rxjs-websocket';
import { parseJsonObject, requestWithToken, TokenSource } from './token-source';

/** A frame of a register-first server: `{"@type": ..., ...}` as JSON text. */
export interface RegisterFrame {
  readonly '@type': string;
  readonly jwt?: string;
  readonly error?: string;
  readonly RoomType?: string;
  readonly RoomUuid?: string;
  readonly Payload?: string;
  readonly Messages?: readonly RegisterFrame[];
  readonly [field: string]: unknown;
}

/** What the app supplies to {@link registerPreset} and {@link registerChatPreset}. */
export interface RegisterPresetOptions {
  readonly url: string | (() => string);
  /** The access token of each connection (see {@link TokenSource}). */
  readonly token: TokenSource<RegisterFrame>;
}

/** What the app supplies to {@link registerChatPreset}. */
export interface RegisterChatPresetOptions extends RegisterPresetOptions {
  /** The workspace chat rooms joined on every connection. Rooms joined later: `socket.subscription(joinChat(...))`. */
  readonly workspaces?: readonly string[];
}

/** Joins a workspace's chat room: answered by the room and its history. */
export function joinChat(workspace: string): RegisterFrame {
  return { '@type': 'join', RoomType: 'WORKSPACE', RoomUuid: workspace };
}

/** Leaves a workspace's chat room (never answered): pass it as the `unsubscribe` of a join. */
export function leaveChat(workspace: string): RegisterFrame {
  return { '@type': 'leave', RoomType: 'WORKSPACE', RoomUuid: workspace };
}

/** Posts to a joined room (never answered: it comes back as a `msg` push): `socket.send(postChat(...))`. */
export function postChat(workspace: string, text: string): RegisterFrame {
  return { '@type': 'msg', RoomType: 'WORKSPACE', RoomUuid: workspace, Payload: text };
}

/**
 * The first frame: `subscribe` with the JWT, never acknowledged. Its refusal is an `error` frame with
 * no code; the one for an expired JWT says so, and is renewed rather than final (the 4419 close that
 * follows it arrives too late to decide: the frame has already refused the subscribe).
 */
function register(options: RegisterPresetOptions): WebSocketControllerConfig<RegisterFrame, RegisterFrame, string>['authorize'] {
  return {
    createRequest: (context) => requestWithToken(options.token, context, (jwt) => ({ '@type': 'subscribe', jwt })),
    expectsResponse: false,
    isTokenExpiredResponse: (response) => /\bexpired\b/i.test(response.error ?? ''),
  };
}

function common(options: RegisterPresetOptions): WebSocketControllerConfig<RegisterFrame, RegisterFrame, string> {
  return {
    url: options.url,
    deserializer: (event) => parseJsonObject<RegisterFrame>(event.data),
    setRequestId: (request) => request,
    isErrorResponse: (response) => response['@type'] === 'error',
    describeError: (response) => response.error ?? 'the server refused the request',
    authorize: register(options),
  };
}

/**
 * The configuration for a service whose first frame must be `{"@type": "subscribe", "jwt": …}` and
 * that never acknowledges it; it then pushes `event`s filtered by the user and their workspaces.
 *
 * Relies on: a refused JWT answered by an `error` frame before anything else, then a close (4401, or
 * 4419 for an expired token); the error of an expired JWT saying "expired" (the frames carry no code):
 * the socket then reconnects at once with a renewed one. Under the controller's
 * rule for unanswered requests, the socket counts as authorized (and `open()` completes) as soon as the
 * frame is written; a refusal that follows stops it with `AuthRejectedError`. Cannot: know that the
 * server accepted the JWT before its first event, nor request anything (the endpoint has no answers).
 *
 * @example
 * const events = new WebSocketController(registerPreset({
 *   url: 'wss://example.com/dialects/register',
 *   token: () => jwt.freshAccessToken$(),
 * }));
 * events.messages$.pipe(filter((m) => m['@type'] === 'event')).subscribe(applyEvent);
 */
export function registerPreset(options: RegisterPresetOptions): WebSocketControllerConfig<RegisterFrame, RegisterFrame, string> {
  return { ...common(options), getRequestId: () => undefined, getResponseId: () => undefined };
}

/** A join is answered by its room: keyed by room. */
function chatKey(frame: RegisterFrame): RequestKey | undefined {
  return frame['@type'] === 'join' || frame['@type'] === 'room' ? `room:${frame.RoomType}:${frame.RoomUuid}` : undefined;
}

/**
 * The configuration for the chat endpoint of a register-first service: the same unacknowledged
 * `subscribe` first frame, then a `join` per workspace room, answered by the room with its history
 * (`Messages`); `msg` frames are the pushes, `leave` and posts are never answered.
 *
 * Relies on: the room answer naming the room (matched by it); a refused join answered by an `error`
 * that does not name the room: it is routed to the oldest waiting join. Cannot: tell which post was
 * refused (posts are not answered; a refusal arrives as an `error` on `messages$`).
 *
 * @example
 * const chat = new WebSocketController(registerChatPreset({ url, token: () => jwt.freshAccessToken$(), workspaces: ['ws-common'] }));
 * chat.send(postChat('ws-common', 'Hello'));
 * chat.messages$.pipe(filter((m) => m['@type'] === 'msg')).subscribe(showMessage);
 */
export function registerChatPreset(options: RegisterChatPresetOptions): WebSocketControllerConfig<RegisterFrame, RegisterFrame, string> {
  const workspaces = options.workspaces ?? [];
  return {
    ...common(options),
    getRequestId: chatKey,
    getResponseId: chatKey,
    routeErrorResponse: (_error, waiting) => waiting.find((w) => w.request['@type'] === 'join')?.key,
    subscribe: { createRequests: () => of(workspaces.map(joinChat)) },
  };
}

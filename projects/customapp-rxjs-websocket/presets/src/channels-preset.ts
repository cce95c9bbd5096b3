import { map, Observable, of, take } from 'rxjs';
import { RequestKey, WebSocketControllerConfig } from 'customapp-rxjs-websocket';
import { parseJsonObject, requestWithToken, TokenSource } from './token-source';

/** A frame of a server that speaks first: `{type, ...}` as JSON text. */
export interface ChannelsFrame {
  readonly type: string;
  readonly token?: string;
  readonly walker?: string;
  readonly response?: boolean;
  readonly context?: Readonly<Record<string, unknown>>;
  readonly data?: {
    readonly type?: string;
    readonly walker?: string;
    readonly code?: string;
    readonly error?: string;
    readonly authenticated?: boolean;
    readonly client_id?: string;
    readonly root_id?: string;
    readonly channel_id?: string;
    readonly [field: string]: unknown;
  };
  readonly [field: string]: unknown;
}

/** What the app supplies to {@link channelsPreset}. */
export interface ChannelsPresetOptions {
  /** The endpoint, without the query string. */
  readonly url: string;
  /** The access token of each connection (see {@link TokenSource}). */
  readonly token: TokenSource<ChannelsFrame>;
  /** The connection's own channel (`?channel_id=`); the server picks one at random when omitted. */
  readonly channel?: string;
  /** More channels, joined on every connection with the `subscribe_channel` walker. */
  readonly channels?: readonly string[];
  /**
   * Where the platform allows headers (Node with the `ws` package): send the token as an
   * `Authorization: Bearer` header of the upgrade instead of a `change_user` message. Browsers cannot.
   */
  readonly authHeader?: boolean;
}

/** Triggers a walker and waits for its answer (`socket.request(walker('whoami'))`). */
export function walker(name: string, context: Readonly<Record<string, unknown>> = {}): ChannelsFrame {
  return { type: 'walker', walker: name, response: true, context };
}

/** Joins a channel (`socket.subscription(subscribeChannel('x'), { unsubscribe: unsubscribeChannel('x') })`). */
export function subscribeChannel(channelId: string): ChannelsFrame {
  return walker('subscribe_channel', { channel_id: channelId });
}

/** Leaves a channel; its answer is awaited when used as `unsubscribe` with `unsubscribeExpectsResponse: true`. */
export function unsubscribeChannel(channelId: string): ChannelsFrame {
  return walker('unsubscribe_channel', { channel_id: channelId });
}

/** The walkers whose answer names the channel (`data.channel_id`), as their request does. */
const CHANNEL_WALKERS: readonly (string | undefined)[] = ['subscribe_channel', 'unsubscribe_channel'];

/**
 * Walkers answer by name; the channel walkers also by channel, so several may wait at once. Other
 * walkers are keyed by name alone, even when their context names a channel (`send_chat_to_group`):
 * their answer does not.
 */
function walkerKey(name: string | undefined, channel: unknown): string {
  return CHANNEL_WALKERS.includes(name) && typeof channel === 'string' ? `walker:${name}:${channel}` : `walker:${name}`;
}

function requestKey(request: ChannelsFrame): RequestKey | undefined {
  if (request.type === 'change_user' || request.type === 'connection') return 'connection';
  if (request.type === 'walker' && request.response) return walkerKey(request.walker, request.context?.['channel_id']);
  return undefined;
}

function responseKey(response: ChannelsFrame): RequestKey | undefined {
  if (response.type === 'connection') return 'connection';
  if (response.type === 'walker') return walkerKey(response.walker, response.data?.channel_id);
  if (response.type !== 'error') return undefined;
  const about = response.data?.type;
  if (about === 'change_user' || about === 'connection') return 'connection';
  // A walker's error names the walker but not the channel: routeErrorResponse finds the request.
  return about === 'walker' ? walkerKey(response.data?.walker, undefined) : undefined;
}

/** A `connection` event of an authenticated user: the answer to an accepted `change_user`. */
function isAuthenticated(response: ChannelsFrame): boolean {
  return response.type === 'connection' && response.data?.authenticated === true;
}

/**
 * The configuration for an endpoint that speaks first: it sends a `connection` event (client, user
 * and channel ids) as soon as the socket opens; the auth is a `change_user {token: "Bearer …"}`
 * message answered by a new `connection` event (browsers cannot set headers); `walker` requests with
 * `response: true` are answered by name; `user` / `channel` / `client` notifications and `chat` events
 * are the pushes. `socket.reauthorize()` sends a `change_user` with a renewed token on the open
 * connection: its channels stay, and the server's expiry moves to the new token's.
 *
 * Relies on: the `connection` event coming first (waited for as the welcome, within `requestTimeout`),
 * a refused token answered by an `error` whose `data.type` is `change_user` (with `code:
 * 'TOKEN_EXPIRED'` for an expired one), walker answers carrying the walker name. Cannot: tell two
 * waiting calls of the same walker apart (the second fails with `DuplicateRequestIdError`; the channel
 * walkers are told apart by channel), nor see notifications that are not JSON objects.
 *
 * @example
 * const socket = new WebSocketController(channelsPreset({
 *   url: 'wss://example.com/dialects/channels',
 *   token: () => jwt.freshAccessToken$(),
 *   channel: 'lobby',
 * }));
 * socket.request(walker('whoami')).subscribe((answer) => show(answer.data));
 * socket.messages$.pipe(filter((m) => m.type === 'chat')).subscribe(showChat);
 */
export function channelsPreset(options: ChannelsPresetOptions): WebSocketControllerConfig<ChannelsFrame, ChannelsFrame, string> {
  const url = options.channel === undefined ? options.url : `${options.url}?channel_id=${encodeURIComponent(options.channel)}`;
  const channels = options.channels ?? [];
  const changeUser = (token: string): ChannelsFrame => ({ type: 'change_user', token: `Bearer ${token}` });
  return {
    url,
    deserializer: (event) => parseJsonObject<ChannelsFrame>(event.data),
    setRequestId: (request) => request,
    getRequestId: requestKey,
    getResponseId: responseKey,
    isErrorResponse: (response) => response.type === 'error',
    describeError: (response) => response.data?.error ?? response.data?.code ?? 'error',
    // A walker's error does not name the channel: it refuses the oldest call of that walker.
    routeErrorResponse: (error, waiting) =>
      error.data?.type === 'walker' ? waiting.find((w) => w.request.type === 'walker' && w.request.walker === error.data?.walker)?.key : undefined,
    ...(options.authHeader
      ? {
          createSocketOptions: (context: { connection: number; tokenExpired: boolean }) =>
            options.token(context).pipe(
              take(1),
              map((token) => ({ headers: { Authorization: `Bearer ${token}` } })),
            ),
        }
      : {}),
    authorize: {
      welcome: { isWelcome: (message) => message.type === 'connection' },
      createRequest: (context): Observable<ChannelsFrame | undefined> =>
        // With the header, the welcome says whether it was accepted; if not, change_user tells why.
        options.authHeader && context.welcome?.data?.authenticated === true
          ? of(undefined)
          : requestWithToken(options.token, context, changeUser),
      isResponseSuccessful: isAuthenticated,
      isTokenExpiredResponse: (response) => response.data?.code === 'TOKEN_EXPIRED',
    },
    // The same user's renewed token keeps the connection's channels (another user's would drop them).
    reauthorize: {
      createRequest: ({ connection, authResponse }) =>
        requestWithToken(options.token, { connection, tokenExpired: false, previousAuthResponse: authResponse }, changeUser),
      isResponseSuccessful: isAuthenticated,
    },
    subscribe: { createRequests: () => of(channels.map(subscribeChannel)) },
  };
}

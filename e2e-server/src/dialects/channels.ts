// The `channels` dialect (/dialects/channels): a server that speaks first. Frames are
// `{"type": NAME, ...}`; every connection gets a `connection` event at once, is public until it
// authenticates (an `Authorization: Bearer` header on the upgrade, or `change_user`), and once
// authenticated triggers walkers and sends user, channel and client notifications. See
// PROTOCOL.md, "Dialect endpoints".
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { AccessFailure, Principal } from '../auth-service.js';
import { ACCESS_FAILURE_MESSAGES } from '../bearer-auth.js';
import { CloseCode } from '../codes.js';
import type { ChannelClient } from './channel-directory.js';
import { ChannelDirectory } from './channel-directory.js';
import type { WalkerScope } from './channel-walkers.js';
import { MAX_CHANNEL_ID, PRIVATE_CHANNEL_PREFIX, runWalker } from './channel-walkers.js';
import type { Dialect, DialectContext, DialectFactory } from './dialect.js';
import type { JsonMessage } from './json-socket.js';
import { JsonSocket, JsonSocketState } from './json-socket.js';

export const CHANNELS_DIALECT = 'channels';

/** The root of every connection that is not authenticated. */
export const PUBLIC_ROOT_ID = 'n::000000000000000000000001';

/** The codes of `{"type": "error", "data": {code}}`. */
type ChannelsErrorCode = 'MALFORMED' | 'UNAUTHENTICATED' | 'UNKNOWN_MESSAGE' | 'BAD_REQUEST' | 'NOT_FOUND' | 'FORBIDDEN' | AccessFailure;

/** Where a notification of each type goes. */
const NOTIFICATIONS = {
  user: { field: 'root_ids', send: (directory: ChannelDirectory, ids: string[], data: object) => directory.toUsers(ids, data) },
  channel: { field: 'channel_ids', send: (directory: ChannelDirectory, ids: string[], data: object) => directory.toChannels(ids, data) },
  client: { field: 'client_ids', send: (directory: ChannelDirectory, ids: string[], data: object) => directory.toClients(ids, data) },
} as const;

/** Makes the `channels` dialect. */
export const channelsDialect: DialectFactory = (context): Dialect => {
  const directory = new ChannelDirectory();
  return { name: CHANNELS_DIALECT, accept: (ws, request) => new ChannelsSocket(ws, request, context, directory) };
};

/** One connection to /dialects/channels. */
class ChannelsSocket extends JsonSocket implements ChannelClient {
  readonly clientId = newId();
  private principal: Principal | undefined;
  /** The channel of the connection itself (`?channel_id=` or random); it never changes. */
  private readonly channelId: string;
  private readonly channels = new Set<string>();
  private expiryTimer: NodeJS.Timeout | undefined;

  constructor(
    ws: WebSocket,
    request: IncomingMessage,
    private readonly context: DialectContext,
    private readonly directory: ChannelDirectory,
  ) {
    super(CHANNELS_DIALECT, ws, context.logger);
    this.channelId = channelOf(request) ?? newId();
    directory.add(this);
    this.subscribe(this.channelId);
    const header = request.headers.authorization;
    this.enqueue(() => this.start(header === undefined ? undefined : withoutBearer(header)));
  }

  get authorized(): boolean {
    return this.principal !== undefined;
  }

  get sessionId(): string | undefined {
    return this.principal?.session.id;
  }

  get userId(): string | undefined {
    return this.principal?.user.id;
  }

  get subscriptionCount(): number {
    return this.channels.size;
  }

  get rootId(): string {
    return this.principal ? `u::${this.principal.user.id}` : PUBLIC_ROOT_ID;
  }

  deliver(message: object): boolean {
    return this.send(message);
  }

  protected handle(message: JsonMessage): void | Promise<void> {
    const { type } = message;
    if (typeof type !== 'string' || type === '') return this.malformed('Every message needs a "type": a non-empty string.');
    if (type === 'connection') return this.sendConnection();
    if (type === 'change_user') return this.changeUser(message['token']);
    const walker = type === 'walker' && typeof message['walker'] === 'string' ? message['walker'] : undefined;
    if (!this.principal) {
      return this.sendError(type, 'UNAUTHENTICATED', 'Only connection and change_user are served before a valid change_user.', walker);
    }
    if (type === 'walker') return this.walker(message);
    if (type === 'user' || type === 'channel' || type === 'client') return this.notify(type, message);
    this.sendError(type, 'UNKNOWN_MESSAGE', `Unknown type "${type}": send walker, user, channel, client, connection or change_user.`);
  }

  protected malformed(reason: string): void {
    this.send({ type: 'error', data: { code: 'MALFORMED', error: reason } });
  }

  protected released(): void {
    this.directory.remove(this, this.channels);
    this.channels.clear();
  }

  /** The first message: the connection event, after the header's token was checked (if any). */
  private async start(headerToken: string | undefined): Promise<void> {
    // Await even without a token, so that a socket the gateway refuses for its origin gets nothing.
    const result = headerToken === undefined ? undefined : await this.context.auth.authenticate(headerToken);
    await Promise.resolve();
    if (this.state !== JsonSocketState.Open) return;
    if (result?.ok) this.become(result.value);
    this.sendConnection();
    if (result && !result.ok) this.sendError('change_user', result.code, ACCESS_FAILURE_MESSAGES[result.code]);
  }

  /** No token: back to the public user. A valid token: that user. An invalid one changes nothing. */
  private async changeUser(token: unknown): Promise<void> {
    if (token === undefined || token === null || token === '') {
      this.become(undefined);
      return this.sendConnection();
    }
    const result = typeof token === 'string' ? await this.context.auth.authenticate(withoutBearer(token)) : undefined;
    if (this.state !== JsonSocketState.Open) return;
    if (!result?.ok) {
      const code = result?.code ?? 'TOKEN_INVALID';
      return this.sendError('change_user', code, ACCESS_FAILURE_MESSAGES[code]);
    }
    this.become(result.value);
    this.sendConnection();
  }

  /** Switches the user; another user starts with only the connection's own channel. */
  private become(principal: Principal | undefined): void {
    if (this.principal?.user.id !== principal?.user.id) {
      for (const channelId of [...this.channels]) if (channelId !== this.channelId) this.unsubscribe(channelId);
    }
    this.principal = principal;
    this.stopTimer(this.expiryTimer);
    this.expiryTimer = undefined;
    if (principal) this.watchExpiry(principal.claims.exp * 1000);
  }

  /** Closes with 4419 when the token's exp passes (checked again on firing, as timers may fire early). */
  private watchExpiry(expiresAtMs: number): void {
    const remaining = expiresAtMs - Date.now();
    if (remaining <= 0) return this.closeNow(CloseCode.TokenExpired, 'token expired');
    this.expiryTimer = this.startTimer(remaining, () => this.watchExpiry(expiresAtMs));
  }

  private walker(message: JsonMessage): void {
    const { walker, context = {}, response } = message;
    const answer = response === true;
    if (typeof walker !== 'string' || walker === '') {
      if (answer) this.sendError('walker', 'BAD_REQUEST', '"walker" must name a walker.');
      return;
    }
    if (typeof context !== 'object' || context === null || Array.isArray(context)) {
      if (answer) this.sendError('walker', 'BAD_REQUEST', '"context" must be a JSON object.', walker);
      return;
    }
    const outcome = runWalker(walker, context as JsonMessage, this.walkerScope());
    if (!answer) return;
    if (outcome.ok) this.send({ type: 'walker', walker, data: outcome.data });
    else this.sendError('walker', outcome.code, outcome.error, walker);
  }

  private notify(type: keyof typeof NOTIFICATIONS, message: JsonMessage): void {
    const { field, send } = NOTIFICATIONS[type];
    const ids = message[field];
    const data = message['data'];
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
      return this.sendError(type, 'BAD_REQUEST', `"${field}" must be an array of strings.`);
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      return this.sendError(type, 'BAD_REQUEST', '"data" must be a JSON object: it is delivered as-is.');
    }
    send(this.directory, ids as string[], data);
  }

  private walkerScope(): WalkerScope {
    return {
      rootId: this.rootId,
      clientId: this.clientId,
      role: this.principal?.user.role ?? 'VIEWER',
      channels: this.channels,
      directory: this.directory,
      subscribe: (channelId) => this.subscribe(channelId),
      unsubscribe: (channelId) => this.unsubscribe(channelId),
    };
  }

  private subscribe(channelId: string): void {
    this.channels.add(channelId);
    this.directory.subscribe(channelId, this);
  }

  private unsubscribe(channelId: string): void {
    this.channels.delete(channelId);
    this.directory.unsubscribe(channelId, this);
  }

  private sendConnection(): void {
    const data = { client_id: this.clientId, root_id: this.rootId, channel_id: this.channelId, authenticated: this.authorized };
    this.send({ type: 'connection', data });
  }

  private sendError(type: string, code: ChannelsErrorCode, error: string, walker?: string): void {
    this.send({ type: 'error', data: { type, ...(walker !== undefined ? { walker } : {}), code, error } });
  }
}

/** Ids in the document's style: `<seconds>:<32 hex digits>`. */
function newId(): string {
  return `${Math.floor(Date.now() / 1000)}:${randomUUID().replaceAll('-', '')}`;
}

/** The `?channel_id=` of the upgrade; private channels are only reached through subscribe_channel. */
function channelOf(request: IncomingMessage): string | undefined {
  const channelId = new URL(request.url ?? '/', 'http://localhost').searchParams.get('channel_id');
  if (!channelId || channelId.length > MAX_CHANNEL_ID || channelId.startsWith(PRIVATE_CHANNEL_PREFIX)) return undefined;
  return channelId;
}

/** `Bearer <jwt>` (as the document sends it) or a bare `<jwt>`. */
function withoutBearer(value: string): string {
  return value.replace(/^\s*Bearer\s+/i, '').trim();
}

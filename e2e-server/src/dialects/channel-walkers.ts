// The walkers of the `channels` dialect: the app's server-side functions a connection triggers
// with `{"type": "walker", "walker": NAME, "context": {...}}`.
import type { RoleName } from '../users.js';
import type { ChannelDirectory } from './channel-directory.js';

/** What a walker may see and change of the connection that triggered it. */
export interface WalkerScope {
  readonly rootId: string;
  readonly clientId: string;
  readonly role: RoleName;
  readonly channels: ReadonlySet<string>;
  subscribe(channelId: string): void;
  unsubscribe(channelId: string): void;
  readonly directory: ChannelDirectory;
}

export type WalkerErrorCode = 'NOT_FOUND' | 'FORBIDDEN' | 'BAD_REQUEST';

export type WalkerOutcome = { ok: true; data: Record<string, unknown> } | { ok: false; code: WalkerErrorCode; error: string };

type Walker = (context: Record<string, unknown>, scope: WalkerScope) => WalkerOutcome;

/** Channels that only an ADMIN may subscribe. */
export const PRIVATE_CHANNEL_PREFIX = 'private:';
/** The longest channel id accepted. */
export const MAX_CHANNEL_ID = 200;

const WALKERS: Readonly<Record<string, Walker>> = {
  subscribe_channel: (context, scope) => {
    const channelId = context['channel_id'];
    if (!isChannelId(channelId)) return badRequest(`"channel_id" must be a string of 1 to ${MAX_CHANNEL_ID} characters.`);
    if (channelId.startsWith(PRIVATE_CHANNEL_PREFIX) && scope.role !== 'ADMIN') {
      return { ok: false, code: 'FORBIDDEN', error: `Only an ADMIN may subscribe to ${PRIVATE_CHANNEL_PREFIX} channels.` };
    }
    scope.subscribe(channelId);
    return { ok: true, data: { channel_id: channelId } };
  },

  unsubscribe_channel: (context, scope) => {
    const channelId = context['channel_id'];
    if (!isChannelId(channelId)) return badRequest(`"channel_id" must be a string of 1 to ${MAX_CHANNEL_ID} characters.`);
    scope.unsubscribe(channelId);
    return { ok: true, data: { channel_id: channelId } };
  },

  send_chat_to_user: (context, scope) =>
    sendChat(context, scope, 'root_id', (rootId, chat) => scope.directory.toUsers([rootId], chat)),

  send_chat_to_group: (context, scope) =>
    sendChat(context, scope, 'channel_id', (channelId, chat) => scope.directory.toChannels([channelId], chat)),

  send_chat_to_client: (context, scope) =>
    sendChat(context, scope, 'client_id', (clientId, chat) => scope.directory.toClients([clientId], chat)),

  whoami: (_context, scope) => ({ ok: true, data: { root_id: scope.rootId, client_id: scope.clientId, channels: [...scope.channels] } }),
};

/** Runs the named walker for the connection of `scope`. */
export function runWalker(name: string, context: Record<string, unknown>, scope: WalkerScope): WalkerOutcome {
  const walker = Object.hasOwn(WALKERS, name) ? WALKERS[name] : undefined;
  if (!walker) return { ok: false, code: 'NOT_FOUND', error: `There is no walker "${name}".` };
  return walker(context, scope);
}

/** A chat `{"type": "chat", "data": {message, from}}` to the target named by `field`. */
function sendChat(
  context: Record<string, unknown>,
  scope: WalkerScope,
  field: string,
  send: (target: string, chat: object) => number,
): WalkerOutcome {
  const target = context[field];
  const message = context['message'];
  if (typeof target !== 'string' || target === '') return badRequest(`"${field}" must be a non-empty string.`);
  if (typeof message !== 'string') return badRequest('"message" must be a string.');
  return { ok: true, data: { delivered: send(target, { type: 'chat', data: { message, from: scope.rootId } }) } };
}

function isChannelId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_CHANNEL_ID;
}

function badRequest(error: string): WalkerOutcome {
  return { ok: false, code: 'BAD_REQUEST', error };
}

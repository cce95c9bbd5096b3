// The connections of the `channels` dialect by client id, user (root id) and channel: who a
// `user`, `channel` or `client` notification reaches.

/** A connection as the directory sees it. */
export interface ChannelClient {
  readonly clientId: string;
  /** `u::<userId>` once authenticated, the public root otherwise (it changes with change_user). */
  readonly rootId: string;
  /** Sends a message as-is; false when the connection is closing. */
  deliver(message: object): boolean;
}

export class ChannelDirectory {
  private readonly clients = new Map<string, ChannelClient>();
  private readonly channels = new Map<string, Set<ChannelClient>>();

  add(client: ChannelClient): void {
    this.clients.set(client.clientId, client);
  }

  /** Forgets a closed connection and its channels. */
  remove(client: ChannelClient, channelIds: Iterable<string>): void {
    this.clients.delete(client.clientId);
    for (const channelId of channelIds) this.unsubscribe(channelId, client);
  }

  subscribe(channelId: string, client: ChannelClient): void {
    let members = this.channels.get(channelId);
    if (!members) this.channels.set(channelId, (members = new Set()));
    members.add(client);
  }

  unsubscribe(channelId: string, client: ChannelClient): void {
    const members = this.channels.get(channelId);
    members?.delete(client);
    if (members?.size === 0) this.channels.delete(channelId);
  }

  /** Every connection of these users; each gets the message once. Returns how many got it. */
  toUsers(rootIds: readonly string[], message: object): number {
    const roots = new Set(rootIds);
    return deliverOnce([...this.clients.values()].filter((client) => roots.has(client.rootId)), message);
  }

  /** Every connection subscribed to one of these channels, once each. */
  toChannels(channelIds: readonly string[], message: object): number {
    return deliverOnce(channelIds.flatMap((channelId) => [...(this.channels.get(channelId) ?? [])]), message);
  }

  /** These connections, once each. */
  toClients(clientIds: readonly string[], message: object): number {
    return deliverOnce(clientIds.flatMap((clientId) => this.clients.get(clientId) ?? []), message);
  }
}

function deliverOnce(targets: readonly ChannelClient[], message: object): number {
  let delivered = 0;
  for (const client of new Set(targets)) if (client.deliver(message)) delivered += 1;
  return delivered;
}

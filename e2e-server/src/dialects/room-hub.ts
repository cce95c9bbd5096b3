// The sockets of the `rooms` dialect by room: joins, leaves and the delivery of resource events.

/** A `realtime:resource` event: a change of a resource, pushed to every socket in its room. */
export interface ResourceEvent {
  room: string;
  action: 'created' | 'updated' | 'deleted';
  /** `${room}/${resource.id}`. */
  path: string;
  resource: Record<string, unknown>;
  type: string;
}

/** A socket that joined rooms. */
export interface RoomMember {
  /** Sends the event; false when the socket is closing. */
  pushResource(event: ResourceEvent): boolean;
}

export class RoomHub {
  private readonly members = new Map<string, Set<RoomMember>>();

  join(room: string, member: RoomMember): void {
    let set = this.members.get(room);
    if (!set) this.members.set(room, (set = new Set()));
    set.add(member);
  }

  leave(room: string, member: RoomMember): void {
    const set = this.members.get(room);
    set?.delete(member);
    if (set?.size === 0) this.members.delete(room);
  }

  /** Pushes the event to every member of its room; returns how many got it. */
  deliver(event: ResourceEvent): number {
    let delivered = 0;
    for (const member of this.members.get(event.room) ?? []) if (member.pushResource(event)) delivered += 1;
    return delivered;
  }
}

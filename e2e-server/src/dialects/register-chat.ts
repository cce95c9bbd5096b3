// The chat endpoint of the `register` dialect (/dialects/register/chat): join a workspace's room
// (and get its history), post to joined rooms, leave them. A refused join does not say which room.
import type { WebSocket } from 'ws';
import type { DialectContext } from './dialect.js';
import type { JsonMessage } from './json-socket.js';
import { hasWorkspace } from './register-workspaces.js';
import { RegisterSocket } from './register-socket.js';

/** The one kind of room: a workspace's, `RoomUuid` being the workspace id. */
export const ROOM_TYPE = 'WORKSPACE';
/** How many messages a room keeps for its history. */
export const ROOM_HISTORY = 100;

/** A posted message, as broadcast and as kept in a room's history. */
export interface ChatMessage {
  '@type': 'msg';
  RoomType: string;
  RoomUuid: string;
  Payload: string;
  /** The login of the poster. */
  Author: string;
  /** Seconds since the epoch. */
  Timestamp: number;
}

interface ChatMember {
  deliverMessage(message: ChatMessage): void;
}

interface Room {
  history: ChatMessage[];
  members: Set<ChatMember>;
}

/** The rooms, made on first join; each keeps its last messages. */
export class ChatRooms {
  private readonly rooms = new Map<string, Room>();

  /** Adds the member; returns the room's history, oldest first. */
  join(member: ChatMember, roomType: string, roomUuid: string): ChatMessage[] {
    const key = roomKey(roomType, roomUuid);
    let room = this.rooms.get(key);
    if (!room) this.rooms.set(key, (room = { history: [], members: new Set() }));
    room.members.add(member);
    return [...room.history];
  }

  leave(member: ChatMember, roomType: string, roomUuid: string): void {
    this.rooms.get(roomKey(roomType, roomUuid))?.members.delete(member);
  }

  /** Keeps the message and sends it to every member of its room. */
  post(message: ChatMessage): void {
    const room = this.rooms.get(roomKey(message.RoomType, message.RoomUuid));
    if (!room) return;
    room.history.push(message);
    if (room.history.length > ROOM_HISTORY) room.history.splice(0, room.history.length - ROOM_HISTORY);
    for (const member of room.members) member.deliverMessage(message);
  }
}

/** One socket of /dialects/register/chat. */
export class ChatSocket extends RegisterSocket implements ChatMember {
  /** The rooms joined, by key. */
  private readonly joined = new Map<string, { roomType: string; roomUuid: string }>();

  constructor(
    ws: WebSocket,
    context: DialectContext,
    private readonly rooms: ChatRooms,
  ) {
    super('register', ws, context);
  }

  get subscriptionCount(): number {
    return this.joined.size;
  }

  deliverMessage(message: ChatMessage): void {
    this.send(message);
  }

  protected subscribed(): void {
    // Nothing to start: rooms are joined one by one.
  }

  protected handleSubscribed(type: string, message: JsonMessage): void {
    const user = this.principal?.user;
    if (!user) return;
    if (type !== 'join' && type !== 'msg' && type !== 'leave') {
      return this.sendError(`Unknown "@type" "${type}": this endpoint takes subscribe, join, msg and leave.`);
    }
    const { RoomType: roomType, RoomUuid: roomUuid } = message;
    if (roomType !== ROOM_TYPE || typeof roomUuid !== 'string' || roomUuid === '') {
      return this.sendError(`A ${type} needs "RoomType": "${ROOM_TYPE}" and "RoomUuid": a workspace id.`);
    }
    const key = roomKey(roomType, roomUuid);
    switch (type) {
      case 'join': {
        if (!hasWorkspace(user, roomUuid)) return this.sendError('You may not join this room.');
        const history = this.rooms.join(this, roomType, roomUuid);
        this.joined.set(key, { roomType, roomUuid });
        this.send({ '@type': 'room', RoomType: roomType, RoomUuid: roomUuid, Messages: history });
        return;
      }
      case 'msg': {
        const payload = message['Payload'];
        if (typeof payload !== 'string' || payload === '') return this.sendError('A msg needs "Payload", a non-empty string.');
        if (!this.joined.has(key)) return this.sendError('Join a room before posting to it.');
        const at = Math.floor(Date.now() / 1000);
        this.rooms.post({ '@type': 'msg', RoomType: roomType, RoomUuid: roomUuid, Payload: payload, Author: user.login, Timestamp: at });
        return;
      }
      case 'leave':
        this.joined.delete(key);
        this.rooms.leave(this, roomType, roomUuid);
        return;
    }
  }

  protected released(): void {
    for (const { roomType, roomUuid } of this.joined.values()) this.rooms.leave(this, roomType, roomUuid);
    this.joined.clear();
  }
}

function roomKey(roomType: string, roomUuid: string): string {
  return `${roomType}/${roomUuid}`;
}

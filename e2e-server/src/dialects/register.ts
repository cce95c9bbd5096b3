// The `register` dialect: a server whose first frame must carry the JWT and is never acknowledged.
// /dialects/register delivers events filtered by workspace; /dialects/register/chat serves chat
// rooms. See PROTOCOL.md, "Dialect endpoints".
import { CloseCode } from '../codes.js';
import type { DialectFactory } from './dialect.js';
import { ChatRooms, ChatSocket } from './register-chat.js';
import { EventBus, EventsSocket, registerEventsRoutes } from './register-events.js';
import { subPathOf } from './sub-path.js';

/**
 * The `register` dialect, with its own events and chat rooms.
 *
 * @example
 * export const DIALECTS = [registerDialect];
 */
export const registerDialect: DialectFactory = (context) => {
  const bus = new EventBus();
  const rooms = new ChatRooms();
  return {
    name: 'register',
    accept: (ws, request) => {
      const below = subPathOf(request, 'register');
      if (below === 'chat') return new ChatSocket(ws, context, rooms);
      const socket = new EventsSocket(ws, context, bus);
      if (below !== '') socket.closeNow(CloseCode.ProtocolViolation, `no endpoint /dialects/register/${below}: use /dialects/register or /dialects/register/chat`);
      return socket;
    },
    routes: registerEventsRoutes({ auth: context.auth, bus, maxPayload: context.maxPayload }),
  };
};

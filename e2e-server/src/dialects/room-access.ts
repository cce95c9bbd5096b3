// Who may join which room of the `rooms` dialect, and the per-room tokens that prove it: the HTTP
// API mints one for a room the user may join, the socket checks it on `realtime:join`.
import { SignJWT, errors, jwtVerify } from 'jose';
import type { RoleName } from '../users.js';

/** How long a room token lives, in seconds. */
export const ROOM_TOKEN_TTL_SECONDS = 60 * 60;
/** The longest room name accepted. */
const MAX_ROOM_NAME = 200;

export type RoomAccess = { allowed: true } | { allowed: false; status: 400 | 403; message: string };

/**
 * Rooms are names starting with `/` (`/menu`, `/announcements`…). `/admin` is for ADMIN only;
 * every other room is open to every signed-in user.
 */
export function roomAccess(name: unknown, role: RoleName): RoomAccess {
  if (typeof name !== 'string' || !name.startsWith('/') || name.length > MAX_ROOM_NAME) {
    return { allowed: false, status: 400, message: `A room is a name starting with "/", at most ${MAX_ROOM_NAME} characters.` };
  }
  if (name === '/admin' && role !== 'ADMIN') return { allowed: false, status: 403, message: 'Only an ADMIN may join /admin.' };
  return { allowed: true };
}

/** Signs a token that lets `userId` join `room`. */
export function signRoomToken(secret: Uint8Array, userId: string, room: string): Promise<string> {
  return new SignJWT({ room, typ: 'room' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(`${ROOM_TOKEN_TTL_SECONDS}s`)
    .sign(secret);
}

/** Why a room token does not let `userId` join `room`; undefined when it does. */
export async function roomTokenProblem(secret: Uint8Array, token: unknown, room: string, userId: string): Promise<string | undefined> {
  if (typeof token !== 'string' || token === '') return 'A room token is required: get one from POST /api/dialects/rooms/token.';
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, secret, { algorithms: ['HS256'] }));
  } catch (error) {
    return error instanceof errors.JWTExpired ? 'The room token has expired: get a new one.' : 'The room token is not valid.';
  }
  if (payload['typ'] !== 'room' || typeof payload['room'] !== 'string') return 'The room token is not valid.';
  if (payload['room'] !== room) return 'The room token is for another room.';
  if (payload['sub'] !== userId) return 'The room token is for another user.';
  return undefined;
}

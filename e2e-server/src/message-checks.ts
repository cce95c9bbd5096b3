// What every decoder of the protocol does after protobufjs, whichever generated module it uses
// (protocol.ts the full one, protocol-lean.ts the lean one): refuse a message carrying two bodies, and
// hand out stream positions as numbers.
import type { api } from '../generated/api.js';
import { MalformedFrameError } from './request-validation.js';

/** The fields of the `body` oneof of a `Request`. */
export const REQUEST_BODIES: readonly NonNullable<api.Request['body']>[] = [
  'auth', 'sub', 'unsub', 'ping', 'menuList', 'menuAdd', 'menuRename', 'menuDelete', 'reauth',
];
/** The fields of the `body` oneof of a `Response`. */
export const RESPONSE_BODIES: readonly NonNullable<api.Response['body']>[] = [
  'error', 'auth', 'subscribed', 'unsubscribed', 'pong', 'menuList', 'menuAdd', 'menuRename', 'menuDelete', 'sub', 'reauthed',
];

/** A stream position as decoded: its `seq` may be a Long (see seqAsNumber). */
interface Position {
  seq?: number | null;
}

/** Runs a decoder, turning its errors into MalformedFrameError, and rejects two bodies in one message. */
export function checked<T extends object>(decode: () => T, bodies: readonly string[]): T {
  let message: T;
  try {
    message = decode();
  } catch (error) {
    if (error instanceof MalformedFrameError) throw error;
    throw new MalformedFrameError(error instanceof Error ? error.message : String(error));
  }
  const set = bodies.filter((name) => Object.prototype.hasOwnProperty.call(message, name) && Reflect.get(message, name) != null);
  if (set.length > 1) throw new MalformedFrameError(`one message carries ${set.join(' and ')}`);
  return message;
}

/** A decoded request, its `sub.since` position as a number. */
export function requestPositions<T extends { sub?: { since?: Position | null } | null }>(request: T): T {
  seqAsNumber(request.sub?.since);
  return request;
}

/** A decoded response, the positions of its push and of its `subscribed` answer as numbers. */
export function responsePositions<T extends { sub?: { position?: Position | null } | null; subscribed?: { position?: Position | null } | null }>(
  response: T,
): T {
  seqAsNumber(response.sub?.position);
  seqAsNumber(response.subscribed?.position);
  return response;
}

/**
 * protobufjs gives a uint64 as a Long where the `long` package loads (Node) and as a number
 * elsewhere (browsers); a position's seq stays below 2^53, so the decoders hand it out as a number,
 * as the generated types say.
 */
function seqAsNumber(position: Position | null | undefined): void {
  if (!position) return;
  const seq: unknown = position.seq;
  if (typeof seq !== 'number') position.seq = seq == null ? 0 : Number(String(seq));
}

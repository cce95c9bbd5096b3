// What every WebSocket endpoint of the server does to frames the same way: a received frame as one
// Buffer, and a close reason cut to what a close frame can carry.
import type { RawData } from 'ws';

/** A received frame as one Buffer, whichever of its shapes `ws` delivered. */
export function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/** A close reason fits in 123 bytes of UTF-8 (RFC 6455 5.5); longer ones are cut. */
export function closeReason(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length <= 123 ? text : new TextDecoder().decode(bytes.subarray(0, 120)).replace(/\uFFFD$/, '');
}

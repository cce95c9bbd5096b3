import { NoLocationError } from './errors';

/**
 * The WebSocket URL of a path on the page's own host: `ws:` on an `http:` page, `wss:` on `https:`.
 * It needs the page's `location` (browsers, web workers); elsewhere (Node, server-side rendering) it
 * throws `NoLocationError`: pass an absolute URL there.
 *
 * @example
 * // on https://app.example.com/orders
 * makeWsUrl('/api/ws'); // 'wss://app.example.com/api/ws'
 * new WebSocketController({ url: () => makeWsUrl('/api/ws') });
 */
export function makeWsUrl(relativeUrl: string): string {
  const location = (globalThis as { location?: { readonly protocol: string; readonly host: string } }).location;
  if (!location) throw new NoLocationError(relativeUrl);
  return `${location.protocol.replace('http', 'ws')}//${location.host}${relativeUrl}`;
}

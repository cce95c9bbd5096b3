// Which endpoint of a dialect a socket asked for: the part of its path below `/dialects/<name>`.
import type { IncomingMessage } from 'node:http';

/** The path below `/dialects/<name>` without slashes at either end: `''` for the dialect's root, `'chat'` for `/dialects/<name>/chat`. */
export function subPathOf(request: IncomingMessage, name: string): string {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const root = `/dialects/${name}`;
  return path.startsWith(root) ? path.slice(root.length).replace(/^\/+|\/+$/g, '') : path;
}

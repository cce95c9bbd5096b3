// Node-side test support: a real e2e-server per test on a free loopback port, logins over its HTTP
// API, and waits on the controller's streams with bounded timeouts (no sleeps).
import type { TestContext } from 'node:test';
import { firstValueFrom, Observable, timeout } from 'rxjs';
import WebSocket from 'ws';
import type { WebSocketCtor } from 'customapp-rxjs-websocket';
import { startServer } from '../../../e2e-server/src/index.js';
import type { RunningServer } from '../../../e2e-server/src/index.js';

/** The `ws` package's WebSocket, as the controller's constructor. */
export const NodeWebSocket = WebSocket as unknown as WebSocketCtor;

/** Starts a server for one test; it is closed after the test. */
export async function serverFor(t: TestContext, options: Parameters<typeof startServer>[0] = {}): Promise<RunningServer> {
  const server = await startServer({ port: 0, testMode: true, ...options });
  t.after(() => server.close());
  return server;
}

/** Logs in over the HTTP API and returns the access token (seeded passwords are `<login>-pass`). */
export async function login(server: RunningServer, who: 'admin' | 'manager' | 'viewer'): Promise<string> {
  const response = await fetch(`${server.httpUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: who, password: `${who}-pass` }),
  });
  if (!response.ok) throw new Error(`login as ${who} failed with ${response.status}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** POSTs JSON to the server with a Bearer token; returns status and body. */
export async function post(server: RunningServer, path: string, token: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.httpUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => undefined) };
}

/** Calls the control API (`drop`, `drop?dialect=rooms`, `expire-tokens`, ...). */
export async function control(server: RunningServer, action: string): Promise<unknown> {
  const response = await fetch(`${server.controlUrl}/${action}`, { method: 'POST' });
  if (!response.ok) throw new Error(`control ${action} failed with ${response.status}`);
  return response.json();
}

/** The first value of a stream, or a clear failure after `ms`. */
export function next<T>(stream: Observable<T>, what: string, ms = 5000): Promise<T> {
  return firstValueFrom(stream.pipe(timeout({ first: ms, with: () => { throw new Error(`timed out after ${ms} ms waiting for ${what}`); } })));
}

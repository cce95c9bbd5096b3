// Node-side test support: a real e2e-server per test on a free loopback port, logins over its HTTP
// API, and waits on the controller's streams with bounded timeouts (no sleeps).
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { firstValueFrom, Observable, timeout } from 'rxjs';
import WebSocket from 'ws';
import type { WebSocketCtor } from 'customapp-rxjs-websocket';
import { startServer } from '../../../e2e-server/src/index.js';
import type { RunningServer } from '../../../e2e-server/src/index.js';

/** The `ws` package's WebSocket, as the controller's constructor. */
export const NodeWebSocket: WebSocketCtor = WebSocket;

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

/** The sockets a controller made and the frames it wrote, for specs that count attempts or read the wire. */
export interface SocketLog {
  /** The `ws` package's WebSocket, recording: pass it as `WebSocketCtor`. */
  readonly Ctor: WebSocketCtor;
  /** Every socket made, in order: one per connection attempt. */
  readonly sockets: readonly WebSocket[];
  /** Every frame written, over all sockets, in order. */
  readonly sent: readonly string[];
}

/** A recording WebSocket constructor (see {@link SocketLog}). */
export function socketLog(): SocketLog {
  const sockets: WebSocket[] = [];
  const sent: string[] = [];
  class RecordingWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[], options?: WebSocket.ClientOptions) {
      super(address, protocols, options);
      sockets.push(this);
    }

    override send(data: unknown, ...rest: unknown[]): void {
      sent.push(String(data));
      (super.send as (...args: unknown[]) => void)(data, ...rest);
    }
  }
  return { Ctor: RecordingWebSocket, sockets, sent };
}

/** The frames of a log that parse as JSON objects, for dialect specs. */
export function sentJson<T = Record<string, unknown>>(log: SocketLog): T[] {
  return log.sent.map((frame) => JSON.parse(frame) as T);
}

/** What `GET /__control/stats` answers. */
export type ServerStats = import('../../../e2e-server/src/index.js').ServerStats;

/** Polls `GET /__control/stats` until `check` passes; fails with the last stats after `ms`. */
export async function statsUntil(server: RunningServer, check: (stats: ServerStats) => boolean, what: string, ms = 5000): Promise<ServerStats> {
  const deadline = Date.now() + ms;
  for (;;) {
    const response = await fetch(`${server.controlUrl}/stats`);
    const stats = (await response.json()) as ServerStats;
    if (check(stats)) return stats;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting until ${what}; stats: ${JSON.stringify(stats)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** What a token source was asked on one call, and the token it gave. */
export interface TokenCall {
  readonly connection: number;
  readonly tokenExpired: boolean;
  readonly token: string;
}

/** A preset's token source that signs in anew on every call (see {@link signingIn}). */
export interface SigningIn {
  readonly source: (context: import('customapp-rxjs-websocket').AuthContext<unknown>) => Observable<string>;
  /** Every call, in order. */
  readonly calls: readonly TokenCall[];
}

/**
 * A token source that logs in over HTTP on every call, so that each connection gets a genuinely new
 * token; `first`, when given, is the token of the first call instead (an invalid or expired one).
 */
export function signingIn(server: RunningServer, who: 'admin' | 'manager' | 'viewer', first?: string): SigningIn {
  const calls: TokenCall[] = [];
  const source: SigningIn['source'] = (context) =>
    new Observable<string>((subscriber) => {
      const token = first !== undefined && calls.length === 0 ? Promise.resolve(first) : login(server, who);
      token.then(
        (value) => {
          calls.push({ connection: context.connection, tokenExpired: context.tokenExpired, token: value });
          subscriber.next(value);
          subscriber.complete();
        },
        (error: unknown) => subscriber.error(error),
      );
    });
  return { source, calls };
}

/** The stale first token was used, then renewed once for the second connection (asked with `tokenExpired`). */
export function assertRenewedOnce(tokens: SigningIn, stale: string): void {
  assert.deepEqual(
    tokens.calls.map((call) => [call.connection, call.tokenExpired, call.token === stale]),
    [
      [1, false, true],
      [2, true, false],
    ],
  );
}

/**
 * Keeps controllers to close after the test. Call it before {@link serverFor}: hooks run in the
 * order they were added, so the controllers are closed before the server goes.
 */
export function closedAfter(t: TestContext): <C extends { close(): Observable<void> }>(controller: C) => C {
  const controllers: { close(): Observable<void> }[] = [];
  t.after(() => Promise.all(controllers.map((controller) => firstValueFrom(controller.close(), { defaultValue: undefined }))));
  return (controller) => {
    controllers.push(controller);
    return controller;
  };
}

/** The error a stream fails with; a clear failure when it emits or completes first, or stays silent for `ms`. */
export function failure(stream: Observable<unknown>, what: string, ms = 5000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let subscription: { unsubscribe(): void } | undefined;
    let settled = false;
    const settle = (end: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      subscription?.unsubscribe();
      end();
    };
    const timer = setTimeout(() => settle(() => reject(new Error(`timed out after ${ms} ms waiting for ${what} to fail`))), ms);
    subscription = stream.subscribe({
      next: (value) => settle(() => reject(new Error(`${what} emitted ${JSON.stringify(value)} instead of failing`))),
      error: (error: unknown) => settle(() => resolve(error)),
      complete: () => settle(() => reject(new Error(`${what} completed instead of failing`))),
    });
    if (settled) subscription.unsubscribe();
  });
}

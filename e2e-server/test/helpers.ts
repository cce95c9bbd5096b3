// Test helpers: a server per test on 127.0.0.1 port 0, real `ws` clients that queue what they
// receive, and small waitFor… helpers with bounded timeouts. Everything made here is closed after
// the test that made it.
import type { TestContext } from 'node:test';
import { SignJWT, decodeJwt } from 'jose';
import WebSocket from 'ws';
import type { RunningServer, ServerOptions } from '../src/index.js';
import { startServer } from '../src/index.js';
import type { Encoding, RequestInit } from '../src/protocol.js';
import { api, decodeResponseFrame, encodeRequestFrame, subprotocolOf } from '../src/protocol.js';
import { toBuffer } from '../src/ws-frames.js';

/** The HS256 secret the tests start servers with, so that they can forge tokens. */
export const TEST_SECRET = 'e2e-server-tests-secret-of-at-least-32-bytes';

export const CREDENTIALS = {
  admin: { login: 'admin', password: 'admin-pass' },
  manager: { login: 'manager', password: 'manager-pass' },
  viewer: { login: 'viewer', password: 'viewer-pass' },
} as const;
export type Who = keyof typeof CREDENTIALS;

/** The body of a successful login, refresh or login-as. */
export interface GrantBody {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  user: { id: string; login: string; name: string; role: string };
  actingUser?: { id: string; login: string; name: string; role: string };
}

export interface Closed {
  code: number;
  reason: string;
}

export interface HttpResult {
  status: number;
  body: unknown;
  headers: Headers;
}

/** Rejects after `ms` unless the promise settles first; the timer never outlives it. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls a condition until it holds (for state only visible through the control API). */
export async function waitUntil(condition: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface Waiter<T> {
  predicate: (message: T) => boolean;
  resolve: (message: T) => void;
}

/** What a test client received, in order: each message is taken once, by a waiter or from the queue. */
export class MessageQueue<T> {
  private readonly queue: T[] = [];
  private readonly waiters = new Set<Waiter<T>>();

  /** Messages received and not taken yet. */
  get pending(): readonly T[] {
    return this.queue;
  }

  /** Hands a received message to the first waiter it matches, or else queues it. */
  push(message: T): void {
    for (const waiter of this.waiters) {
      if (waiter.predicate(message)) {
        this.waiters.delete(waiter);
        waiter.resolve(message);
        return;
      }
    }
    this.queue.push(message);
  }

  /** The first queued or later message that matches; it is taken off the queue. */
  waitFor(predicate: (message: T) => boolean, timeoutMs: number, what: string): Promise<T> {
    const index = this.queue.findIndex(predicate);
    if (index >= 0) return Promise.resolve(this.queue.splice(index, 1)[0] as T);
    let waiter: Waiter<T> | undefined;
    const found = new Promise<T>((resolve) => {
      waiter = { predicate, resolve };
      this.waiters.add(waiter);
    });
    return withTimeout(found, timeoutMs, what).finally(() => waiter && this.waiters.delete(waiter));
  }
}

/** Resolves once the socket is open; rejects when the upgrade is refused or fails. */
export function socketOpen(ws: WebSocket, url: string): Promise<void> {
  return withTimeout(
    new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused with HTTP ${response.statusCode}`)));
      ws.once('error', reject);
    }),
    2000,
    `a socket to ${url}`,
  );
}

/** A real `ws` client that decodes and queues every response, in order. */
export class TestClient {
  private readonly responses = new MessageQueue<api.Response>();
  private lastId = 100;
  /** Frames that did not decode as a response (a server bug if ever non-zero). */
  undecodable = 0;
  /** Resolves with the close code and reason, whoever closed. */
  readonly closed: Promise<Closed>;

  constructor(
    readonly ws: WebSocket,
    readonly encoding: Encoding,
  ) {
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('error', () => undefined); // a refused or dropped socket shows up as its close
    ws.on('message', (data, isBinary) => {
      const bytes = toBuffer(data);
      try {
        this.responses.push(decodeResponseFrame(encoding, isBinary ? bytes : bytes.toString('utf8')));
      } catch {
        this.undecodable += 1;
      }
    });
  }

  send(request: RequestInit): void {
    this.ws.send(encodeRequestFrame(this.encoding, request));
  }

  sendRaw(data: string | Buffer, binary: boolean): void {
    this.ws.send(data, { binary });
  }

  /** Sends a request with a fresh id and resolves with the response carrying that id. */
  async request(request: Omit<RequestInit, 'id'>, timeoutMs = 2000): Promise<api.Response> {
    const id = ++this.lastId;
    const response = this.waitFor((r) => r.id === id, timeoutMs, `the response to request ${id}`);
    this.send({ ...request, id });
    return response;
  }

  /** Authorizes with the token and resolves with the answer (an `auth` or an `error`). */
  auth(accessToken: string, timeoutMs = 2000): Promise<api.Response> {
    return this.request({ auth: { accessToken } }, timeoutMs);
  }

  /** The next response not yet taken. */
  nextMessage(timeoutMs = 2000): Promise<api.Response> {
    return this.waitFor(() => true, timeoutMs, 'the next message');
  }

  /** The first queued or later response that matches; it is taken off the queue. */
  waitFor(predicate: (response: api.Response) => boolean, timeoutMs = 2000, what = 'a matching message'): Promise<api.Response> {
    return this.responses.waitFor(predicate, timeoutMs, what);
  }

  /** Resolves with the close once it happens. */
  waitForClose(timeoutMs = 3000): Promise<Closed> {
    return withTimeout(this.closed, timeoutMs, 'the socket to close');
  }

  /** Responses received and not taken yet. */
  get pending(): readonly api.Response[] {
    return this.responses.pending;
  }

  /** Sends a ping and waits for its pong: everything the server sent before it has arrived. */
  async roundTrip(timeoutMs = 2000): Promise<void> {
    const pong = await this.request({ ping: { clientTime: 1 } }, timeoutMs);
    if (!pong.pong) throw new Error(`expected a pong, got ${JSON.stringify(pong.toJSON())}`);
  }

  terminate(): void {
    this.ws.terminate();
  }
}

export interface ConnectOptions {
  encoding?: Encoding;
  /** Subprotocols to offer instead of the one of `encoding`; [] offers none. */
  protocols?: string[];
  origin?: string;
  /** Endpoint path; default /ws. */
  path?: string;
}

/** A test's own server and everything connected to it; all closed after the test. */
export interface TestEnv {
  server: RunningServer;
  /** Opens a socket and waits until it is open. */
  connect(options?: ConnectOptions): Promise<TestClient>;
  /** Logs in over HTTP. */
  login(who: Who): Promise<GrantBody>;
  /** Logs in, connects and authorizes. */
  signIn(who: Who, options?: ConnectOptions): Promise<{ client: TestClient; grant: GrantBody }>;
  /** Calls the HTTP API (`path` from the server root). */
  http(method: string, path: string, init?: { body?: unknown; token?: string; headers?: Record<string, string> }): Promise<HttpResult>;
  /** Calls the control API. */
  control(action: string, method?: 'GET' | 'POST'): Promise<HttpResult>;
}

/** Starts a server for this test (127.0.0.1, port 0, test mode unless told) and cleans up after it. */
export async function useServer(t: TestContext, options: ServerOptions = {}): Promise<TestEnv> {
  const server = await startServer({ port: 0, host: '127.0.0.1', testMode: true, secret: TEST_SECRET, ...options });
  const clients = new Set<TestClient>();
  t.after(async () => {
    for (const client of clients) client.terminate();
    await server.close();
  });

  const env: TestEnv = {
    server,
    connect: (connectOptions = {}) => connect(server, connectOptions, clients),
    http: (method, path, init = {}) => httpCall(server.httpUrl + path, method, init),
    control: (action, method = 'POST') => httpCall(`${server.controlUrl}/${action}`, method, {}),
    login: async (who) => {
      const result = await env.http('POST', '/api/auth/login', { body: CREDENTIALS[who] });
      if (result.status !== 200) throw new Error(`login as ${who} failed: ${result.status} ${JSON.stringify(result.body)}`);
      return result.body as GrantBody;
    },
    signIn: async (who, connectOptions = {}) => {
      const grant = await env.login(who);
      const client = await env.connect(connectOptions);
      const answer = await client.auth(grant.accessToken);
      if (!answer.auth) throw new Error(`auth as ${who} failed: ${JSON.stringify(answer.toJSON())}`);
      return { client, grant };
    },
  };
  return env;
}

async function connect(server: RunningServer, options: ConnectOptions, clients: Set<TestClient>): Promise<TestClient> {
  const encoding = options.encoding ?? 'json';
  const url = new URL(options.path ?? '/ws', server.wsUrl).href;
  const protocols = options.protocols ?? [subprotocolOf(encoding)];
  const ws = new WebSocket(url, protocols, options.origin ? { origin: options.origin } : {});
  const client = new TestClient(ws, encoding);
  clients.add(client);
  await socketOpen(ws, url);
  return client;
}

async function httpCall(
  url: string,
  method: string,
  init: { body?: unknown; token?: string; headers?: Record<string, string> },
): Promise<HttpResult> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers['Authorization'] = `Bearer ${init.token}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  }
  const response = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined, headers: response.headers };
}

/** The `error.code` of an HTTP error body. */
export function errorCodeOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as { error?: { code?: unknown } }).error;
  return typeof error?.code === 'string' ? error.code : undefined;
}

/** Signs a token with the tests' secret: the claims of `base` with `changes` applied. */
export async function forgeToken(base: string, changes: Record<string, unknown>, secret = TEST_SECRET): Promise<string> {
  const claims = { ...decodeJwt(base), ...changes };
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));
}

/** Seconds since the epoch, now. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export { api };

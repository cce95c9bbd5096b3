// Test helpers for the dialect endpoints: a real `ws` client that parses and queues every JSON
// text frame it receives, and a connect() that waits for the socket to open and terminates it
// after the test.
import type { TestContext } from 'node:test';
import WebSocket from 'ws';
import type { RunningServer } from '../src/index.js';
import type { Closed } from './helpers.js';
import { MessageQueue, socketOpen, withTimeout } from './helpers.js';

/** A JSON object a dialect socket received. */
export type JsonFrame = Record<string, unknown>;

/** A `ws` client of a JSON dialect: every frame is parsed and queued, in order. */
export class JsonDialectClient {
  private readonly frames = new MessageQueue<JsonFrame>();
  /** Frames that were not JSON objects (a server bug if ever non-zero). */
  unparsable = 0;
  /** Resolves with the close code and reason, whoever closed. */
  readonly closed: Promise<Closed>;

  constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('error', () => undefined); // a refused or dropped socket shows up as its close
    ws.on('message', (data) => {
      try {
        const frame: unknown = JSON.parse(String(data));
        if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) throw new Error('not an object');
        this.frames.push(frame as JsonFrame);
      } catch {
        this.unparsable += 1;
      }
    });
  }

  /** Sends a message as JSON text. */
  send(message: object): void {
    this.ws.send(JSON.stringify(message));
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }

  /** The next frame not yet taken. */
  next(timeoutMs = 2000): Promise<JsonFrame> {
    return this.waitFor(() => true, timeoutMs, 'the next frame');
  }

  /** The first queued or later frame that matches; it is taken off the queue. */
  waitFor(predicate: (frame: JsonFrame) => boolean, timeoutMs = 2000, what = 'a matching frame'): Promise<JsonFrame> {
    return this.frames.waitFor(predicate, timeoutMs, what);
  }

  /** Sends a message and resolves with the first later frame that matches. */
  request(message: object, predicate: (frame: JsonFrame) => boolean, timeoutMs = 2000): Promise<JsonFrame> {
    const answer = this.waitFor(predicate, timeoutMs, `the answer to ${JSON.stringify(message)}`);
    this.send(message);
    return answer;
  }

  /** Frames received and not taken yet. */
  get pending(): readonly JsonFrame[] {
    return this.frames.pending;
  }

  /** Resolves with the close once it happens. */
  waitForClose(timeoutMs = 3000): Promise<Closed> {
    return withTimeout(this.closed, timeoutMs, 'the socket to close');
  }

  terminate(): void {
    this.ws.terminate();
  }
}

export interface DialectConnectOptions {
  /** Appended to `/dialects/<name>`, e.g. `?channel_id=lobby`. */
  suffix?: string;
  /** Headers of the upgrade request, e.g. `Authorization`. */
  headers?: Record<string, string>;
  origin?: string;
}

/** Opens a socket to a dialect endpoint and waits until it is open; it is terminated after the test. */
export async function connectDialect(
  t: TestContext,
  server: RunningServer,
  name: string,
  options: DialectConnectOptions = {},
): Promise<JsonDialectClient> {
  const url = server.dialectUrl(name) + (options.suffix ?? '');
  const ws = new WebSocket(url, {
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.origin ? { origin: options.origin } : {}),
  });
  const client = new JsonDialectClient(ws);
  t.after(() => client.terminate());
  await socketOpen(ws, url);
  return client;
}

// The 1.2.x names where only Node can check them: makeWsUrl without a page location (and with one
// put in place), and the `ws` package's WebSocket class passed as it is, to a URL object, against a
// real server on a free loopback port.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { firstValueFrom } from 'rxjs';
import WebSocket, { WebSocketServer } from 'ws';
import { makeWsUrl, NoLocationError, WebSocketController, WebSocketControllerState } from 'customapp-rxjs-websocket';
import type { WebSocketControllerConfig } from 'customapp-rxjs-websocket';
import { closedAfter, next } from './support.js';

interface Echo {
  id: number;
  text?: string;
}

/** A server that answers every JSON frame with itself, on a free loopback port; closed after the test. */
async function echoServer(t: TestContext): Promise<URL> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket) => socket.on('message', (data) => socket.send(String(data))));
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return new URL(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/echo`);
}

/** Runs `body` with `globalThis.location` set as a page's would be, then takes it away again. */
function onPage<T>(href: string, body: () => T): T {
  const { protocol, host } = new URL(href);
  Object.defineProperty(globalThis, 'location', { value: { protocol, host }, configurable: true });
  try {
    return body();
  } finally {
    delete (globalThis as { location?: unknown }).location;
  }
}

describe('makeWsUrl', () => {
  it('throws NoLocationError, saying to pass an absolute URL, where there is no page location', () => {
    assert.equal((globalThis as { location?: unknown }).location, undefined);
    assert.throws(() => makeWsUrl('/ws'), (error: unknown) => {
      assert.ok(error instanceof NoLocationError);
      assert.equal(error.relativeUrl, '/ws');
      assert.match(error.message, /absolute ws:\/\/ or wss:\/\/ URL/);
      return true;
    });
  });

  it("makes wss:// on an https page and ws:// on an http page, on the page's host", () => {
    assert.equal(onPage('https://app.example.com:8443/orders', () => makeWsUrl('/api/ws')), 'wss://app.example.com:8443/api/ws');
    assert.equal(onPage('http://localhost:4200/', () => makeWsUrl('/ws')), 'ws://localhost:4200/ws');
  });
});

describe("the `ws` package's WebSocket as WebSocketCtor", () => {
  it('connects to a URL object, emits the open event on opened$ and answers a request', async (t) => {
    const own = closedAfter(t);
    const url = await echoServer(t);
    const config: WebSocketControllerConfig<Echo, Echo> = { url, WebSocketCtor: WebSocket };
    const controller = own(new WebSocketController(config));
    const opened = next(controller.opened$, 'opened$');
    await firstValueFrom(controller.open({ autoReconnect: false }));

    const event = await opened;
    assert.equal(event.type, 'open');
    assert.equal(controller.state, WebSocketControllerState.subscribed);
    const answer = await next(controller.request({ id: 0, text: 'hello' }), 'the echo');
    assert.equal(answer.text, 'hello');
    assert.ok(answer.id > 0, 'the request got an id of its own');

    const closed = next(controller.closed$, 'closed$');
    await firstValueFrom(controller.close(), { defaultValue: undefined });
    const { code, reason, wasClean } = await closed;
    assert.deepEqual({ code, reason, wasClean }, { code: 1000, reason: 'closed by client', wasClean: true });
  });
});

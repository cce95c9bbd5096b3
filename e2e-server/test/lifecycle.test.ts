// Starting and stopping: in-process startServer, the command line (npm run server), the karma plugin.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import WebSocket from 'ws';
import { parseCommandLine } from '../src/cli-options.js';
import { startServer } from '../src/index.js';
import { CloseCode } from '../src/protocol.js';
import { useServer, withTimeout } from './helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const mainScript = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/** Opens a raw socket and resolves with it once open. */
async function openSocket(url: string): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  const ws = new WebSocket(url, 'api.v1.json');
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  ws.on('error', () => undefined);
  await withTimeout(new Promise((resolve) => ws.once('open', resolve)), 2000, `a socket to ${url}`);
  return { ws, closed };
}

describe('lifecycle', () => {
  test('port 0 picks a free port and the URLs name it', async (t) => {
    const a = await useServer(t);
    const b = await useServer(t);
    assert.ok(a.server.port > 0);
    assert.notEqual(a.server.port, b.server.port);
    assert.equal(a.server.httpUrl, `http://127.0.0.1:${a.server.port}`);
    assert.equal(a.server.wsUrl, `ws://127.0.0.1:${a.server.port}/ws`);
    assert.equal(a.server.notificationsUrl, `ws://127.0.0.1:${a.server.port}/ws/notifications`);
    assert.equal(a.server.controlUrl, `http://127.0.0.1:${a.server.port}/__control`);
  });

  test('close() closes every socket with 1001, resolves, and frees the port', async () => {
    const server = await startServer({ port: 0 });
    const first = await openSocket(server.wsUrl);
    const second = await openSocket(server.notificationsUrl);
    await server.close();
    assert.equal(await withTimeout(first.closed, 1000, 'close of the first socket'), CloseCode.GoingAway);
    assert.equal(await withTimeout(second.closed, 1000, 'close of the second socket'), CloseCode.GoingAway);
    await assert.rejects(fetch(`${server.httpUrl}/api/health`));
    await server.close(); // a second close is harmless
  });

  test('startServer rejects when the port is taken', async (t) => {
    const env = await useServer(t);
    await assert.rejects(startServer({ port: env.server.port }), /EADDRINUSE/);
  });

  test('contradictory options are refused with a readable error', async () => {
    await assert.rejects(startServer({ port: 0, secret: 'short' }), /at least 32 bytes/);
    await assert.rejects(startServer({ port: 0, accessTtlSeconds: 0 }), /accessTtlSeconds/);
    await assert.rejects(startServer({ port: 70000 }), /port/);
  });

  test('the command line takes --port, PORT, --test and the other options', () => {
    assert.equal(parseCommandLine([], { PORT: '9000' }).options.port, 9000);
    assert.equal(parseCommandLine(['--port', '0'], { PORT: '9000' }).options.port, 0);
    assert.equal(parseCommandLine([], {}).options.testMode, undefined);
    assert.equal(parseCommandLine(['--test'], {}).options.testMode, true);
    assert.equal(parseCommandLine([], { E2E_SERVER_TEST: '1' }).options.testMode, true);
    assert.deepEqual(parseCommandLine(['--allowed-origins', 'http://a.test, http://b.test'], {}).options.allowedOrigins, [
      'http://a.test',
      'http://b.test',
    ]);
    const all = parseCommandLine(['--access-ttl', '5', '--refresh-ttl', '50', '--auth-timeout', '100', '--max-payload', '2048'], {});
    assert.deepEqual(
      [all.options.accessTtlSeconds, all.options.refreshTtlSeconds, all.options.authTimeoutMs, all.options.maxPayload],
      [5, 50, 100, 2048],
    );
    assert.throws(() => parseCommandLine(['--port', 'abc'], {}), /--port must be a number/);
    assert.throws(() => parseCommandLine(['--bogus'], {}));
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`npm run server prints its URLs and on ${signal} closes sockets with 1001 and exits 0`, async (t) => {
      const child = spawn(process.execPath, ['--import', 'tsx', mainScript, '--port', '0', '--test'], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      t.after(() => child.kill('SIGKILL'));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const wsUrl = await withTimeout(
        new Promise<string>((resolve) => {
          child.stdout.on('data', () => {
            const match = /ws:\/\/127\.0\.0\.1:\d+\/ws\b/.exec(output);
            if (match && /control API/.test(output)) resolve(match[0]);
          });
        }),
        15000,
        'the printed URLs',
      );
      assert.match(output, /http:\/\/127\.0\.0\.1:\d+\/api/);
      assert.match(output, /ws\/notifications/);
      const { closed } = await openSocket(wsUrl);
      child.kill(signal);
      assert.equal(await withTimeout(closed, 5000, 'the socket close'), CloseCode.GoingAway);
      assert.equal(await withTimeout(exited, 5000, 'the process exit'), 0, output);
    });
  }

  test('the karma plugin starts the server before the browser, hands its URLs, and stops on exit', async () => {
    const require = createRequire(import.meta.url);
    const plugin = require('../karma-plugin.cjs') as Record<string, [string, KarmaFactory]>;
    const entry = plugin['framework:e2e-server'];
    assert.ok(entry, 'the plugin registers framework:e2e-server');
    const [kind, factory] = entry;
    assert.equal(kind, 'factory');
    assert.deepEqual(factory.$inject, ['config', 'logger', 'emitter']);

    const config: { client: Record<string, unknown>; e2eServer?: object } = { client: { jasmine: {} }, e2eServer: { accessTtlSeconds: 60 } };
    const emitter = new EventEmitter();
    const logger = { create: () => ({ info: () => undefined, error: () => undefined }) };
    await factory(config, logger, emitter);
    const urls = config.client['e2eServer'] as { httpUrl: string; wsUrl: string; notificationsUrl: string; controlUrl: string };
    assert.match(urls.httpUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(urls.wsUrl, urls.httpUrl.replace('http:', 'ws:') + '/ws');
    assert.equal(urls.notificationsUrl, urls.wsUrl + '/notifications');
    assert.equal((await fetch(`${urls.controlUrl}/stats`)).status, 200, 'the plugin starts the server in test mode');

    const { closed } = await openSocket(urls.wsUrl);
    await withTimeout(new Promise<void>((done) => emitter.emit('exit', done)), 5000, 'karma exit');
    assert.equal(await withTimeout(closed, 1000, 'the socket close'), CloseCode.GoingAway);
    await assert.rejects(fetch(`${urls.httpUrl}/api/health`));
  });
});

type KarmaFactory = ((config: object, logger: object, emitter: EventEmitter) => Promise<void>) & { $inject: string[] };

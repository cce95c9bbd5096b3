// `npm run bench`: the controller against a raw `ws` client, side by side in one run, on loopback.
//   1. push throughput: 200,000 small JSON pushes through `controller.messages$` vs a raw client's onmessage;
//   2. request/response: 10,000 requests in flight answered in reverse order vs a raw client with a Map.
// Each case runs ROUNDS times, alternating raw and controller, after a warm-up; the table shows medians
// and the ratio raw time / controller time (1.00 = as fast as raw; the target is ≥ 0.90).
import { fork } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { filter, firstValueFrom } from 'rxjs';
import WebSocket, { WebSocketServer } from 'ws';
// The built package (npm run bench builds it first): what users run, not the sources through a transpiler.
import { SocketState, WebSocketController } from '../dist/customapp-rxjs-websocket/fesm2022/customapp-rxjs-websocket.mjs';

const PUSHES = Number(process.env.BENCH_PUSHES ?? 200_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

/**
 * The loopback server, in a child process so its work does not share the client's thread: `blast`
 * sends N pushes; echo requests are held until REQUESTS arrived, then answered backwards.
 */
function serve() {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('listening', () => process.send?.({ port: server.address().port }));
  server.on('connection', (socket) => {
    let held = [];
    socket.on('message', (data) => {
      const request = JSON.parse(data.toString());
      if (request.blast !== undefined) {
        for (let n = 0; n < request.blast; n++) socket.send(JSON.stringify({ id: 0, push: { n, name: 'category' } }));
        return;
      }
      held.push(request);
      if (held.length === REQUESTS) {
        for (let i = held.length - 1; i >= 0; i--) socket.send(JSON.stringify({ id: held[i].id, echo: held[i].echo }));
        held = [];
      }
    });
  });
  process.on('disconnect', () => process.exit(0));
}

async function startServer() {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port } = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`the bench server exited with ${code}`)));
  });
  return { url: `ws://127.0.0.1:${port}`, close: () => child.disconnect() };
}

async function rawClient(url) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  return ws;
}

async function controllerClient(url) {
  const controller = new WebSocketController({
    url,
    WebSocketCtor: WebSocket,
    deserializer: (event) => JSON.parse(String(event.data)),
    requestTimeout: 60_000,
  });
  controller.open({ autoReconnect: false });
  await firstValueFrom(controller.state$.pipe(filter((s) => s === SocketState.subscribed)));
  return controller;
}

async function rawPushes(ws) {
  let received = 0;
  let checksum = 0;
  const done = new Promise((resolve) => {
    ws.onmessage = (event) => {
      const message = JSON.parse(String(event.data));
      checksum += message.push.n;
      if (++received === PUSHES) resolve();
    };
  });
  const started = performance.now();
  ws.send(JSON.stringify({ id: 0, blast: PUSHES }));
  await done;
  ws.onmessage = null;
  if (checksum !== (PUSHES * (PUSHES - 1)) / 2) throw new Error('raw client lost pushes');
  return performance.now() - started;
}

async function controllerPushes(controller) {
  let received = 0;
  let checksum = 0;
  const done = new Promise((resolve) => {
    const subscription = controller.messages$.subscribe((message) => {
      checksum += message.push.n;
      if (++received === PUSHES) {
        subscription.unsubscribe();
        resolve();
      }
    });
  });
  const started = performance.now();
  controller.send({ id: 0, blast: PUSHES });
  await done;
  if (checksum !== (PUSHES * (PUSHES - 1)) / 2) throw new Error('controller lost pushes');
  return performance.now() - started;
}

// Both sides hand each response to a per-request callback and count; neither wraps a request in a Promise.
async function rawRequests(ws, round) {
  const waiting = new Map();
  const echoes = new Array(REQUESTS);
  let answered = 0;
  const done = new Promise((resolve) => {
    ws.onmessage = (event) => {
      const response = JSON.parse(String(event.data));
      const callback = waiting.get(response.id);
      if (callback) {
        waiting.delete(response.id);
        callback(response);
        if (++answered === REQUESTS) resolve();
      }
    };
  });
  const started = performance.now();
  for (let i = 0; i < REQUESTS; i++) {
    const id = round * REQUESTS + i + 1;
    waiting.set(id, (response) => (echoes[i] = response.echo));
    ws.send(JSON.stringify({ id, echo: i }));
  }
  await done;
  const elapsed = performance.now() - started;
  ws.onmessage = null;
  if (echoes.some((echo, i) => echo !== i)) throw new Error('raw client mismatched a response');
  return elapsed;
}

async function controllerRequests(controller) {
  const echoes = new Array(REQUESTS);
  let answered = 0;
  let finish;
  const done = new Promise((resolve) => (finish = resolve));
  const started = performance.now();
  for (let i = 0; i < REQUESTS; i++) {
    controller.request({ id: 0, echo: i }).subscribe((response) => {
      echoes[i] = response.echo;
      if (++answered === REQUESTS) finish();
    });
  }
  await done;
  const elapsed = performance.now() - started;
  if (echoes.some((echo, i) => echo !== i)) throw new Error('controller mismatched a response');
  return elapsed;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const server = await startServer();
  const raw = await rawClient(server.url);
  const controller = await controllerClient(server.url);
  const results = { rawPush: [], ctlPush: [], rawReq: [], ctlReq: [] };

  // warm-up (JIT) — not counted
  await rawPushes(raw);
  await controllerPushes(controller);
  await rawRequests(raw, 1000);
  await controllerRequests(controller);

  for (let round = 0; round < ROUNDS; round++) {
    // alternate which goes first so neither always gets the warmer machine
    if (round % 2 === 0) {
      results.rawPush.push(await rawPushes(raw));
      results.ctlPush.push(await controllerPushes(controller));
      results.rawReq.push(await rawRequests(raw, round));
      results.ctlReq.push(await controllerRequests(controller));
    } else {
      results.ctlPush.push(await controllerPushes(controller));
      results.rawPush.push(await rawPushes(raw));
      results.ctlReq.push(await controllerRequests(controller));
      results.rawReq.push(await rawRequests(raw, round));
    }
  }

  raw.close();
  await new Promise((resolve) => controller.close().subscribe({ complete: resolve }));
  server.close();

  const pushRaw = median(results.rawPush);
  const pushCtl = median(results.ctlPush);
  const reqRaw = median(results.rawReq);
  const reqCtl = median(results.ctlReq);
  const row = (name, rawMs, ctlMs, count) =>
    `| ${name} | ${rawMs.toFixed(1)} ms (${Math.round((count / rawMs) * 1000).toLocaleString('en-US')}/s) | ${ctlMs.toFixed(1)} ms (${Math.round((count / ctlMs) * 1000).toLocaleString('en-US')}/s) | ${(rawMs / ctlMs).toFixed(2)}× |`;
  process.stdout.write(
    [
      `customapp-rxjs-websocket benchmark — node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, median of ${ROUNDS} rounds`,
      '',
      '| case | raw ws client | WebSocketController | controller speed vs raw |',
      '|---|---|---|---|',
      row(`push throughput: ${PUSHES.toLocaleString('en-US')} pushes via messages$`, pushRaw, pushCtl, PUSHES),
      row(`request/response: ${REQUESTS.toLocaleString('en-US')} in flight, answered in reverse`, reqRaw, reqCtl, REQUESTS),
      '',
    ].join('\n'),
  );
}

if (process.argv.includes('--serve')) serve();
else main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

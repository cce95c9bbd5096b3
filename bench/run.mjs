// `npm run bench [-- --quick] [-- --rounds=N]`: the WebSocketController against a raw `ws` client and
// RxJS's webSocket(), side by side in this one process, against a server in another (server.mjs) that
// writes frames in batches, so the clients' own cost is what is measured. On loopback only.
//
// Cases: PLAN.pushes pushes; request/response with each PLAN.inFlight count of requests sent at once
// and answered in reverse order of arrival, burst after burst (REQUESTS_PER_RUN in all). Per case and client: wall time and this process's CPU
// time (the server's is not in it), as ratios to the raw client in the same round: median and
// min–max over the rounds, which alternate the clients' order after a warm-up round; each timed run
// follows a forced collection and a short untimed warm-up of the same case. Two checks that
// the server was not the bottleneck: how much of the wall time the raw client's event loop was busy
// (the rest it waited), and the server's CPU time over the wall time. Then heap per request in
// flight: heap used after gc() with N requests held by the server, minus before, over N. RxJS's
// filter per pending request is quadratic: it runs up to RXJS_MAX_IN_FLIGHT only.
import { fork, spawn } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const quick = process.argv.includes('--quick');
const roundsArg = process.argv.find((arg) => arg.startsWith('--rounds='));
/** `--only=push` or `--only=request`: the cases of that kind only (and no heap figures with `push`). */
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const PLAN = quick
  ? { rounds: 3, heapRounds: 1, pushes: 20_000, inFlight: [1_000, 10_000], limitMinutes: 3 }
  : { rounds: 7, heapRounds: 3, pushes: 200_000, inFlight: [1_000, 10_000, 50_000], limitMinutes: 20 };
/**
 * Requests a timed request/response run sends, in bursts of its in-flight count one after another
 * (at least one burst): a single burst of 1,000 takes some 10 ms, where one scavenge or timer tick
 * moves the figure by a tenth.
 */
const REQUESTS_PER_RUN = quick ? 20_000 : 100_000;
if (roundsArg) PLAN.rounds = Number(roundsArg.slice('--rounds='.length));
if (only !== undefined && only !== 'push' && only !== 'request') {
  process.stderr.write('--only= takes push or request\n');
  process.exit(2);
}
if (only === 'push') PLAN.inFlight = [];
if (!Number.isInteger(PLAN.rounds) || PLAN.rounds < 1) {
  process.stderr.write('--rounds=N takes a whole number of at least 1\n');
  process.exit(2);
}
const RXJS_MAX_IN_FLIGHT = 10_000;

/** A forked server.mjs and its IPC: `call(op)` resolves with the server's acknowledgement. */
async function startServer() {
  const child = fork(fileURLToPath(new URL('./server.mjs', import.meta.url)), [], {
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const acks = new Map();
  const held = new Map();
  let seq = 0;
  const { port } = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`the bench server exited with ${code}`)));
  });
  child.on('message', (message) => {
    if (message.event === 'held') held.get(message.client)?.();
    else acks.get(message.seq)?.(message);
  });
  child.on('exit', (code) => {
    if (code !== 0) fail(new Error(`the bench server exited with ${code}`));
  });
  const call = (op) =>
    new Promise((resolve) => {
      acks.set(++seq, (message) => {
        acks.delete(message.seq);
        resolve(message);
      });
      child.send({ seq, ...op });
    });
  return {
    url: (client) => `ws://127.0.0.1:${port}/${client}`,
    push: (client, count) => child.send({ op: 'push', client, count }),
    hold: (client, count, manual = false) => call({ op: 'hold', client, count, manual }),
    /** Holds every `count` requests of the client and answers them, until the next hold. */
    holdEach: (client, count) => call({ op: 'hold', client, count, repeat: true }),
    /** Resolves once the server holds all the requests of a manual hold. */
    held: (client) => new Promise((resolve) => held.set(client, resolve)),
    release: (client) => call({ op: 'release', client }),
    cpu: async () => (await call({ op: 'cpu' })).cpu,
    close: () => child.disconnect(),
  };
}

/** The work of a warm-up: a small share of the case's, run just before it and not timed. */
const WARM_UP_SHARE = 1 / 50;

/**
 * The timed cases: `warmUp` and `prepare` run off the clock, `run` on it. The forced collections
 * before each timed run (so that no client pays for another's garbage) also make V8 flush the code
 * that went unused through them (bytecode flushing): without a warm-up after them, each run would
 * start by recompiling the client it measures, which costs more the more code a client has. A live
 * app's hot path never goes unused that long, so the warm-up measures what it pays.
 */
function cases(server) {
  const pushes = (client, name, count) => {
    const done = client.pushes(count);
    server.push(name, count);
    return done;
  };
  const requests = async (client, name, count) => {
    await server.hold(name, count);
    await client.request(count);
  };
  const all = [
    {
      title: `push: ${PLAN.pushes.toLocaleString('en-US')} pushes`,
      runs: () => true,
      warmUp: (client, name) => pushes(client, name, Math.ceil(PLAN.pushes * WARM_UP_SHARE)),
      prepare: async () => {},
      run: (client, name) => pushes(client, name, PLAN.pushes),
    },
    ...PLAN.inFlight.map((count) => {
      const bursts = Math.max(1, Math.round(REQUESTS_PER_RUN / count));
      return {
        title: `request/response: ${count.toLocaleString('en-US')} in flight${bursts > 1 ? ` (${bursts} bursts)` : ''}`,
        runs: (name) => name !== 'rxjs' || count <= RXJS_MAX_IN_FLIGHT,
        warmUp: (client, name) => requests(client, name, Math.ceil(count * WARM_UP_SHARE)),
        prepare: (name) => server.holdEach(name, count),
        run: async (client) => {
          for (let burst = 0; burst < bursts; burst++) await client.request(count);
        },
      };
    }),
  ];
  return only === 'request' ? all.slice(1) : all;
}

async function timed(server, testCase, client, name) {
  collectGarbage();
  await testCase.warmUp(client, name);
  await testCase.prepare(name);
  const serverBefore = await server.cpu();
  const loopBefore = performance.eventLoopUtilization();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await testCase.run(client, name);
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const loop = performance.eventLoopUtilization(loopBefore);
  const serverCpu = (await server.cpu()) - serverBefore;
  return { wall, cpu: (cpu.user + cpu.system) / 1000, busy: loop.utilization, serverShare: serverCpu / wall };
}

/** Heap used per request while `count` requests wait for their answers, in bytes. */
async function heapPerRequest(server, client, name, count) {
  await server.hold(name, count, true);
  const held = server.held(name);
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const done = client.request(count);
  await held;
  collectGarbage();
  const during = process.memoryUsage().heapUsed;
  await server.release(name);
  await done;
  return (during - before) / count;
}

/** Several full collections: what weak references and finalizers free takes more than one. */
function collectGarbage() {
  for (let i = 0; i < 4; i++) gc();
}

let CLIENTS;
let NAMES;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const spread = (values) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) });
const orderOf = (round) => (round % 2 === 0 ? NAMES : [...NAMES].reverse());

async function main() {
  // After the gc() check below, and only in the process that measures.
  ({ CLIENTS } = await import('./clients.mjs'));
  NAMES = Object.keys(CLIENTS);
  const server = await startServer();
  const clients = {};
  for (const name of NAMES) clients[name] = await CLIENTS[name].connect(server.url(name));
  const load = [os.loadavg()[0]];

  const timedCases = cases(server);
  const results = timedCases.map(() => Object.fromEntries(NAMES.map((name) => [name, []])));
  // Round -1 warms up the JIT and is not counted.
  for (let round = -1; round < PLAN.rounds; round++) {
    for (const [index, testCase] of timedCases.entries()) {
      for (const name of orderOf(round)) {
        if (!testCase.runs(name)) continue;
        const result = await timed(server, testCase, clients[name], name);
        if (round >= 0) results[index][name].push(result);
      }
    }
  }

  const heap = PLAN.inFlight.map(() => Object.fromEntries(NAMES.map((name) => [name, []])));
  for (let round = 0; round < PLAN.heapRounds; round++) {
    for (const [index, count] of PLAN.inFlight.entries()) {
      for (const name of orderOf(round)) {
        if (name === 'rxjs' && count > RXJS_MAX_IN_FLIGHT) continue;
        heap[index][name].push(await heapPerRequest(server, clients[name], name, count));
      }
    }
  }
  load.push(os.loadavg()[0]);

  for (const name of NAMES) await clients[name].close();
  server.close();
  process.stdout.write(report(timedCases, results, heap, load));
}

function report(timedCases, results, heap, load) {
  const ratio = ({ median: m, min, max }) => `${m.toFixed(2)}× (${min.toFixed(2)}–${max.toFixed(2)})`;
  const ms = (value) => `${Math.round(value).toLocaleString('en-US')} ms`;
  const others = NAMES.filter((name) => name !== 'raw');
  const lines = [
    `customapp-rxjs-websocket benchmark${quick ? ' (--quick)' : ''}: node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, ` +
      `load average ${load.map((value) => value.toFixed(2)).join(' → ')}`,
    `WebSocketController from dist/customapp-rxjs-websocket (the built package). Median of ${PLAN.rounds} rounds (min–max) of the wall time and of`,
    `this process's CPU time, each as a ratio to the raw ws client's in the same round (1.00× = as fast as raw; higher is slower).`,
    '',
    `| case | raw ws: wall, CPU | ${others.map((name) => `${CLIENTS[name].label}: wall | CPU`).join(' | ')} | busy: raw client (min), server (max) |`,
    `|---|---|${others.map(() => '---|---|').join('')}---|`,
  ];
  for (const [index, testCase] of timedCases.entries()) {
    const raw = results[index].raw;
    const cells = [`${ms(median(raw.map((r) => r.wall)))}, ${ms(median(raw.map((r) => r.cpu)))}`];
    let serverShare = Math.max(...raw.map((r) => r.serverShare));
    for (const name of others) {
      const runs = results[index][name];
      if (runs.length === 0) {
        cells.push(`not run (quadratic above ${RXJS_MAX_IN_FLIGHT.toLocaleString('en-US')})`, '');
        continue;
      }
      cells.push(ratio(spread(runs.map((r, round) => r.wall / raw[round].wall))), ratio(spread(runs.map((r, round) => r.cpu / raw[round].cpu))));
      serverShare = Math.max(serverShare, ...runs.map((r) => r.serverShare));
    }
    const busy = Math.min(...raw.map((r) => r.busy));
    lines.push(`| ${testCase.title} | ${cells.join(' | ')} | ${Math.round(busy * 100)}%, ${Math.round(serverShare * 100)}% |`);
  }
  lines.push(
    '',
    "busy: the raw client's event loop was working that share of the wall time in its slowest round (the rest it waited for the server",
    "or the OS); the server's CPU time over the wall time, highest of all rounds and clients.",
    '',
    `Heap per request in flight (heap used after gc() with the requests pending, minus before, over their number; median of ${PLAN.heapRounds}, min–max):`,
    '',
    `| in flight | ${NAMES.map((name) => CLIENTS[name].label).join(' | ')} |`,
    `|---|${NAMES.map(() => '---|').join('')}`,
  );
  for (const [index, count] of PLAN.inFlight.entries()) {
    const cells = NAMES.map((name) => {
      const values = heap[index][name];
      if (values.length === 0) return 'not run';
      const { median: m, min, max } = spread(values);
      return `${Math.round(m)} B (${Math.round(min)}–${Math.round(max)})`;
    });
    lines.push(`| ${count.toLocaleString('en-US')} | ${cells.join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

function fail(error) {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
}

if (typeof globalThis.gc !== 'function') {
  // Heap figures need gc(): run again with it exposed.
  const child = spawn(process.execPath, ['--expose-gc', ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  // Bounded loops end on their own; this only catches a lost frame.
  const watchdog = setTimeout(() => fail(new Error(`the bench did not finish in ${PLAN.limitMinutes} minutes`)), PLAN.limitMinutes * 60_000);
  main().then(() => clearTimeout(watchdog), fail);
}

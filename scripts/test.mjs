// `npm test`: every suite of the workspace, in order, with one summary line at the end.
// Stops at nothing: each suite runs, and the exit code is non-zero if any of them failed.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureChromium } from './ensure-chromium.mjs';

const root = new URL('..', import.meta.url).pathname;
const libraries = ['customapp-rxjs-websocket', 'ngx-customapp-jwt', 'ngx-customapp-pattern-auth-before-socket'];

function run(label, command, args, extraEnv = {}) {
  return new Promise((resolve) => {
    process.stdout.write(`\n=== ${label} ===\n`);
    const started = Date.now();
    let output = '';
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    const tee = (stream) => (chunk) => {
      output += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', tee(process.stdout));
    child.stderr.on('data', tee(process.stderr));
    child.on('close', (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(`=== ${label}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${seconds}s ===\n`);
      resolve({ label, code, output });
    });
  });
}

/** The names of the failed tests, as the runners print them (karma's `… FAILED` lines, node's `✖`). */
function failedTests({ output }) {
  const plain = output.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
  const karma = plain.split('\n').filter((line) => /\) .+ FAILED$/.test(line.trim()) && !/Executed \d+ of/.test(line));
  const node = plain.split('\n').filter((line) => /^\s*✖ /.test(line) && !/^\s*✖ failing tests:/.test(line));
  return [...new Set([...karma, ...node].map((line) => line.trim()))];
}

/** Reads the pass/fail counts out of a runner's own closing lines. */
function counts({ output, code }) {
  const karma = [...output.matchAll(/Executed (\d+) of (\d+)(?: \((\d+) FAILED\))?(?: \(skipped (\d+)\))?/g)].pop();
  if (karma) {
    const failed = Number(karma[3] ?? 0);
    return { passed: Number(karma[1]) - failed, failed: failed || (code === 0 ? 0 : 1) };
  }
  const pass = [...output.matchAll(/^(?:#|ℹ) pass (\d+)/gm)].pop();
  const fail = [...output.matchAll(/^(?:#|ℹ) fail (\d+)/gm)].pop();
  if (pass || fail) {
    const failed = Number(fail?.[1] ?? 0);
    return { passed: Number(pass?.[1] ?? 0), failed: failed || (code === 0 ? 0 : 1) };
  }
  return { passed: 0, failed: code === 0 ? 0 : 1 };
}

const chromium = ensureChromium();
const env = { CHROME_BIN: chromium };
const results = [];
const steps = [
  ['generate protocol code from e2e-server/proto', 'npm', ['run', '--silent', 'proto']],
];
// Node 20's runner skips .ts files when given a folder, so the files are listed one by one.
const serverTests = join(root, 'e2e-server', 'test');
const serverTestFiles = existsSync(serverTests)
  ? readdirSync(serverTests).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join('e2e-server', 'test', f))
  : [];
if (serverTestFiles.length > 0) {
  steps.push(['e2e-server: node tests', 'node', ['--import', 'tsx', '--test', '--test-reporter=spec', ...serverTestFiles]]);
}
// The controller and its presets in Node, with the `ws` package, against the dialect endpoints.
const nodeTests = join(root, 'projects', 'customapp-rxjs-websocket', 'node-tests');
const nodeTestFiles = existsSync(nodeTests)
  ? readdirSync(nodeTests).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join(nodeTests, f))
  : [];
if (nodeTestFiles.length > 0) {
  steps.push([
    'customapp-rxjs-websocket: node tests (presets against the dialect endpoints)',
    'node',
    ['--import', 'tsx', '--test', '--test-reporter=spec', ...nodeTestFiles],
    { TSX_TSCONFIG_PATH: join(nodeTests, 'tsconfig.json') },
  ]);
}
for (const library of libraries) {
  steps.push([`${library}: karma in headless Chromium`, 'npx', ['ng', 'test', library, '--watch=false']]);
}
for (const library of libraries) {
  steps.push([`${library}: ng-packagr build`, 'npx', ['ng', 'build', library]]);
}
// What the built packages add to a production app, minified and gzipped, against their budgets.
steps.push(['package sizes against their budgets', 'node', ['scripts/package-sizes.mjs']]);
// The built packages as users get them: packed, installed from the tarballs into fresh projects
// outside the workspace, used by an app built with Angular 21 and type-checked against Angular 22.
steps.push(['consumer install test (npm pack, fresh Angular 21 and 22 projects)', 'node', ['scripts/consumer-install-test.mjs', '--reuse-dist']]);

// The demo app in a real browser (Playwright on Debian's Chromium), once it exists.
if (existsSync(join(root, 'e2e', 'run.mjs'))) {
  steps.push(['demo: browser end-to-end suite', 'node', ['e2e/run.mjs']]);
}
// The app written against the 1.2.x API (projects/compat-app), built with ng build and run in Chromium.
if (existsSync(join(root, 'e2e', 'compat-app'))) {
  steps.push(['compat app: built and run in Chromium', 'node', ['e2e/run.mjs', '--app', 'compat-app']]);
}

for (const [label, command, args, stepEnv = {}] of steps) {
  results.push(await run(label, command, args, { ...env, ...stepEnv }));
}

let passed = 0;
let failed = 0;
process.stdout.write('\n=== summary ===\n');
for (const result of results) {
  const c = counts(result);
  passed += c.passed;
  failed += c.failed;
  process.stdout.write(`${result.code === 0 ? 'ok    ' : 'FAILED'} ${result.label}\n`);
  if (result.code !== 0) for (const name of failedTests(result).slice(0, 10)) process.stdout.write(`         ${name}\n`);
}
process.stdout.write(`tests: ${passed} passed, ${failed} failed\n`);
process.exit(results.every((r) => r.code === 0) ? 0 : 1);

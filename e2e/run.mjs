// The browser suite of `npm test` (scripts/test.mjs runs this file): builds the demo in production
// mode when its sources changed, then runs every e2e/*.e2e.test.mjs with node's test runner, one file
// at a time (each starts its own e2e-server and Chromium). Exits with the runner's code.
// `--app NAME` does the same for another app of scripts/demo-server.mjs, with the files of e2e/NAME/.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp, ROOT } from '../scripts/demo-server.mjs';
import { findChromium } from '../scripts/ensure-chromium.mjs';

const { app } = parseArgs({ options: { app: { type: 'string', default: 'demo' } } }).values;
const suite = app === 'demo' ? 'e2e' : join('e2e', app);

if (!findChromium()) {
  process.stderr.write('The browser suite needs Chromium: install it (`apt-get install -y chromium`) or set CHROME_BIN.\n');
  process.exit(1);
}

try {
  await buildApp(app);
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const files = readdirSync(join(ROOT, suite))
  .filter((file) => file.endsWith('.e2e.test.mjs'))
  .sort()
  .map((file) => join(suite, file));
// Node 20's runner takes no globs: the files are named one by one.
const child = spawn(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', ...files], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, CHROME_BIN: findChromium() },
});
const stop = (signal) => child.kill(signal);
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

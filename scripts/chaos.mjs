// `npm run chaos`: the model-based spec of ngx-customapp-pattern-auth-before-socket with 1,000
// sequences from a random seed, printed first so that a failure can be replayed:
//
//   npm run chaos                        # 1,000 sequences, a random seed
//   npm run chaos -- --seed=1234         # the same sequences again
//   npm run chaos -- --runs=200          # fewer (or more) sequences
//
// The spec reads the count and the seed through karma's client config (the package's karma.conf.js
// passes MODEL_RUNS and MODEL_SEED on); a failure prints the shrunk sequence, to be kept as a spec in
// model-based.regressions.e2e-server.spec.ts.
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { ensureChromium } from './ensure-chromium.mjs';

const root = new URL('..', import.meta.url).pathname;

function option(name, fallback) {
  const given = process.argv.slice(2).find((arg) => arg.startsWith(`--${name}=`));
  if (!given) return fallback;
  const value = Number(given.slice(name.length + 3));
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} takes a whole number, not "${given}"`);
  return value;
}

const seed = option('seed', randomInt(2 ** 31 - 1));
const runs = option('runs', 1000);
process.stdout.write(`chaos: ${runs} sequences, seed ${seed} (replay with: npm run chaos -- --seed=${seed} --runs=${runs})\n`);

const started = Date.now();
const child = spawn(
  'npx',
  ['ng', 'test', 'ngx-customapp-pattern-auth-before-socket', '--watch=false', '--include=**/model-based.e2e-server.spec.ts'],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, CHROME_BIN: ensureChromium(), MODEL_RUNS: String(runs), MODEL_SEED: String(seed) },
  },
);
child.on('close', (code) => {
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  process.stdout.write(`chaos: ${code === 0 ? 'passed' : 'FAILED'} in ${minutes} min; ${runs} sequences, seed ${seed}\n`);
  process.exit(code ?? 1);
});

// Generates the protocol code (ESM + .d.ts) from e2e-server/proto/api.proto into e2e-server/generated/.
// Run by `npm run proto`, which `npm ci` triggers through the root `prepare` script; the output is
// git-ignored and never edited by hand.
//
// --force-number types the 64-bit fields (StreamPosition.seq) as number: protobufjs decodes them as
// Long where the `long` package loads (Node) and as numbers elsewhere, and src/protocol.ts hands
// every decoded one out as a number (the server keeps them below 2^53).
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const serverRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(serverRoot, 'generated');
mkdirSync(outDir, { recursive: true });
const pbjs = join(serverRoot, '..', 'node_modules', 'protobufjs-cli', 'bin', 'pbjs');
execFileSync(
  process.execPath,
  [pbjs, '-t', 'static-module', '-w', 'esm', '-d', '--no-delimited', '--force-number', '-o', join(outDir, 'api.js'), join(serverRoot, 'proto', 'api.proto')],
  { stdio: 'inherit' },
);

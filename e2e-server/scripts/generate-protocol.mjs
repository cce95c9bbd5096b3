// Generates the protocol code (ESM + .d.ts) from e2e-server/proto/api.proto into e2e-server/generated/.
// Run by `npm run proto`, which `npm ci` triggers through the root `prepare` script; the output is
// git-ignored and never edited by hand. Two modules from the one .proto:
//
// - api.js, the full module, for the server and the tests (src/protocol.ts): encode, decode, the
//   JSON conversion (fromObject/toObject/toJSON) the JSON subprotocol needs, verify.
// - api-lean.js, for browser apps that speak protobuf only (src/protocol-lean.ts, the demo): encode
//   and decode and nothing else, about half the size once minified.
//
// --force-number types the 64-bit fields (StreamPosition.seq) as number: protobufjs decodes them as
// Long where the `long` package loads (Node) and as numbers elsewhere, and the decoders hand every
// decoded one out as a number (src/message-checks.ts; the server keeps them below 2^53).
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const serverRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(serverRoot, 'generated');
const proto = join(serverRoot, 'proto', 'api.proto');
const pbjs = join(serverRoot, '..', 'node_modules', 'protobufjs-cli', 'bin', 'pbjs');
const common = ['-t', 'static-module', '-w', 'esm', '-d', '--no-delimited', '--force-number'];
// What a client that only encodes and decodes protobuf frames does without: create() (reflection),
// verify(), the JSON conversion, getTypeUrl(), services, and whitespace. Its classes live in a
// protobufjs root of their own (`-r`): in one with the full module's, whichever loaded last would
// replace the other's, and the nested encoders look their messages up there.
const lean = ['-r', 'lean', '--no-create', '--no-verify', '--no-convert', '--no-typeurl', '--no-service', '--no-beautify'];

mkdirSync(outDir, { recursive: true });
for (const [file, flags] of [['api.js', common], ['api-lean.js', [...common, ...lean]]]) {
  execFileSync(process.execPath, [pbjs, ...flags, '-o', join(outDir, file), proto], { stdio: 'inherit' });
}

// Node 20's test runner finds only .js/.mjs/.cjs files in a directory, so `node --import tsx --test
// e2e-server/test/` would run none of our *.test.ts files. This file imports them instead. Node
// versions that find .ts test files by themselves (process.features.typescript) run them directly,
// and this file then does nothing, so no test runs twice.
import { readdirSync } from 'node:fs';

const here = new URL('.', import.meta.url);
if (!process.features.typescript) {
  const files = readdirSync(here).filter((name) => name.endsWith('.test.ts')).sort();
  for (const file of files) await import(new URL(file, here).href);
}

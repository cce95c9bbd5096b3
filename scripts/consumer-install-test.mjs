// The consumer install test: the three packages as users get them. Each is packed from `dist/` with
// `npm pack`, installed from its tarball into fresh projects outside the workspace (no path mappings,
// no workspace node_modules within reach), and used by a small standalone app (scripts/consumer-app):
//   - Angular 21: `ng build` (AOT, production) with `strict`, `strictTemplates` and `skipLibCheck: false`;
//   - Angular 22: `tsc --noEmit` of the same sources against the v22 types (Node 20 cannot run the v22 CLI).
//
//   node scripts/consumer-install-test.mjs [--reuse-dist] [--cold] [--keep]
//     --reuse-dist  pack dist/ as it is (npm test builds the packages just before); default: build first
//     --cold        an empty npm cache and no cached lockfile, as on a fresh machine
//     --keep        keep the temporary projects (their path is printed)
//
// Between runs the lockfile of each project is kept in <tmpdir>/customapp-consumer-test-cache, keyed
// by the registry dependencies, so a warm run resolves nothing; the packages themselves always come
// from this run's tarballs (their entries are dropped from the cached lockfile).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, relative } from 'node:path';

const root = realpathSync(new URL('..', import.meta.url).pathname);
const fixture = join(root, 'scripts', 'consumer-app');
const packages = ['customapp-rxjs-websocket', 'ngx-customapp-jwt', 'ngx-customapp-pattern-auth-before-socket'];
const entryPoints = [
  ...packages,
  'customapp-rxjs-websocket/presets',
  'customapp-rxjs-websocket/testing',
  'ngx-customapp-jwt/testing',
  'ngx-customapp-pattern-auth-before-socket/testing',
];

// Exact pins: the registry here lacks some patches (see the README). Angular 22 needs TypeScript 6.0.
const shared = { rxjs: '7.8.2', tslib: '2.8.1' };
const angular21 = {
  ...pin(['core', 'common', 'compiler', 'platform-browser', 'router', 'forms', 'build', 'cli', 'compiler-cli'], '@angular/', '21.2.24'),
  ...pin(['store', 'effects', 'entity'], '@ngrx/', '21.1.1'),
  ...shared,
  typescript: '5.9.3',
};
const angular22 = {
  ...pin(['core', 'common', 'compiler', 'platform-browser', 'router', 'forms'], '@angular/', '22.2.6'),
  ...pin(['store', 'effects', 'entity'], '@ngrx/', '22.0.1'),
  ...shared,
  typescript: '6.0.3',
};

const args = new Set(process.argv.slice(2));
const reuseDist = args.has('--reuse-dist');
const cold = args.has('--cold');
const keep = args.has('--keep');
const started = Date.now();
const checks = [];
const children = new Set();
let interrupted = false;

// An interrupted run stops its commands, starts no more, and removes its projects (in `main`).
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    interrupted = true;
    for (const child of children) child.kill('SIGTERM');
  });
}

function pin(names, scope, version) {
  return Object.fromEntries(names.map((name) => [`${scope}${name}`, version]));
}

function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)}s`;
}

function check(name, ok, detail = '') {
  checks.push({ name, ok });
  process.stdout.write(`${ok ? 'ok    ' : 'FAILED'} ${name}${detail ? `: ${detail}` : ''}\n`);
  return ok;
}

/** The environment of every child: nothing that points back into the workspace. */
function cleanEnv(extra = {}) {
  const env = { ...process.env, NG_CLI_ANALYTICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0', ...extra };
  for (const key of Object.keys(env)) {
    if (key === 'NODE_PATH' || key === 'INIT_CWD' || /^npm_(package|lifecycle|config_local_prefix)/.test(key)) delete env[key];
  }
  env.PATH = (env.PATH ?? '').split(delimiter).filter((dir) => !isInside(dir, root)).join(delimiter);
  return env;
}

function isInside(path, dir) {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Runs a command; prints one line when it succeeds and its output when it fails. A failure of a
 * `mayFail` command is no failed check (the caller has another way).
 */
function run(label, command, commandArgs, { mayFail = false, ...options } = {}) {
  if (interrupted) return Promise.resolve({ ok: false, output: '', stdout: '' });
  return new Promise((resolve) => {
    const begun = Date.now();
    let output = '';
    let stdout = '';
    const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    children.add(child);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => (output += String(error)));
    child.on('close', (code) => {
      children.delete(child);
      const ok = code === 0;
      if (ok || !mayFail || interrupted) check(label, ok, seconds(begun));
      else process.stdout.write(`note   ${label} failed (${seconds(begun)}), retrying without it:\n`);
      if (!ok) process.stdout.write(indent(tail(output, mayFail ? 20 : 150)));
      resolve({ ok, output, stdout });
    });
  });
}

/** The last lines of a command's output, without npm's engine warnings (Angular 22 asks for Node 22). */
function tail(text, lines) {
  const all = text.trimEnd().split('\n').filter((line) => !line.startsWith('npm warn EBADENGINE'));
  return (all.length > lines ? [`… (${all.length - lines} lines before)`, ...all.slice(-lines)] : all).join('\n');
}

function indent(text) {
  return `${text.replace(/^/gm, '    | ')}\n`;
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Builds the packages (unless reused) and checks that dist/ holds the versions of the sources. */
async function prepareDist() {
  if (!reuseDist) {
    for (const name of packages) {
      const { ok } = await run(`ng build ${name}`, 'npx', ['ng', 'build', name], { cwd: root });
      if (!ok) return false;
    }
  }
  return packages.every((name) => {
    const manifest = join(root, 'dist', name, 'package.json');
    const expected = readJson(join(root, 'projects', name, 'package.json')).version;
    const found = existsSync(manifest) ? readJson(manifest).version : 'missing';
    return check(`dist/${name} is built at ${expected}`, found === expected, found === expected ? '' : `found ${found}`);
  });
}

/** A temporary folder whose ancestors hold no node_modules and which is not inside the workspace. */
function makeWorkDir() {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'customapp-consumer-')));
  const climbable = [];
  for (let up = dirname(dir); ; up = dirname(up)) {
    if (existsSync(join(up, 'node_modules'))) climbable.push(join(up, 'node_modules'));
    if (dirname(up) === up) break;
  }
  const outside = !isInside(dir, root) && !isInside(root, dir);
  check(`${dir} is outside the workspace, with no node_modules above it`, outside && climbable.length === 0, climbable.join(', '));
  return outside && climbable.length === 0 ? dir : null;
}

/** Packs each package into `tarballs/`; prints their sizes. */
async function pack(workDir) {
  const tarballs = join(workDir, 'tarballs');
  mkdirSync(tarballs);
  const files = {};
  for (const name of packages) {
    const { ok, stdout } = await run(`npm pack dist/${name}`, 'npm', ['pack', join(root, 'dist', name), '--pack-destination', tarballs, '--json'], {
      cwd: workDir,
      env: cleanEnv(),
    });
    if (!ok) return null;
    const [info] = JSON.parse(stdout);
    files[name] = info.filename;
    const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
    process.stdout.write(`       ${info.filename}: ${kb(info.size)} packed, ${kb(info.unpackedSize)} unpacked, ${info.entryCount} files\n`);
  }
  return files;
}

/** A project folder: package.json with the pinned registry versions and the tarballs, the app's sources. */
function writeProject(dir, name, registryDeps, tarballs) {
  mkdirSync(dir);
  const dependencies = { ...registryDeps };
  for (const pkg of packages) dependencies[pkg] = `file:../tarballs/${tarballs[pkg]}`;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name, version: '0.0.0', private: true, dependencies }, null, 2)}\n`);
  cpSync(join(fixture, 'src'), join(dir, 'src'), { recursive: true });
  cpSync(join(fixture, 'tsconfig.json'), join(dir, 'tsconfig.json'));
}

/** Where the lockfile of a set of registry dependencies is kept between runs. */
function lockCachePath(name, registryDeps) {
  const key = createHash('sha256')
    .update(JSON.stringify({ registryDeps, node: process.versions.node.split('.')[0], packages }))
    .digest('hex')
    .slice(0, 16);
  return join(tmpdir(), 'customapp-consumer-test-cache', `${name}-${key}.package-lock.json`);
}

/** A lockfile without the entries of our packages, so they are always installed from this run's tarballs. */
function withoutOurPackages(lock) {
  const copy = structuredClone(lock);
  for (const pkg of packages) delete copy.packages[`node_modules/${pkg}`];
  for (const dep of Object.keys(copy.packages[''].dependencies ?? {})) {
    if (packages.includes(dep)) delete copy.packages[''].dependencies[dep];
  }
  return copy;
}

async function install(dir, name, registryDeps, env) {
  const cached = lockCachePath(name, registryDeps);
  if (!cold && existsSync(cached)) {
    cpSync(cached, join(dir, 'package-lock.json'));
    const args = ['install', '--no-audit', '--no-fund', '--prefer-offline'];
    const { ok } = await run(`${name}: npm install (cached lockfile)`, 'npm', args, { cwd: dir, env, mayFail: true });
    if (ok || interrupted) return ok;
    // A lockfile the registry no longer satisfies is dropped, and the install resolves afresh.
    rmSync(cached, { force: true });
    rmSync(join(dir, 'package-lock.json'), { force: true });
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
  }
  const { ok } = await run(`${name}: npm install`, 'npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, env });
  if (ok && !cold) {
    // Written whole, then renamed: a run that reads it never sees half a file.
    mkdirSync(dirname(cached), { recursive: true });
    const partial = `${cached}.${process.pid}`;
    writeFileSync(partial, JSON.stringify(withoutOurPackages(readJson(join(dir, 'package-lock.json'))), null, 2));
    renameSync(partial, cached);
  }
  return ok;
}

/**
 * The packages came from this run's tarballs (npm recorded their sha512, and they are real folders, not
 * links), and their Angular/NgRx peers resolve to the project's single copy.
 */
function checkInstalled(dir, name, tarballs) {
  const problems = [];
  const recorded = readJson(join(dir, 'node_modules', '.package-lock.json')).packages;
  for (const pkg of packages) {
    const installed = join(dir, 'node_modules', pkg);
    const integrity = `sha512-${createHash('sha512').update(readFileSync(join(dirname(dir), 'tarballs', tarballs[pkg]))).digest('base64')}`;
    if (recorded[`node_modules/${pkg}`]?.integrity !== integrity) problems.push(`${pkg} is not the packed tarball`);
    if (!existsSync(installed) || lstatSync(installed).isSymbolicLink()) problems.push(`${pkg} is not an installed folder`);
    else if (existsSync(join(installed, 'node_modules'))) problems.push(`${pkg} has its own node_modules: ${readdirSync(join(installed, 'node_modules')).join(', ')}`);
  }
  return check(`${name}: the tarballs are installed, peers deduplicated`, problems.length === 0, problems.join('; '));
}

/** Every entry point loads in Node by its `exports` map (the Angular ones need the JIT compiler). */
function importEntryPoints(dir, env) {
  const script = `await import('@angular/compiler');\n${entryPoints.map((e) => `await import('${e}');`).join('\n')}`;
  return run('angular21: every entry point imports in Node (exports map, dependencies)', process.execPath, ['--input-type=module', '-e', script], { cwd: dir, env });
}

function writeAngularWorkspace(dir) {
  cpSync(join(fixture, 'tsconfig.app.json'), join(dir, 'tsconfig.app.json'));
  const build = {
    builder: '@angular/build:application',
    options: { browser: 'src/main.ts', index: 'src/index.html', tsConfig: 'tsconfig.app.json', outputPath: 'dist/consumer-app' },
    configurations: {
      production: {
        outputHashing: 'all',
        budgets: [{ type: 'initial', maximumWarning: '500kB', maximumError: '1MB' }],
      },
    },
    defaultConfiguration: 'production',
  };
  const workspace = {
    version: 1,
    cli: { analytics: false, packageManager: 'npm' },
    projects: { 'consumer-app': { projectType: 'application', root: '', sourceRoot: 'src', architect: { build } } },
  };
  writeFileSync(join(dir, 'angular.json'), `${JSON.stringify(workspace, null, 2)}\n`);
}

function bundleSize(dir) {
  const browser = join(dir, 'dist', 'consumer-app', 'browser');
  if (!existsSync(browser)) return 0;
  return readdirSync(browser).filter((f) => f.endsWith('.js')).reduce((sum, f) => sum + statSync(join(browser, f)).size, 0);
}

async function main() {
  process.stdout.write(`consumer install test: ${packages.join(', ')}\n`);
  if (!(await prepareDist())) return false;
  const workDir = makeWorkDir();
  if (!workDir) return false;
  try {
    const tarballs = await pack(workDir);
    if (!tarballs) return false;
    const env = cleanEnv(cold ? { npm_config_cache: join(workDir, 'npm-cache') } : {});
    const app21 = join(workDir, 'angular21');
    const types22 = join(workDir, 'angular22');
    writeProject(app21, 'angular21', angular21, tarballs);
    writeAngularWorkspace(app21);
    writeProject(types22, 'angular22', angular22, tarballs);
    writeFileSync(join(types22, 'tsconfig.types.json'), `${JSON.stringify({ extends: './tsconfig.json', compilerOptions: { noEmit: true } }, null, 2)}\n`);

    // The installs wait on the registry more than on the CPU: both at once.
    const installed = await Promise.all([install(app21, 'angular21', angular21, env), install(types22, 'angular22', angular22, env)]);
    if (!installed.every(Boolean)) return false;
    const ready = [checkInstalled(app21, 'angular21', tarballs), checkInstalled(types22, 'angular22', tarballs)].every(Boolean);
    if (!ready) return false;

    await importEntryPoints(app21, env);
    const ngBuild = run('angular21: ng build (AOT, production, strictTemplates, skipLibCheck false)', process.execPath,
      [join(app21, 'node_modules', '@angular', 'cli', 'bin', 'ng.js'), 'build', '--configuration', 'production'], { cwd: app21, env });
    const tsc22 = run(`angular22: tsc --noEmit (Angular ${angular22['@angular/core']}, NgRx ${angular22['@ngrx/store']}, TypeScript ${angular22.typescript}, skipLibCheck false)`,
      process.execPath, [join(types22, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.types.json'], { cwd: types22, env });
    const [built] = await Promise.all([ngBuild, tsc22]);
    if (built.ok) process.stdout.write(`       the app's JavaScript: ${(bundleSize(app21) / 1024).toFixed(1)} kB\n`);
    return checks.every((c) => c.ok);
  } finally {
    if (keep) process.stdout.write(`kept: ${workDir}\n`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}

const passed = await main().catch((error) => check('consumer install test ran', false, error?.stack ?? String(error)));
if (interrupted) check('consumer install test ran to the end', false, 'interrupted');
const failed = checks.filter((c) => !c.ok).length;
process.stdout.write(`# pass ${checks.length - failed}\n# fail ${failed}\n`);
process.stdout.write(`consumer install test: ${passed && failed === 0 ? 'PASSED' : 'FAILED'} in ${seconds(started)}\n`);
process.exit(passed && failed === 0 ? 0 : 1);

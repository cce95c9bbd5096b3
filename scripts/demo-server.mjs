// Serving the demo app: build it when its sources changed, start the e2e-server in-process, and serve
// dist/demo/browser from a small static server that also answers /config.json with the server's URLs.
// Used by `npm start` (scripts/start.mjs) and by the browser suite (e2e/run.mjs, e2e/support.mjs).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEMO_DIST = join(ROOT, 'dist', 'demo', 'browser');

/** The users the e2e-server seeds, as the demo's login page lists them. */
export const SEEDED_LOGINS = [
  { login: 'admin', password: 'admin-pass', role: 'admin: edits the menu, sees the audit log, can log in as others' },
  { login: 'manager', password: 'manager-pass', role: 'manager: edits the menu' },
  { login: 'viewer', password: 'viewer-pass', role: 'viewer: reads the menu' },
];

// What every app's production build depends on besides its own sources: the three packages and the protocol.
const SHARED_BUILD_INPUTS = [
  'projects/customapp-rxjs-websocket/src',
  'projects/customapp-rxjs-websocket/presets',
  'projects/ngx-customapp-jwt/src',
  'projects/ngx-customapp-pattern-auth-before-socket/src',
  // The protocol modules (protocol.ts, protocol-lean.ts) and what they import.
  'e2e-server/src',
  'e2e-server/generated',
  'angular.json',
  'tsconfig.json',
  'package-lock.json',
];

/**
 * The apps served here, by Angular project name: where `ng build` puts each and what it reads.
 * `demo` is the menu board of `npm start`; `compat-app` is the same product written against the
 * packages' 1.2.x API (projects/compat-app).
 */
export const APPS = {
  demo: { dist: DEMO_DIST, inputs: ['projects/demo/src', 'projects/demo/public', 'projects/demo/tsconfig.app.json'] },
  'compat-app': {
    dist: join(ROOT, 'dist', 'compat-app', 'browser'),
    inputs: ['projects/compat-app/src', 'projects/compat-app/tsconfig.app.json'],
  },
};

function appOf(name) {
  const app = APPS[name];
  if (!app) throw new Error(`No app named ${name}: one of ${Object.keys(APPS).join(', ')}.`);
  return app;
}

const buildStamp = (name) => join(ROOT, 'dist', name, '.build-stamp');

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Whether an app's build (default the demo's) is missing or older than one of its build inputs. */
export function appBuildIsStale(name = 'demo') {
  const { dist, inputs } = appOf(name);
  if (!existsSync(join(dist, 'index.html')) || !existsSync(buildStamp(name))) return true;
  const builtAt = Number(readFileSync(buildStamp(name), 'utf8')) || 0;
  return [...inputs, ...SHARED_BUILD_INPUTS].some((input) => newestMtime(join(ROOT, input)) > builtAt);
}

/** Whether dist/demo/browser is missing or older than one of the demo's build inputs. */
export function demoBuildIsStale() {
  return appBuildIsStale('demo');
}

/**
 * Builds an app in production mode (`ng build <name>`) unless the last build is newer than its sources.
 * Resolves with whether it built; rejects when the build fails.
 */
export async function buildApp(name, { force = false, log = (line) => process.stdout.write(`${line}\n`) } = {}) {
  appOf(name);
  if (!force && !appBuildIsStale(name)) {
    log(`The ${name} build in dist/${name} is up to date.`);
    return false;
  }
  log(`Building the ${name} app (ng build ${name}, production)…`);
  const startedAt = Date.now();
  const code = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules', '@angular', 'cli', 'bin', 'ng.js'), 'build', name], {
      cwd: ROOT,
      env: { ...process.env, NG_CLI_ANALYTICS: 'false' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`ng build ${name} failed with exit code ${code}.`);
  writeFileSync(buildStamp(name), String(startedAt));
  return true;
}

/** `buildApp('demo', options)`. */
export function buildDemo(options) {
  return buildApp('demo', options);
}

/** Starts the e2e-server in-process (its sources are TypeScript: loaded with tsx). */
export async function startE2eServer(options) {
  // The ESM build of tsx's API, as e2e-server/karma-plugin.cjs uses it.
  const { tsImport } = await import('tsx/esm/api');
  const { startServer } = await tsImport(join(ROOT, 'e2e-server', 'src', 'index.ts'), import.meta.url);
  return startServer(options);
}

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * A static server for a single-page app: files from `root`, `index.html` for every other GET (the
 * app's routes), and `/config.json` from `getConfig()`.
 */
export function createStaticServer({ root = DEMO_DIST, getConfig }) {
  return createServer((request, response) => {
    const send = (status, body, type = 'text/plain; charset=utf-8') => {
      response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return send(405, 'Method not allowed\n');
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch {
      return send(400, 'Bad request\n');
    }
    if (pathname === '/config.json') return send(200, JSON.stringify(getConfig()), CONTENT_TYPES['.json']);
    const file = normalize(join(root, pathname));
    const inside = relative(root, file);
    if (inside.startsWith('..') || inside.includes(`..${sep}`)) return send(404, 'Not found\n');
    if (existsSync(file) && statSync(file).isFile()) {
      return send(200, readFileSync(file), CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
    }
    // A missing asset is a 404; anything else is a route of the app.
    if (extname(pathname) !== '') return send(404, 'Not found\n');
    const index = join(root, 'index.html');
    if (!existsSync(index)) return send(503, `${relative(ROOT, root)} is not built: run \`npx ng build\` for its app.\n`);
    return send(200, readFileSync(index), CONTENT_TYPES['.html']);
  });
}

/** Thrown when a port is taken and falling back to another one is not allowed. */
export class PortInUseError extends Error {
  constructor(what, port, hint) {
    super(`Port ${port} is already in use, so the ${what} cannot listen on it. ${hint}`);
    this.name = 'PortInUseError';
  }
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

/**
 * Tries `port`, then (when `fallback` is set) the next ports up to `port + tries - 1`, then any free
 * port. `attempt(port)` starts something on a port and rejects with an EADDRINUSE error when it is taken.
 */
async function onFreePort(what, port, { fallback, hint, tries = 10 }, attempt) {
  const candidates = port === 0 ? [0] : fallback ? [...Array.from({ length: tries }, (_, i) => port + i), 0] : [port];
  for (const candidate of candidates) {
    try {
      return await attempt(candidate);
    } catch (error) {
      if (error?.code !== 'EADDRINUSE') throw error;
    }
  }
  throw new PortInUseError(what, port, hint);
}

/**
 * Starts the whole demo stack: the static server for dist/demo/browser, then the e2e-server allowing
 * the demo's origin, and points /config.json at it.
 *
 * @param {object} options
 * @param {string} [options.app] which app of `APPS` to serve. Default `'demo'`.
 * @param {number} [options.demoPort] the demo's port (0: a free one). Default 4200.
 * @param {number} [options.serverPort] the e2e-server's port (0: a free one). Default 8080.
 * @param {boolean | { demo?: boolean, server?: boolean }} [options.fallback] try other ports when one is
 *   taken (for both, or for each). Default false: a taken port is an error.
 * @param {boolean} [options.testMode] start the e2e-server with its control API. Default false.
 * @param {object} [options.serverOptions] more startServer options (accessTtlSeconds, logger, …).
 * @returns {Promise<{ demoUrl: string, demoPort: number, server: import('../e2e-server/src/index.ts').RunningServer, close(): Promise<void> }>}
 */
export async function startDemoStack({ app = 'demo', demoPort = 4200, serverPort = 8080, host = '127.0.0.1', fallback = false, testMode = false, serverOptions = {} } = {}) {
  const fallbackFor = (which) => (typeof fallback === 'object' ? fallback[which] === true : fallback === true);
  let config = null;
  const statics = createStaticServer({ root: appOf(app).dist, getConfig: () => config });
  const actualDemoPort = await onFreePort(
    'demo app',
    demoPort,
    { fallback: fallbackFor('demo'), hint: 'Stop what uses it, or pick another port with --port N (or DEMO_PORT=N).' },
    (port) => listen(statics, port, host),
  );
  // Browsers may reach a loopback server as localhost or as 127.0.0.1: allow both origins.
  const origins = [`http://localhost:${actualDemoPort}`, `http://127.0.0.1:${actualDemoPort}`];
  let server;
  try {
    server = await onFreePort(
      'e2e-server',
      serverPort,
      { fallback: fallbackFor('server'), hint: 'Stop what uses it, or pick another port with --server-port N (or SERVER_PORT=N).' },
      (port) => startE2eServer({ ...serverOptions, port, host, testMode, allowedOrigins: origins }),
    );
  } catch (error) {
    await new Promise((resolve) => statics.close(() => resolve()));
    throw error;
  }
  config = { httpUrl: server.httpUrl, wsUrl: server.wsUrl, notificationsUrl: server.notificationsUrl };

  let closing;
  const close = () =>
    (closing ??= Promise.all([
      server.close(),
      new Promise((resolve) => {
        statics.close(() => resolve());
        statics.closeAllConnections();
      }),
    ]).then(() => undefined));
  return { demoUrl: `http://localhost:${actualDemoPort}`, demoPort: actualDemoPort, server, close };
}

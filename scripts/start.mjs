// `npm start`: builds the demo app when needed, starts the e2e-server and serves the demo on
// localhost, prints the URL and the seeded logins, and stops both on Ctrl+C (SIGINT) or SIGTERM.
//
//   npm start                               demo on :4200, server on :8080 (next free ports if taken)
//   npm start -- --port 4300 --server-port 9000    exact ports (fails with a clear message if taken)
//   DEMO_PORT=4300 SERVER_PORT=9000 npm start
//   npm start -- --rebuild                  build the demo even if dist/demo looks up to date
//   npm start -- --test                     the e2e-server's control API on (drop connections, expire tokens)
import { parseArgs } from 'node:util';
import { buildDemo, SEEDED_LOGINS, startDemoStack } from './demo-server.mjs';

const USAGE = `Usage: npm start -- [--port N] [--server-port N] [--rebuild] [--test]

  --port N         the demo app's port (env DEMO_PORT). Default 4200, or the next free one.
  --server-port N  the e2e-server's port (env SERVER_PORT). Default 8080, or the next free one.
  --rebuild        build the demo app even when dist/demo is up to date.
  --test           turn on the e2e-server's control API, to see what the app does when the
                   server drops every connection or expires every token (never on a shared machine).
A port given explicitly is used as is: if it is taken, npm start stops and says so.`;

function parsePort(name, value) {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a whole number from 0 to 65535, got "${value}".`);
  }
  return port;
}

function readCommandLine() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'server-port': { type: 'string' },
      rebuild: { type: 'boolean', default: false },
      test: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const demoPort = values.port ?? process.env.DEMO_PORT;
  const serverPort = values['server-port'] ?? process.env.SERVER_PORT;
  return {
    help: values.help,
    rebuild: values.rebuild,
    testMode: values.test,
    demoPort: demoPort === undefined ? 4200 : parsePort('--port (or DEMO_PORT)', demoPort),
    serverPort: serverPort === undefined ? 8080 : parsePort('--server-port (or SERVER_PORT)', serverPort),
    // Only a default port falls back to a free one; a port the user asked for is kept or refused.
    fallback: { demo: demoPort === undefined, server: serverPort === undefined },
  };
}

async function main() {
  let options;
  try {
    options = readCommandLine();
  } catch (error) {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  await buildDemo({ force: options.rebuild });
  const stack = await startDemoStack({
    demoPort: options.demoPort,
    serverPort: options.serverPort,
    fallback: options.fallback,
    testMode: options.testMode,
    serverOptions: {
      logger: {
        debug: () => {},
        info: () => {},
        warn: (message) => process.stderr.write(`[e2e-server] ${message}\n`),
        error: (message) => process.stderr.write(`[e2e-server] ${message}\n`),
      },
    },
  });

  const notes = [];
  if (stack.demoPort !== options.demoPort) notes.push(`  (port ${options.demoPort} was taken: the demo uses ${stack.demoPort})`);
  if (stack.server.port !== options.serverPort) notes.push(`  (port ${options.serverPort} was taken: the e2e-server uses ${stack.server.port})`);
  const width = Math.max(...SEEDED_LOGINS.map((user) => user.login.length));
  process.stdout.write(
    [
      '',
      `  The demo is running: open ${stack.demoUrl}`,
      ...notes,
      '',
      `  e2e-server:  ${stack.server.httpUrl}  (sockets ${stack.server.wsUrl}, ${stack.server.notificationsUrl})`,
      '  Log in as:',
      ...SEEDED_LOGINS.map((user) => `    ${user.login.padEnd(width)}  password ${user.password.padEnd(width + 5)}  ${user.role}`),
      ...(options.testMode
        ? [
            '',
            '  Control API on (test mode). Try, while signed in:',
            `    curl -X POST ${stack.server.controlUrl}/drop            # cut every connection: watch "Reconnecting…"`,
            `    curl -X POST ${stack.server.controlUrl}/expire-tokens   # expire every access token: the app refreshes`,
          ]
        : []),
      '',
      '  Open it in two windows (one private) to watch the menu change live. Stop with Ctrl+C.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the demo and the e2e-server…\n`);
    stack.close().then(
      () => process.exit(0),
      (error) => {
        process.stderr.write(`Could not stop cleanly: ${error?.message ?? error}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  process.stderr.write(`npm start failed: ${error?.message ?? error}\n`);
  process.exit(1);
});

// `npm run server`: starts the e2e-server, prints its URLs, and stops cleanly on SIGINT/SIGTERM
// (sockets closed with 1001, exit code 0). The only module that writes to the console.
import { parseCommandLine, USAGE } from './cli-options.js';
import { startServer } from './index.js';
import type { Logger } from './logger.js';

function consoleLogger(verbose: boolean): Logger {
  return {
    debug: (message) => verbose && console.error(`[e2e-server] ${message}`),
    info: (message) => verbose && console.error(`[e2e-server] ${message}`),
    warn: (message) => console.error(`[e2e-server] ${message}`),
    error: (message) => console.error(`[e2e-server] ${message}`),
  };
}

async function main(): Promise<void> {
  let command;
  try {
    command = parseCommandLine(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(2);
  }
  if (command.help) {
    console.log(USAGE);
    return;
  }
  const server = await startServer({ ...command.options, logger: consoleLogger(command.verbose) });
  const testMode = command.options.testMode === true;
  console.log(
    [
      `e2e-server listening${testMode ? ' (test mode: fault injection enabled)' : ''}`,
      `  HTTP API:      ${server.httpUrl}/api`,
      `  socket:        ${server.wsUrl}`,
      `  notifications: ${server.notificationsUrl}`,
      ...(testMode ? [`  control API:   ${server.controlUrl}`] : []),
      'Users: admin/admin-pass, manager/manager-pass, viewer/viewer-pass. Stop with Ctrl+C.',
    ].join('\n'),
  );
  let stopping = false;
  // `on`, not `once`: a second signal while closing (tsx relays signals again) must not kill us mid-close.
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: closing sockets and stopping…`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`e2e-server failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

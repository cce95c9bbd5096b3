// Karma framework plugin: starts the e2e-server in-process (test mode, free port) before the browser
// launches, hands its URLs to the specs, and closes it when karma exits.
//
//   plugins: [require('../e2e-server/karma-plugin.cjs')], frameworks: ['jasmine', 'e2e-server']
//   // in a spec: const { httpUrl, wsUrl, notificationsUrl, controlUrl } = (window as any).__karma__.config.e2eServer;
//
// Options go in `e2eServer: {...}` of the karma config (any startServer option, e.g. accessTtlSeconds).
const path = require('node:path');

/**
 * @param {import('karma').ConfigOptions & { client?: Record<string, unknown>, e2eServer?: object }} config
 * @param {{ create(name: string): { info(msg: string): void, error(msg: string): void } }} logger
 * @param {import('node:events').EventEmitter} emitter
 * @returns {Promise<void>} resolved once the server listens and config.client.e2eServer is set
 */
async function startE2eServer(config, logger, emitter) {
  const log = logger.create('framework.e2e-server');
  // The ESM build of tsx's API: its CommonJS build cannot find its own loader in this tsx version.
  const { tsImport } = await import('tsx/esm/api');
  const { startServer } = await tsImport(path.join(__dirname, 'src', 'index.ts'), __filename);
  const server = await startServer({ port: 0, ...(config.e2eServer || {}), testMode: true });
  const { httpUrl, wsUrl, notificationsUrl, controlUrl } = server;
  config.client = config.client || {};
  config.client.e2eServer = { httpUrl, wsUrl, notificationsUrl, controlUrl };
  log.info(`e2e-server listening on ${httpUrl}`);
  // Karma waits for every 'exit' listener to call done(); without this `--watch=false` never ends.
  emitter.on('exit', (done) => {
    server.close().then(
      () => done(),
      (error) => {
        log.error(`e2e-server failed to close: ${error && error.message}`);
        done();
      },
    );
  });
}

startE2eServer.$inject = ['config', 'logger', 'emitter'];

module.exports = { 'framework:e2e-server': ['factory', startE2eServer] };

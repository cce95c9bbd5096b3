// Karma for ngx-customapp-pattern-auth-before-socket: see scripts/karma-base.cjs for the shared settings.
const applyBase = require('../../scripts/karma-base.cjs');

module.exports = function (config) {
  applyBase(config, { project: 'ngx-customapp-pattern-auth-before-socket', e2eServer: true });
  // The model-based spec's run count and seed, from `npm run chaos` (scripts/chaos.mjs); unset in `npm test`.
  config.set({ client: { modelBased: { runs: process.env.MODEL_RUNS, seed: process.env.MODEL_SEED, maxCommands: process.env.MODEL_MAX_COMMANDS } } });
};

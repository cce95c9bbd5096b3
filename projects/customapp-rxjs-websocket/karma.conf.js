// Karma for customapp-rxjs-websocket: see scripts/karma-base.cjs for the shared settings.
const applyBase = require('../../scripts/karma-base.cjs');

module.exports = function (config) {
  applyBase(config, { project: 'customapp-rxjs-websocket', e2eServer: true });
};

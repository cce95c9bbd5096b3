// Karma for ngx-customapp-pattern-auth-before-socket: see scripts/karma-base.cjs for the shared settings.
const applyBase = require('../../scripts/karma-base.cjs');

module.exports = function (config) {
  applyBase(config, { project: 'ngx-customapp-pattern-auth-before-socket', e2eServer: true });
};

// Karma for ngx-customapp-jwt: see scripts/karma-base.cjs for the shared settings.
const applyBase = require('../../scripts/karma-base.cjs');

module.exports = function (config) {
  applyBase(config, { project: 'ngx-customapp-jwt', e2eServer: true });
};

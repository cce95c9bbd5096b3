// Shared Karma settings for every library: headless Chromium that runs as root on CI machines,
// one run and out, and (opt-in) the bundled e2e-server started in-process before the browser.
const path = require('node:path');

process.env.CHROME_BIN ||= '/usr/bin/chromium';

/**
 * @param {import('karma').Config} config
 * @param {{ project: string, e2eServer?: boolean }} options
 */
module.exports = function applyBase(config, { project, e2eServer = false }) {
  const plugins = [
    require('karma-jasmine'),
    require('karma-chrome-launcher'),
    require('karma-jasmine-html-reporter'),
    require('karma-coverage'),
  ];
  const frameworks = ['jasmine'];
  if (e2eServer) {
    plugins.push(require('../e2e-server/karma-plugin.cjs'));
    frameworks.push('e2e-server');
  }
  config.set({
    basePath: '',
    frameworks,
    plugins,
    client: { jasmine: { random: true }, clearContext: false },
    jasmineHtmlReporter: { suppressAll: true },
    coverageReporter: {
      dir: path.join(__dirname, '..', 'coverage', project),
      subdir: '.',
      reporters: [{ type: 'html' }, { type: 'text-summary' }],
    },
    reporters: [process.env.CI ? 'dots' : 'progress'],
    browsers: ['ChromeHeadlessCI'],
    customLaunchers: {
      ChromeHeadlessCI: {
        base: 'ChromeHeadless',
        flags: [
          '--no-sandbox',
          '--headless',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
          '--disable-sync',
          '--disable-quic',
        ],
      },
    },
    browserNoActivityTimeout: 120000,
    captureTimeout: 120000,
    singleRun: true,
    restartOnFileChange: false,
  });
};

// Makes sure a Chromium binary exists for the browser tests. npm cannot provide one here, so on a
// machine where we are root we install Debian's package; anywhere else we stop with the command to run.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const candidates = [process.env.CHROME_BIN, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium() {
  return candidates.find((path) => path && existsSync(path));
}

export function ensureChromium() {
  const found = findChromium();
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (process.platform !== 'linux' || !isRoot || !existsSync('/usr/bin/apt-get')) {
    throw new Error(
      'The browser tests need Chromium and none was found. Install it (Debian/Ubuntu: ' +
        '`sudo apt-get install -y chromium`) or set CHROME_BIN to a Chrome/Chromium binary.',
    );
  }
  process.stdout.write('Chromium is missing: installing Debian\'s package (apt-get install chromium)…\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
  const installed = findChromium();
  if (!installed) throw new Error('apt-get finished but no Chromium binary appeared at /usr/bin/chromium.');
  return installed;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`Chromium: ${ensureChromium()}\n`);
}

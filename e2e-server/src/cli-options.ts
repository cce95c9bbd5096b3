// The command line and environment of `npm run server`, turned into ServerOptions.
import { parseArgs } from 'node:util';
import type { ServerOptions } from './options.js';

export const USAGE = `Usage: npm run server -- [options]

  --port N              port to listen on; 0 picks a free one (env PORT, default 8080)
  --host H              interface to listen on (env HOST, default 127.0.0.1)
  --test                test mode: control API /__control/* and fault injection,
                        any http://localhost:* origin (env E2E_SERVER_TEST=1)
  --allowed-origins L   comma-separated browser origins, * for any
                        (env ALLOWED_ORIGINS, default http://localhost:4200,http://127.0.0.1:4200)
  --access-ttl S        access token lifetime in seconds (default 900)
  --refresh-ttl S       refresh token lifetime in seconds (default 604800)
  --auth-timeout MS     time a socket has to send auth (default 5000)
  --max-payload BYTES   largest frame and HTTP body (default 65536)
  --secret S            HS256 secret, at least 32 bytes (env E2E_SERVER_SECRET, default random)
  --verbose             log every socket event to stderr
  --help                this text
`;

export interface CliCommand {
  help: boolean;
  verbose: boolean;
  options: ServerOptions;
}

/** Parses argv (without node and the script) with env as fallback; throws a readable Error on bad input. */
export function parseCommandLine(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      test: { type: 'boolean' },
      'allowed-origins': { type: 'string' },
      'access-ttl': { type: 'string' },
      'refresh-ttl': { type: 'string' },
      'auth-timeout': { type: 'string' },
      'max-payload': { type: 'string' },
      secret: { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  const options: ServerOptions = {};
  const port = values.port ?? env['PORT'];
  if (port !== undefined) options.port = toNumber('port', port);
  const host = values.host ?? env['HOST'];
  if (host !== undefined) options.host = host;
  if (values.test || env['E2E_SERVER_TEST'] === '1' || env['E2E_SERVER_TEST'] === 'true') options.testMode = true;
  const origins = values['allowed-origins'] ?? env['ALLOWED_ORIGINS'];
  if (origins !== undefined) options.allowedOrigins = origins.split(',').map((o) => o.trim()).filter(Boolean);
  if (values['access-ttl'] !== undefined) options.accessTtlSeconds = toNumber('access-ttl', values['access-ttl']);
  if (values['refresh-ttl'] !== undefined) options.refreshTtlSeconds = toNumber('refresh-ttl', values['refresh-ttl']);
  if (values['auth-timeout'] !== undefined) options.authTimeoutMs = toNumber('auth-timeout', values['auth-timeout']);
  if (values['max-payload'] !== undefined) options.maxPayload = toNumber('max-payload', values['max-payload']);
  const secret = values.secret ?? env['E2E_SERVER_SECRET'];
  if (secret !== undefined) options.secret = secret;
  return { help: values.help ?? false, verbose: values.verbose ?? false, options };
}

function toNumber(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new Error(`--${name} must be a number, got "${text}"`);
  return value;
}

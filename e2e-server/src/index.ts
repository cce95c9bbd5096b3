// The e2e-server as a library: start it in-process (test setups, the karma plugin, scripts) and
// get its URLs back. main.ts is the command-line front of the same function.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthService } from './auth-service.js';
import { CloseCode } from './codes.js';
import { ConnectionRegistry } from './connection-registry.js';
import { controlApiRoutes } from './control-api.js';
import { Faults } from './faults.js';
import { DIALECTS } from './dialects/index.js';
import { createRequestListener } from './http-app.js';
import { httpApiRoutes } from './http-api.js';
import { LoginThrottle } from './login-throttle.js';
import { MenuService } from './menu-service.js';
import type { ServerOptions } from './options.js';
import { resolveOptions } from './options.js';
import { OriginPolicy } from './origin-policy.js';
import { PushHistory } from './push-history.js';
import { SocketGateway } from './socket-gateway.js';
import { SubscriptionHub } from './subscription-hub.js';
import { TokenService } from './tokens.js';
import { UserDirectory } from './users.js';

export type { ServerOptions } from './options.js';
export { DEFAULT_ALLOWED_ORIGINS } from './options.js';
export type { Logger } from './logger.js';
export type { ServerStats } from './control-api.js';
export type { PushHistoryLimits, PushHistoryStats, StreamStats } from './push-history.js';

/** A started server and how to reach it. */
export interface RunningServer {
  /** The port it listens on (the one picked when asked for 0). */
  port: number;
  /** `http://HOST:PORT`, the base of the HTTP API. */
  httpUrl: string;
  /** `ws://HOST:PORT/ws`, the main socket. */
  wsUrl: string;
  /** `ws://HOST:PORT/ws/notifications`, the notifications socket. */
  notificationsUrl: string;
  /** `http://HOST:PORT/__control`, the control API (404 unless in test mode). */
  controlUrl: string;
  /** `ws://HOST:PORT/dialects/NAME`, a dialect endpoint (see PROTOCOL.md, "Dialect endpoints"). */
  dialectUrl(name: string): string;
  /** Closes every socket with 1001, stops listening and resolves when everything is closed. */
  close(): Promise<void>;
}

/** How long sockets get to answer the shutdown close before they are dropped. */
const SHUTDOWN_GRACE_MS = 2000;

/**
 * Starts the e2e-server: in-memory data, a login that issues JWTs, and the auth-first sockets.
 *
 * @example
 * const server = await startServer({ port: 0, testMode: true });
 * const ws = new WebSocket(server.wsUrl, 'api.v1.json');
 * // ...
 * await server.close();
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const config = resolveOptions(options);
  const tokens = new TokenService(config.secret, config);
  const auth = new AuthService(new UserDirectory(), tokens);
  const history = new PushHistory(config.pushHistory);
  const hub = new SubscriptionHub(history);
  const menu = new MenuService(hub);
  const faults = new Faults();
  const registry = new ConnectionRegistry();
  const origins = new OriginPolicy(config.allowedOrigins, config.testMode);
  const dialects = DIALECTS.map((create) =>
    create({ auth, tokens, secret: config.secret, authTimeoutMs: config.authTimeoutMs, maxPayload: config.maxPayload, logger: config.logger }),
  );
  const gateway = new SocketGateway({
    dialects,
    maxPayload: config.maxPayload,
    registry,
    faults,
    origins,
    context: { auth, menu, hub, faults, authTimeoutMs: config.authTimeoutMs, logger: config.logger },
  });
  const loginThrottle = new LoginThrottle(config.loginThrottle);
  const routes = {
    ...httpApiRoutes({ auth, registry, maxPayload: config.maxPayload, loginThrottle }),
    ...Object.assign({}, ...dialects.map((dialect) => dialect.routes ?? {})),
    ...(config.testMode ? controlApiRoutes({ auth, tokens, store: menu.store, history, registry, faults, loginThrottle }) : {}),
  };
  const httpServer = createServer(createRequestListener({ routes, origins, logger: config.logger }));
  httpServer.on('upgrade', gateway.handleUpgrade);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  httpServer.on('error', (error) => config.logger.error(`HTTP server error: ${error.message}`));

  const port = portOf(httpServer.address());
  const host = urlHost(config.host);
  const httpUrl = `http://${host}:${port}`;
  origins.allow(httpUrl);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      gateway.stopAccepting();
      await registry.shutdown(CloseCode.GoingAway, 'server shutting down', SHUTDOWN_GRACE_MS);
      await gateway.close();
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
    })());

  config.logger.info(`listening on ${httpUrl}`);
  return {
    port,
    httpUrl,
    wsUrl: `ws://${host}:${port}/ws`,
    notificationsUrl: `ws://${host}:${port}/ws/notifications`,
    controlUrl: `${httpUrl}/__control`,
    dialectUrl: (name) => `ws://${host}:${port}/dialects/${name}`,
    close,
  };
}

/** The host part of the URLs: a wildcard address becomes loopback, IPv6 gets brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function portOf(address: string | AddressInfo | null): number {
  if (address === null || typeof address === 'string') throw new Error(`expected a TCP address, got ${address}`);
  return address.port;
}

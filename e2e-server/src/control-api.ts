// The control API of test mode (`/__control/*`): fault injection, the push history's limits and
// counters for tests. It is not routed at all unless the server was started in test mode.
import type { AuthService } from './auth-service.js';
import { CloseCode } from './codes.js';
import type { ConnectionRegistry, ConnectionStats, SocketFilter } from './connection-registry.js';
import type { Faults } from './faults.js';
import type { Reply, Routes } from './http-util.js';
import { HttpError } from './http-util.js';
import type { MenuStore } from './menu-store.js';
import type { LoginThrottle } from './login-throttle.js';
import type { PushHistory, PushHistoryLimits } from './push-history.js';
import { MAX_PUSH_HISTORY } from './push-history.js';
import { SOCKET_PATHS } from './socket-gateway.js';
import type { TokenService } from './tokens.js';

export interface ControlApiOptions {
  auth: AuthService;
  tokens: TokenService;
  store: MenuStore;
  history: PushHistory;
  registry: ConnectionRegistry;
  faults: Faults;
  loginThrottle: LoginThrottle;
}

/** What `GET /__control/stats` answers. */
export interface ServerStats extends ConnectionStats {
  /** Live sign-in sessions. */
  sessions: number;
  /** Whether `fail-next-auth` is armed and no auth has taken it yet. */
  failNextAuthArmed: boolean;
}

/** The longest `ms` a fault takes: ten minutes. */
const MAX_FAULT_MS = 10 * 60 * 1000;

export function controlApiRoutes({ auth, tokens, store, history, registry, faults, loginThrottle }: ControlApiOptions): Routes {
  const done = (details: Record<string, unknown> = {}): Reply => ({ status: 200, body: { ok: true, ...details } });

  return {
    // ?dialect=NAME drops only the sockets of that dialect endpoint, ?path=/ws/notifications only those of that path.
    '/__control/drop': { POST: async (_request, url) => done({ dropped: registry.terminateAll(socketFilter(url)) }) },

    // The main protocol's sockets open now (?path= one endpoint's) stop reading and answering for
    // ?ms=N, then are dropped: a dead peer only a heartbeat notices.
    '/__control/blackhole': {
      POST: async (_request, url) => {
        const path = url.searchParams.get('path') ?? undefined;
        if (path !== undefined && !(path in SOCKET_PATHS)) {
          throw new HttpError(400, 'BAD_REQUEST', `Give ?path= as one of ${Object.keys(SOCKET_PATHS).join(', ')}, or leave it out for both.`);
        }
        return done({ blackholed: registry.blackholeAll(msParam(url), path ? { path } : {}) });
      },
    },

    // Ends every session of ?user=ID as a revocation in the user store would: its tokens are refused
    // from now on, but no socket is closed; each finds out at its next auth, reauth or refresh.
    '/__control/revoke': {
      POST: async (_request, url) => {
        const userId = url.searchParams.get('user');
        if (!userId || !auth.findUser(userId)) throw new HttpError(400, 'BAD_REQUEST', 'Give ?user= as the id of a user, e.g. u-manager.');
        return done({ revoked: auth.revokeAllOf(userId) });
      },
    },

    '/__control/refuse': {
      POST: async (_request, url) => {
        faults.refuseUpgradesFor(msParam(url));
        return done();
      },
    },

    '/__control/delay': {
      POST: async (_request, url) => {
        faults.delayMs = msParam(url);
        return done();
      },
    },

    '/__control/fail-next-auth': {
      POST: async () => {
        faults.armFailNextAuth();
        return done();
      },
    },

    '/__control/expire-tokens': {
      POST: async () => {
        tokens.expireAccessTokensIssuedSoFar();
        return done({ closed: registry.closeAuthorized(CloseCode.TokenExpired, 'token expired') });
      },
    },

    '/__control/restart': {
      POST: async () => done({ closed: registry.closeAll(CloseCode.ServiceRestart, 'server restart') }),
    },

    '/__control/reset': {
      POST: async () => {
        registry.endBlackholes();
        const closed = registry.closeAll(CloseCode.ServiceRestart, 'server reset');
        store.reset();
        history.reset();
        auth.endAllSessions();
        faults.reset();
        loginThrottle.clear();
        tokens.setAccessTtl(undefined);
        return done({ closed });
      },
    },

    // GET: the limits in force and each kind's stream. POST ?maxCount=N&maxAgeMs=M (either or both):
    // shrinks (or grows) the push history at once; `reset` restores the configured limits.
    '/__control/history': {
      GET: async () => ({ status: 200, body: history.stats() }),
      POST: async (_request, url) => {
        const limits: Partial<PushHistoryLimits> = {};
        for (const name of ['maxCount', 'maxAgeMs'] as const) {
          const value = limitParam(url, name);
          if (value !== undefined) limits[name] = value;
        }
        history.setLimits(limits);
        return done({ ...history.stats() });
      },
    },

    // ?seconds=N: access tokens issued from now on live N seconds (tokens already issued keep theirs);
    // `reset` restores the configured lifetime. Lets a test run with short tokens on a shared server.
    '/__control/access-ttl': {
      POST: async (_request, url) => {
        tokens.setAccessTtl(secondsParam(url));
        return done({ accessTtlSeconds: tokens.accessTtl });
      },
    },

    '/__control/stats': {
      GET: async () => {
        const stats: ServerStats = { ...registry.stats(), sessions: auth.sessions.size, failNextAuthArmed: faults.failNextAuthArmed };
        return { status: 200, body: stats };
      },
    },
  };
}

/** The sockets a drop reaches: `?dialect=NAME` and `?path=/ws/notifications` narrow it (both may be given). */
function socketFilter(url: URL): SocketFilter {
  const dialect = url.searchParams.get('dialect');
  const path = url.searchParams.get('path');
  if (path !== null && !path.startsWith('/')) throw new HttpError(400, 'BAD_REQUEST', 'Give ?path= as an upgrade path, e.g. /ws/notifications.');
  return { ...(dialect !== null ? { dialect } : {}), ...(path !== null ? { path } : {}) };
}

/** A history limit given as a query parameter, if it was. */
function limitParam(url: URL, name: keyof PushHistoryLimits): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return undefined;
  const value = Number(raw);
  const max = MAX_PUSH_HISTORY[name];
  if (raw === '' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new HttpError(400, 'BAD_REQUEST', `Give ?${name}=N, a whole number from 0 to ${max}.`);
  }
  return value;
}

/** The longest access token lifetime control `access-ttl` sets: one day. */
const MAX_ACCESS_TTL_SECONDS = 24 * 60 * 60;

function secondsParam(url: URL): number {
  const raw = url.searchParams.get('seconds');
  const seconds = Number(raw);
  if (raw === null || raw === '' || !Number.isInteger(seconds) || seconds < 1 || seconds > MAX_ACCESS_TTL_SECONDS) {
    throw new HttpError(400, 'BAD_REQUEST', `Give the lifetime as ?seconds=N, a whole number from 1 to ${MAX_ACCESS_TTL_SECONDS}.`);
  }
  return seconds;
}

function msParam(url: URL): number {
  const raw = url.searchParams.get('ms');
  const ms = Number(raw);
  if (raw === null || raw === '' || !Number.isInteger(ms) || ms < 0 || ms > MAX_FAULT_MS) {
    throw new HttpError(400, 'BAD_REQUEST', `Give the duration as ?ms=N, a whole number from 0 to ${MAX_FAULT_MS}.`);
  }
  return ms;
}

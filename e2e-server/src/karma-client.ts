// The browser side of the karma plugin: what specs running in Karma need to reach the server it
// started. Browser-safe (fetch only, no Node imports); imported by every library's e2e specs.

/** The URLs the karma plugin (karma-plugin.cjs) hands to the specs. */
export interface E2eServerUrls {
  readonly httpUrl: string;
  readonly wsUrl: string;
  readonly notificationsUrl: string;
  readonly controlUrl: string;
}

/** What `GET /__control/stats` answers. */
export interface E2eServerStats {
  readonly sockets: number;
  readonly authorized: number;
  readonly subscriptions: number;
  /** Sockets the fault `blackhole` holds (counted in `sockets` too). */
  readonly blackholed: number;
  readonly sessions: number;
  /** Whether `fail-next-auth` is armed and no auth has taken it yet. */
  readonly failNextAuthArmed: boolean;
}

/** What `GET /__control/history` answers: the limits in force and each kind's stream. */
export interface E2ePushHistory {
  readonly maxCount: number;
  readonly maxAgeMs: number;
  readonly streams: Readonly<Record<'CATEGORIES' | 'AUDIT_LOG' | 'NOTIFICATIONS', E2eStreamStats>>;
}

/** One kind's stream: its epoch, its position (`seq` of the last push) and the pushes kept. */
export interface E2eStreamStats {
  readonly epoch: string;
  readonly seq: number;
  readonly retained: number;
  /** The seq of the oldest push kept; 0 when none is. */
  readonly oldestSeq: number;
}

/** What `POST /api/auth/login` answers (the fields the specs use). */
export interface E2eLoginResult {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresAt: number;
  readonly user: { readonly id: string; readonly login: string; readonly name: string; readonly role: 'ADMIN' | 'MANAGER' | 'VIEWER' };
}

/**
 * The URLs of the server the karma plugin started for this run.
 *
 * @example
 * const socket = new WebSocket(e2eServer().wsUrl, 'api.v1.json');
 */
export function e2eServer(): E2eServerUrls {
  const urls = (globalThis as unknown as { __karma__?: { config: { e2eServer?: E2eServerUrls } } }).__karma__?.config.e2eServer;
  if (!urls) throw new Error('The e2e-server karma plugin is not enabled: set e2eServer: true in karma.conf.js.');
  return urls;
}

/**
 * The URL of a dialect endpoint of the server the karma plugin started (see PROTOCOL.md, "Dialect endpoints").
 *
 * @example
 * const socket = new WebSocket(dialectUrl('rooms'));
 */
export function dialectUrl(name: string): string {
  return e2eServer().wsUrl.replace(/\/ws$/, `/dialects/${name}`);
}

/**
 * Calls the control API: `reset`, `drop` (`drop?path=/ws/notifications`), `refuse?ms=N`, `delay?ms=N`,
 * `blackhole?ms=N` (`&path=/ws`), `revoke?user=ID`, `fail-next-auth`, `expire-tokens`, `restart`,
 * `history?maxCount=N&maxAgeMs=M`, `access-ttl?seconds=N` (short access tokens until the next `reset`).
 *
 * @example
 * await control('drop');
 */
export async function control(action: string): Promise<void> {
  const response = await fetch(`${e2eServer().controlUrl}/${action}`, { method: 'POST' });
  if (!response.ok) throw new Error(`control ${action} failed with ${response.status}`);
}

/** The server's connection counts. */
export async function stats(): Promise<E2eServerStats> {
  const response = await fetch(`${e2eServer().controlUrl}/stats`);
  if (!response.ok) throw new Error(`control stats failed with ${response.status}`);
  return (await response.json()) as E2eServerStats;
}

/** The push history: its limits (change them with `control('history?maxCount=0')`) and each kind's position. */
export async function pushHistory(): Promise<E2ePushHistory> {
  const response = await fetch(`${e2eServer().controlUrl}/history`);
  if (!response.ok) throw new Error(`control history failed with ${response.status}`);
  return (await response.json()) as E2ePushHistory;
}

/** Logs in over the HTTP API, as another client would (the seeded passwords are `<login>-pass`). */
export async function httpLogin(login: string, password = `${login}-pass`): Promise<E2eLoginResult> {
  const response = await fetch(`${e2eServer().httpUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  if (!response.ok) throw new Error(`login as ${login} failed with ${response.status}`);
  return (await response.json()) as E2eLoginResult;
}

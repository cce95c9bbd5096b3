import { filter, firstValueFrom, Observable, take, timeout } from 'rxjs';

/** The URLs the karma plugin (e2e-server/karma-plugin.cjs) hands to the specs. */
export interface E2eServerUrls {
  httpUrl: string;
  wsUrl: string;
  notificationsUrl: string;
  controlUrl: string;
}

export function e2eServer(): E2eServerUrls {
  const urls = (window as unknown as { __karma__: { config: { e2eServer?: E2eServerUrls } } }).__karma__.config.e2eServer;
  if (!urls) throw new Error('the e2e-server karma plugin is not enabled for this project');
  return urls;
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

/** Logs in over the server's HTTP API. */
export async function login(loginName: string, password: string): Promise<Tokens> {
  const response = await fetch(`${e2eServer().httpUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: loginName, password }),
  });
  if (!response.ok) throw new Error(`login failed with ${response.status}`);
  return (await response.json()) as Tokens;
}

/** Calls the test-mode control API (`drop`, `reset`, `expire-tokens`, ...). */
export async function control(action: string, query = ''): Promise<unknown> {
  const method = action === 'stats' ? 'GET' : 'POST';
  const response = await fetch(`${e2eServer().controlUrl}/${action}${query}`, { method });
  if (!response.ok) throw new Error(`control ${action} failed with ${response.status}`);
  return response.status === 204 ? undefined : response.json();
}

/** The next value of `source` that passes `predicate`, or an error after `ms`. */
export function next<T>(source: Observable<T>, predicate: (value: T) => boolean = () => true, ms = 5000): Promise<T> {
  return firstValueFrom(source.pipe(filter(predicate), take(1), timeout(ms)));
}

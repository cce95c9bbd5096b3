// Reaching the bundled e2e-server that the karma plugin (e2e-server/karma-plugin.cjs) starts.
import { type Observable, filter, firstValueFrom, take, timeout } from 'rxjs';

/** The URLs the karma plugin hands to the specs. */
export interface E2eServerUrls {
  readonly httpUrl: string;
  readonly controlUrl: string;
}

export function e2eServer(): E2eServerUrls {
  const urls = (window as unknown as { __karma__: { config: { e2eServer?: E2eServerUrls } } }).__karma__.config.e2eServer;
  if (!urls) throw new Error('The e2e-server karma plugin is not enabled: set e2eServer: true in karma.conf.js.');
  return urls;
}

/** Calls the test-mode control API (`reset`, `expire-tokens`, …). */
export async function control(action: string): Promise<void> {
  const response = await fetch(`${e2eServer().controlUrl}/${action}`, { method: 'POST' });
  if (!response.ok) throw new Error(`control ${action} failed with ${response.status}`);
}

/** The next value of `source` that passes `predicate`, or an error after `ms` (a bound, not a sleep). */
export function next<T>(source: Observable<T>, predicate: (value: T) => boolean = () => true, ms = 5000): Promise<T> {
  return firstValueFrom(source.pipe(filter(predicate), take(1), timeout(ms)));
}

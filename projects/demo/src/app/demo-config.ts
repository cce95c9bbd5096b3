import { InjectionToken } from '@angular/core';

/** Where the demo finds the e2e-server; read from `/config.json` before the app starts. */
export interface DemoConfig {
  /** The base of the HTTP API, e.g. `http://127.0.0.1:8080`. */
  readonly httpUrl: string;
  /** The main socket, e.g. `ws://127.0.0.1:8080/ws`. */
  readonly wsUrl: string;
  /** The notifications socket, e.g. `ws://127.0.0.1:8080/ws/notifications`. */
  readonly notificationsUrl: string;
}

export const DEMO_CONFIG = new InjectionToken<DemoConfig>('DemoConfig');

/** Loads `/config.json` (served next to the app) and checks its shape. */
export async function loadDemoConfig(url = 'config.json'): Promise<DemoConfig> {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(`The app's settings (${url}) could not be loaded: HTTP ${response.status}.`);
  const value: unknown = await response.json().catch(() => null);
  if (!isDemoConfig(value)) {
    throw new Error(`The app's settings (${url}) must be JSON with the strings httpUrl, wsUrl and notificationsUrl.`);
  }
  return { httpUrl: value.httpUrl.replace(/\/+$/, ''), wsUrl: value.wsUrl, notificationsUrl: value.notificationsUrl };
}

function isDemoConfig(value: unknown): value is DemoConfig {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return ['httpUrl', 'wsUrl', 'notificationsUrl'].every((key) => typeof record[key] === 'string' && record[key] !== '');
}

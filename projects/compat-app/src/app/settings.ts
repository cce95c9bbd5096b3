/** Where the app finds its server. */
export interface Settings {
  /** The base of the HTTP API, e.g. `http://127.0.0.1:8080`. */
  httpUrl: string;
  /** The main socket, e.g. `ws://127.0.0.1:8080/ws`. */
  wsUrl: string;
}

/** Filled by `loadSettings()` before the app module is loaded. */
export const settings: Settings = { httpUrl: '', wsUrl: '' };

/** Reads `/config.json` (served next to the app) into `settings`. */
export async function loadSettings(url = 'config.json'): Promise<void> {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(`Its settings (${url}) could not be loaded: HTTP ${response.status}.`);
  const value = (await response.json().catch(() => null)) as Partial<Record<keyof Settings, unknown>> | null;
  if (typeof value?.httpUrl !== 'string' || typeof value.wsUrl !== 'string' || !value.httpUrl || !value.wsUrl) {
    throw new Error(`Its settings (${url}) must be JSON with the strings httpUrl and wsUrl.`);
  }
  settings.httpUrl = value.httpUrl.replace(/\/+$/, '');
  settings.wsUrl = value.wsUrl;
}

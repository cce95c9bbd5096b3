import { isPlatformBrowser } from '@angular/common';

/**
 * Where the session (tokens, user, login-as stack) is kept between page loads: the part of the Web
 * Storage API the package uses, so `localStorage`, `sessionStorage` or your own object fit.
 *
 * @example
 * providers: [{ provide: JWT_STORAGE, useFactory: () => sessionStorage }];
 */
export interface JwtStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * A `JwtStorage` that forgets everything when the page goes: the fallback where there is no
 * `localStorage` (server-side rendering, Node, a browser that forbids it), and handy in tests.
 *
 * @example
 * providers: [{ provide: JWT_STORAGE, useValue: new MemoryJwtStorage() }];
 */
export class MemoryJwtStorage implements JwtStorage {
  private readonly items = new Map<string, string>();

  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }

  removeItem(key: string): void {
    this.items.delete(key);
  }
}

/**
 * `localStorage` in a browser that allows it, else a `MemoryJwtStorage`. Merely touching
 * `localStorage` throws in some sandboxed frames and privacy modes, hence the probe.
 */
export function defaultJwtStorage(platformId: unknown): JwtStorage {
  if (!isPlatformBrowser(platformId as object)) return new MemoryJwtStorage();
  try {
    const storage = globalThis.localStorage;
    const probe = '__ngx-customapp-jwt-probe__';
    storage.setItem(probe, probe);
    storage.removeItem(probe);
    return storage;
  } catch {
    return new MemoryJwtStorage();
  }
}

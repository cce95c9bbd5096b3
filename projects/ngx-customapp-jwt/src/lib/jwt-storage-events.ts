import { EMPTY, type Observable, filter, fromEvent } from 'rxjs';
import type { JwtStorage } from './jwt-storage';

/**
 * A change another tab made to the storage: the part of the browser's `StorageEvent` the package
 * reads, so a `StorageEvent` is one, and a test can make its own.
 *
 * @example
 * const changes = new Subject<JwtStorageChange>();
 * TestBed.configureTestingModule({ providers: [{ provide: JWT_STORAGE_EVENTS, useValue: changes }] });
 * changes.next({ key: 'ngx-customapp-jwt', newValue: null }); // another tab logged out
 */
export interface JwtStorageChange {
  /** The key that changed, or `null` when the whole storage was cleared. */
  readonly key: string | null;
  /** What the key holds now, or `null` when it was removed. */
  readonly newValue: string | null;
}

/**
 * The `storage` events of the window when `storage` is the browser's `localStorage` (the browser
 * fires them in the other tabs of the same origin), else nothing: a `sessionStorage` or a memory
 * storage is not shared between tabs, and there is no window under server-side rendering or Node.
 */
export function defaultJwtStorageEvents(storage: JwtStorage): Observable<JwtStorageChange> {
  if (typeof window === 'undefined' || typeof window.addEventListener !== 'function') return EMPTY;
  let local: Storage;
  try {
    local = window.localStorage;
  } catch {
    // Merely touching localStorage throws in some sandboxed frames and privacy modes.
    return EMPTY;
  }
  if (!local || storage !== local) return EMPTY;
  return fromEvent<StorageEvent>(window, 'storage').pipe(filter((event) => event.storageArea === local));
}

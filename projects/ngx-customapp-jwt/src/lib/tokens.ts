import { InjectionToken, PLATFORM_ID, inject } from '@angular/core';
import type { Observable } from 'rxjs';
import { createJwtActions, type JwtActions } from './jwt-actions';
import { systemJwtClock, type JwtClock } from './jwt-clock';
import type { JwtConfig } from './jwt-config';
import type { ResolvedJwtConfig } from './resolved-jwt-config';
import { jwtFeature, type JwtSelectors } from './jwt-feature';
import { silentJwtLogger, type JwtLogger } from './jwt-logger';
import { defaultJwtStorage, type JwtStorage } from './jwt-storage';
import { defaultJwtStorageEvents, type JwtStorageChange } from './jwt-storage-events';

/**
 * The package's action creators, for packages that listen without knowing the app's types.
 *
 * @example
 * const jwtActions = inject(JWT_ACTIONS);
 * actions$.pipe(ofType(jwtActions.loginSucceed, jwtActions.loginAsSucceed), ...);
 */
export const JWT_ACTIONS = new InjectionToken<JwtActions>('ngx-customapp-jwt actions', {
  providedIn: 'root',
  factory: () => createJwtActions(),
});

/**
 * The selectors of the package's state, for packages that read it without knowing the app's types.
 *
 * @example
 * const selectors = inject(JWT_SELECTORS);
 * inject(Store).select(selectors.selectLoginAsDepth);
 */
export const JWT_SELECTORS = new InjectionToken<JwtSelectors>('ngx-customapp-jwt selectors', {
  providedIn: 'root',
  factory: () => jwtFeature,
});

/**
 * Where the session is kept. Default: `localStorage` in a browser that allows it, else memory
 * (server-side rendering, Node).
 *
 * @example
 * providers: [provideJwt({ api: AuthApi }), { provide: JWT_STORAGE, useFactory: () => sessionStorage }];
 */
export const JWT_STORAGE = new InjectionToken<JwtStorage>('ngx-customapp-jwt storage', {
  providedIn: 'root',
  factory: () => defaultJwtStorage(inject(PLATFORM_ID)),
});

/**
 * The changes other tabs make to `JWT_STORAGE`, which `JwtService` follows (see `syncTabs`).
 * Default: the window's `storage` events when `JWT_STORAGE` is the browser's `localStorage`, else
 * none. Replace it to drive the sync in tests, or to feed it from a `BroadcastChannel`.
 *
 * @example
 * const otherTab = new Subject<JwtStorageChange>();
 * TestBed.configureTestingModule({ providers: [{ provide: JWT_STORAGE_EVENTS, useValue: otherTab }] });
 * otherTab.next({ key: 'ngx-customapp-jwt', newValue: null }); // another tab logged out
 */
export const JWT_STORAGE_EVENTS = new InjectionToken<Observable<JwtStorageChange>>('ngx-customapp-jwt storage events', {
  providedIn: 'root',
  factory: () => defaultJwtStorageEvents(inject(JWT_STORAGE)),
});

/**
 * The clock token expiry is measured with. Default `Date.now()`; replace it in tests to move time by hand.
 *
 * @example
 * let now = Date.UTC(2030, 0, 1);
 * TestBed.configureTestingModule({ providers: [{ provide: JWT_CLOCK, useValue: { now: () => now } }] });
 */
export const JWT_CLOCK = new InjectionToken<JwtClock>('ngx-customapp-jwt clock', {
  providedIn: 'root',
  factory: () => systemJwtClock,
});

/**
 * Where the package logs. Default: nowhere.
 *
 * @example
 * providers: [{ provide: JWT_LOGGER, useValue: myLogger }];
 */
export const JWT_LOGGER = new InjectionToken<JwtLogger>('ngx-customapp-jwt logger', {
  providedIn: 'root',
  factory: () => silentJwtLogger,
});

/**
 * The configuration given to `provideJwt()` / `JwtModule.forRoot()`, as it was given.
 *
 * @example
 * const { authHeader } = inject(JWT_CONFIG) as LegacyJwtConfig<Credentials, AuthResponse, User>;
 */
export const JWT_CONFIG = new InjectionToken<JwtConfig<any, any, any, any>>(
  'ngx-customapp-jwt config (set up the package with provideJwt() or JwtModule.forRoot())',
);

/** The config with its defaults, as the package reads it (internal). */
export const RESOLVED_JWT_CONFIG = new InjectionToken<ResolvedJwtConfig>(
  'ngx-customapp-jwt resolved config (set up the package with provideJwt() or JwtModule.forRoot())',
);

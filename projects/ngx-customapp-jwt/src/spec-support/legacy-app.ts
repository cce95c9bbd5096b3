// An app written against 1.2.x, as its README showed it: a JwtApi with function-typed properties
// taking JwtInfo and a refresh answering a JwtGroup, a root NoFreshJwtListener, JwtModule.forRoot
// with the 1.2.x config, JwtInterceptor in HTTP_INTERCEPTORS. Its backend is the e2e-server's HTTP
// auth API: the unit specs answer it with HttpTestingController, the integration spec for real.
import { HttpClient, HttpContext, provideHttpClient, withInterceptorsFromDi, HTTP_INTERCEPTORS } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { Injectable, type EnvironmentProviders, type Provider } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, type Routes } from '@angular/router';
import { EffectsModule } from '@ngrx/effects';
import { type Action, ScannedActionsSubject, StoreModule } from '@ngrx/store';
import type { FakeJwtUser } from 'ngx-customapp-jwt/testing';
import { ManualJwtClock } from 'ngx-customapp-jwt/testing';
import { type Observable, map } from 'rxjs';
import {
  JWT_CLOCK,
  JWT_STORAGE,
  type JwtConfig,
  type JwtGroup,
  type JwtInfo,
  JwtApi,
  JwtInterceptor,
  JwtModule,
  type JwtRootState,
  MemoryJwtStorage,
  NoFreshJwtListener,
  decodeJwtPayload,
  disableJwtInterception,
  jwtActions,
  jwtFeatureKey,
  jwtSelectors,
} from '../public-api';
import { API_URL } from './http-jwt-api';

export type LegacyCredentials = { login: string; password: string } | { token: string };
export interface LegacyAuthResponse {
  accessToken?: string;
  refreshToken?: string;
  expiresAt?: number;
  user: FakeJwtUser;
}

/** The AppState of a 1.2.x app. */
export interface LegacyAppState {
  [jwtFeatureKey]: JwtRootState<FakeJwtUser>;
}

export const legacyActions = jwtActions<LegacyCredentials, LegacyAuthResponse, FakeJwtUser, string>();
export const legacySelectors = jwtSelectors<FakeJwtUser>();

const bypass = () => new HttpContext().set(disableJwtInterception, true);
const bearer = (jwt: JwtInfo) => ({ Authorization: `Bearer ${jwt.token}` });

/** A token's expiry as 1.2.x apps gave it: epoch ms, here read from the token's own `exp`. */
export function expiryOf(token: string): number {
  return (decodeJwtPayload(token)?.exp ?? 0) * 1000;
}

export function tokensOf(response: { accessToken?: string; refreshToken?: string }): JwtGroup<JwtInfo> | undefined {
  const { accessToken, refreshToken } = response;
  if (!accessToken || !refreshToken) return undefined;
  return {
    accessToken: { token: accessToken, expiresAt: expiryOf(accessToken) },
    refreshToken: { token: refreshToken, expiresAt: expiryOf(refreshToken) },
  };
}

/** Every call it was given, as 1.2.x handed them (tokens as `JwtInfo`). */
export interface LegacyApiCalls {
  login: LegacyCredentials[];
  refresh: JwtInfo[];
  logout: [JwtInfo, boolean | undefined][];
  loginAs: [JwtInfo, string][];
}

@Injectable({ providedIn: 'root' })
export class LegacyAuthApi extends JwtApi<LegacyCredentials, LegacyAuthResponse, string> {
  readonly calls: LegacyApiCalls = { login: [], refresh: [], logout: [], loginAs: [] };

  // Constructor injection and function-typed properties, as 1.2.x apps wrote them.
  constructor(private readonly http: HttpClient) {
    super();
  }

  private get url(): string {
    return TestBed.inject(API_URL);
  }

  login = (credentials: LegacyCredentials): Observable<LegacyAuthResponse> => {
    this.calls.login.push(credentials);
    return this.http.post<LegacyAuthResponse>(`${this.url}/api/auth/login`, credentials, { context: bypass() });
  };

  loginAs = (masterAccessToken: JwtInfo, userId: string): Observable<LegacyAuthResponse> => {
    this.calls.loginAs.push([masterAccessToken, userId]);
    return this.http.post<LegacyAuthResponse>(
      `${this.url}/api/auth/login-as`,
      { userId },
      { headers: bearer(masterAccessToken), context: bypass() },
    );
  };

  refresh = (refreshToken: JwtInfo): Observable<JwtGroup<JwtInfo>> => {
    this.calls.refresh.push(refreshToken);
    return this.http
      .post<LegacyAuthResponse>(`${this.url}/api/auth/refresh`, { refreshToken: refreshToken.token }, { context: bypass() })
      .pipe(map((response) => tokensOf(response) ?? {}));
  };

  logout = (accessToken: JwtInfo, fromAllDevices?: boolean): Observable<void> => {
    this.calls.logout.push([accessToken, fromAllDevices]);
    return this.http
      .post(`${this.url}/api/auth/logout`, { fromAllDevices: fromAllDevices ?? false }, { headers: bearer(accessToken), context: bypass() })
      .pipe(map(() => undefined));
  };
}

@Injectable({ providedIn: 'root' })
export class LegacyListener implements NoFreshJwtListener {
  readonly messages: string[] = [];

  noFreshJwt(message: string): void {
    this.messages.push(message);
  }
}

type LegacyConfig = JwtConfig<LegacyCredentials, LegacyAuthResponse, FakeJwtUser, string>;

export function legacyConfig(
  callWhen: Partial<{ interceptorNotFoundJwt: boolean; guardNotFoundJwt: boolean; loginAsJwtNotFound: boolean }> = {},
  overrides: Partial<Extract<LegacyConfig, { jwtApi: unknown }>> = {},
): LegacyConfig {
  return {
    authResponseToJwt: (response) => tokensOf(response),
    authResponseToUserInfo: (response) => response.user,
    authHeader: { name: 'Authorization', createValue: (jwt) => `Bearer ${jwt.token}` },
    excludeUrls: ['/public/', /\/assets\//],
    jwtApi: LegacyAuthApi,
    noFreshJwt: {
      service: LegacyListener,
      callWhen: { interceptorNotFoundJwt: false, guardNotFoundJwt: false, loginAsJwtNotFound: false, ...callWhen },
    },
    jwtGuard: { jwtToCredentials: (jwt) => ({ token: jwt.token }) },
    ...overrides,
  };
}

export interface LegacySetUp {
  readonly clock: ManualJwtClock;
  readonly storage: MemoryJwtStorage;
  /** Every action reduced since the set-up. */
  readonly dispatched: Action[];
}

/** Configures TestBed with the 1.2.x app: StoreModule/EffectsModule roots, JwtModule.forRoot, the class interceptor. */
export function setUpLegacyApp(
  config: LegacyConfig = legacyConfig(),
  options: {
    storage?: MemoryJwtStorage;
    clock?: ManualJwtClock;
    routes?: Routes;
    testing?: boolean;
    imports?: unknown[];
    providers?: (Provider | EnvironmentProviders)[];
  } = {},
): LegacySetUp {
  const clock = options.clock ?? new ManualJwtClock();
  const storage = options.storage ?? new MemoryJwtStorage();
  TestBed.configureTestingModule({
    imports: [StoreModule.forRoot({}), EffectsModule.forRoot([]), JwtModule.forRoot(config), ...((options.imports ?? []) as [])],
    providers: [
      provideHttpClient(withInterceptorsFromDi()),
      ...(options.testing === false ? [] : [provideHttpClientTesting()]),
      { provide: HTTP_INTERCEPTORS, useClass: JwtInterceptor, multi: true },
      provideRouter(options.routes ?? []),
      { provide: JWT_CLOCK, useValue: clock },
      { provide: JWT_STORAGE, useValue: storage },
      ...(options.providers ?? []),
    ],
  });
  const dispatched: Action[] = [];
  TestBed.inject(ScannedActionsSubject).subscribe((action) => dispatched.push(action));
  dispatched.length = 0;
  return { clock, storage, dispatched };
}

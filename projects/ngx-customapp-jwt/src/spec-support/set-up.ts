// The TestBed set-up shared by the unit specs: the whole package (store, effects, interceptor) over
// HttpJwtApi and HttpTestingController, a manual clock, an in-memory storage and a log of actions.
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import { type EnvironmentProviders, type Provider } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { provideEffects } from '@ngrx/effects';
import { type Action, ScannedActionsSubject, Store, provideStore } from '@ngrx/store';
import {
  FAKE_JWT_USERS,
  type FakeJwtAuthResponse,
  type FakeJwtCredentials,
  type FakeJwtUser,
  ManualJwtClock,
  createFakeJwt,
} from 'ngx-customapp-jwt/testing';
import {
  JWT_CLOCK,
  JWT_STORAGE,
  type ProvideJwtConfig,
  JwtService,
  MemoryJwtStorage,
  createJwtActions,
  jwtInterceptor,
  provideJwt,
} from '../public-api';
import { HttpJwtApi } from './http-jwt-api';

export const actions = createJwtActions<FakeJwtCredentials, FakeJwtAuthResponse, FakeJwtUser, string>();

export const [admin, manager, viewer] = FAKE_JWT_USERS.map(
  ({ id, login, name, role }): FakeJwtUser => ({ id, login, name, role }),
);

export interface SetUp {
  readonly http: HttpTestingController;
  readonly clock: ManualJwtClock;
  readonly storage: MemoryJwtStorage;
  readonly store: Store;
  readonly jwt: JwtService<FakeJwtCredentials, FakeJwtAuthResponse, FakeJwtUser, string>;
  /** Every action reduced since the set-up, in the order the store reduced them. */
  readonly dispatched: Action[];
}

export function setUp(
  options: {
    config?: Omit<ProvideJwtConfig<FakeJwtCredentials, FakeJwtAuthResponse, FakeJwtUser, string>, 'api'>;
    storage?: MemoryJwtStorage;
    providers?: (Provider | EnvironmentProviders)[];
    api?: typeof HttpJwtApi;
  } = {},
): SetUp {
  const clock = new ManualJwtClock();
  const storage = options.storage ?? new MemoryJwtStorage();
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(withInterceptors([jwtInterceptor])),
      provideHttpClientTesting(),
      provideRouter([]),
      provideStore(),
      provideEffects(),
      provideJwt({ ...options.config, api: options.api ?? HttpJwtApi }),
      { provide: JWT_CLOCK, useValue: clock },
      { provide: JWT_STORAGE, useValue: storage },
      ...(options.providers ?? []),
    ],
  });
  const dispatched: Action[] = [];
  TestBed.inject(ScannedActionsSubject).subscribe((action) => dispatched.push(action));
  dispatched.length = 0;
  return {
    http: TestBed.inject(HttpTestingController),
    clock,
    storage,
    store: TestBed.inject(Store),
    jwt: TestBed.inject(JwtService) as SetUp['jwt'],
    dispatched,
  };
}

let serial = 0;

/** An auth response as the e2e-server gives it, with tokens that expire by `clock`. */
export function authResponse(
  user: FakeJwtUser,
  clock: ManualJwtClock,
  { accessTtl = 900, refreshTtl = 7 * 86_400, actingUser }: { accessTtl?: number; refreshTtl?: number; actingUser?: FakeJwtUser } = {},
): FakeJwtAuthResponse {
  const iat = Math.floor(clock.now() / 1000);
  const sid = `s${++serial}`;
  return {
    accessToken: createFakeJwt({ sub: user.id, sid, typ: 'access', iat, exp: iat + accessTtl, jti: `a${serial}` }),
    refreshToken: createFakeJwt({ sub: user.id, sid, typ: 'refresh', iat, exp: iat + refreshTtl, jti: `r${serial}` }),
    expiresAt: iat + accessTtl,
    user,
    ...(actingUser ? { actingUser } : {}),
  };
}

/** Answers the pending request with the server's error shape. */
export function flushError(request: TestRequest, status: number, code: string, message: string): void {
  request.flush({ error: { code, message } }, { status, statusText: code });
}

/** Logs in through JwtService, answering the login request; returns the response used. */
export function logIn(setUp: SetUp, user: FakeJwtUser = admin, options: Parameters<typeof authResponse>[2] = {}): FakeJwtAuthResponse {
  const response = authResponse(user, setUp.clock, options);
  setUp.jwt.login({ login: user.login, password: `${user.login}-pass` }).subscribe();
  setUp.http.expectOne('/api/auth/login').flush(response);
  return response;
}

/** Collects what an observable gives, for assertions after the requests are answered. */
export function record<T>(source: { subscribe(observer: { next: (v: T) => void; error: (e: unknown) => void; complete: () => void }): unknown }) {
  const result = { values: [] as T[], error: undefined as unknown, completed: false };
  source.subscribe({
    next: (value) => result.values.push(value),
    error: (error) => (result.error = error),
    complete: () => (result.completed = true),
  });
  return result;
}


import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { JWT_CLOCK, JWT_STORAGE, type ProvideJwtConfig, MemoryJwtStorage, provideJwt } from 'ngx-customapp-jwt';
import { FakeJwtApi, type FakeJwtAuthResponse, type FakeJwtCredentials, type FakeJwtUser } from './fake-jwt-api';
import { ManualJwtClock } from './manual-jwt-clock';

/**
 * `provideJwt()` for app tests: the `FakeJwtApi` backend, a `ManualJwtClock` and an in-memory
 * storage, each injectable by its class. Needs `provideStore()` and `provideEffects()` like
 * `provideJwt()` does.
 *
 * @example
 * TestBed.configureTestingModule({ providers: [provideStore(), provideEffects(), provideFakeJwt({ loginUrl: '/login' })] });
 * TestBed.inject(Store).dispatch(createJwtActions().login({ credentials: { login: 'admin', password: 'admin-pass' } }));
 * TestBed.inject(ManualJwtClock).tick(20 * 60_000);
 */
export function provideFakeJwt(
  config: Omit<ProvideJwtConfig<FakeJwtCredentials, FakeJwtAuthResponse, FakeJwtUser, string>, 'api'> = {},
): EnvironmentProviders {
  return makeEnvironmentProviders([
    provideJwt({ ...config, api: FakeJwtApi }),
    { provide: ManualJwtClock, useValue: new ManualJwtClock() },
    { provide: JWT_CLOCK, useExisting: ManualJwtClock },
    { provide: JWT_STORAGE, useValue: new MemoryJwtStorage() },
  ]);
}

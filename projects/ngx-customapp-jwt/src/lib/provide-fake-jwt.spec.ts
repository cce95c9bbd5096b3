import { TestBed } from '@angular/core/testing';
import { provideEffects } from '@ngrx/effects';
import { Store, provideStore } from '@ngrx/store';
import {
  FakeJwtApi,
  type FakeJwtAuthResponse,
  type FakeJwtCredentials,
  type FakeJwtUser,
  ManualJwtClock,
  provideFakeJwt,
} from 'ngx-customapp-jwt/testing';
import { firstValueFrom } from 'rxjs';
import { JWT_SELECTORS, JwtApi, JwtService, NoFreshJwtError, createJwtActions, decodeJwtPayload } from '../public-api';

const actions = createJwtActions<FakeJwtCredentials, FakeJwtAuthResponse, FakeJwtUser, string>();

// The testing entry point (projects/ngx-customapp-jwt/testing), as an app's tests would use it.
describe('provideFakeJwt() from ngx-customapp-jwt/testing', () => {
  let store: Store;
  let api: FakeJwtApi;
  let clock: ManualJwtClock;
  let jwt: JwtService;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideStore(), provideEffects(), provideFakeJwt()] });
    store = TestBed.inject(Store);
    api = TestBed.inject(FakeJwtApi);
    clock = TestBed.inject(ManualJwtClock);
    jwt = TestBed.inject(JwtService);
  });

  function user() {
    return store.selectSignal(TestBed.inject(JWT_SELECTORS).selectUser)();
  }

  it('logs a seeded user in through the store, with no network', () => {
    store.dispatch(actions.login({ credentials: { login: 'viewer', password: 'viewer-pass' } }));

    expect(user()).toEqual({ id: 'u-viewer', login: 'viewer', name: 'Vera Viewer', role: 'VIEWER' });
    expect(TestBed.inject(JwtApi)).toBe(api);
  });

  it('issues tokens that expire by the manual clock and refresh with rotation', async () => {
    store.dispatch(actions.login({ credentials: { login: 'admin', password: 'admin-pass' } }));
    const first = jwt.accessToken;

    clock.tick(api.accessTtlSeconds * 1000);
    const refreshed = await firstValueFrom(jwt.freshJwt());

    expect(api.calls.refresh).toBe(1);
    expect(refreshed).not.toBe(first ?? '');
    expect(decodeJwtPayload(refreshed)?.exp).toBe(Math.floor(clock.now() / 1000) + api.accessTtlSeconds);
  });

  it('fails the next call on demand, which ends the session', async () => {
    store.dispatch(actions.login({ credentials: { login: 'admin', password: 'admin-pass' } }));
    api.failNext('refresh');
    clock.tick(api.accessTtlSeconds * 1000);

    const error = await firstValueFrom(jwt.freshJwt()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(NoFreshJwtError);
    expect(user()).toBeNull();
  });

  it('refuses a wrong password and a login-as by a non-admin like the e2e-server', () => {
    store.dispatch(actions.login({ credentials: { login: 'viewer', password: 'nope' } }));
    expect(store.selectSignal(TestBed.inject(JWT_SELECTORS).selectError)()).toBe('Wrong login or password.');

    store.dispatch(actions.login({ credentials: { login: 'viewer', password: 'viewer-pass' } }));
    store.dispatch(actions.loginAs({ userId: 'u-admin' }));
    expect(store.selectSignal(TestBed.inject(JWT_SELECTORS).selectError)()).toBe('Only an admin may log in as another user.');
  });

  it('revokes every session of the user on a logout from every device', async () => {
    const otherDevice = await firstValueFrom(api.login({ login: 'manager', password: 'manager-pass' }));
    store.dispatch(actions.login({ credentials: { login: 'manager', password: 'manager-pass' } }));

    store.dispatch(actions.logout({ fromAllDevices: true }));

    expect(api.lastLogout?.fromAllDevices).toBeTrue();
    const error = await firstValueFrom(api.refresh(otherDevice.refreshToken)).catch((e: unknown) => e);
    expect(error).toEqual(jasmine.objectContaining({ status: 401 }));
  });

  it('lets an admin act as another user and come back', () => {
    store.dispatch(actions.login({ credentials: { login: 'admin', password: 'admin-pass' } }));
    store.dispatch(actions.loginAs({ userId: 'u-manager' }));
    expect(decodeJwtPayload(jwt.accessToken ?? '')?.['act']).toBe('u-admin');

    store.dispatch(actions.logout());

    expect(user()).toEqual(jasmine.objectContaining({ id: 'u-admin' }));
  });
});

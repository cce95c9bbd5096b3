// The package against the bundled e2e-server's real HTTP auth API, through HttpClient in Chromium.
import { HttpClient, provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { Actions, ofType, provideEffects } from '@ngrx/effects';
import { type Action, Store, provideStore } from '@ngrx/store';
import { type FakeJwtAuthResponse, type FakeJwtCredentials, type FakeJwtUser, ManualJwtClock } from 'ngx-customapp-jwt/testing';
import { firstValueFrom } from 'rxjs';
import {
  JWT_CLOCK,
  JWT_SELECTORS,
  JWT_STORAGE,
  JwtService,
  LoginThrottledError,
  MemoryJwtStorage,
  NoFreshJwtError,
  createJwtActions,
  decodeJwtPayload,
  jwtErrorMessage,
  jwtInterceptor,
  provideJwt,
} from '../public-api';
import { control, e2eServer, next } from '../spec-support/e2e-server';
import { API_URL, HttpJwtApi } from '../spec-support/http-jwt-api';

const actions = createJwtActions<FakeJwtCredentials, FakeJwtAuthResponse, FakeJwtUser, string>();

describe('against the e2e-server', () => {
  let clock: ManualJwtClock;
  let onNoFreshJwt: jasmine.Spy;
  let store: Store;
  let actions$: Actions<Action>;
  let jwt: JwtService<FakeJwtCredentials, FakeJwtAuthResponse, FakeJwtUser, string>;
  let api: HttpJwtApi;

  beforeEach(async () => {
    await control('reset');
    clock = new ManualJwtClock(Date.now());
    onNoFreshJwt = jasmine.createSpy('onNoFreshJwt');
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withFetch(), withInterceptors([jwtInterceptor])),
        provideStore(),
        provideEffects(),
        provideJwt({ api: HttpJwtApi, actions, onNoFreshJwt }),
        { provide: API_URL, useValue: e2eServer().httpUrl },
        { provide: JWT_CLOCK, useValue: clock },
        { provide: JWT_STORAGE, useValue: new MemoryJwtStorage() },
      ],
    });
    store = TestBed.inject(Store);
    actions$ = TestBed.inject(Actions);
    jwt = TestBed.inject(JwtService) as typeof jwt;
    api = TestBed.inject(HttpJwtApi);
  });

  async function logIn(login: string, password = `${login}-pass`): Promise<Action> {
    const outcome = next(actions$.pipe(ofType(actions.loginSucceed, actions.loginErrored)));
    store.dispatch(actions.login({ credentials: { login, password } }));
    return outcome;
  }

  async function logOut(fromAllDevices = false) {
    const outcome = next(actions$.pipe(ofType(actions.logoutSucceed, actions.logoutErrored)));
    store.dispatch(actions.logout({ fromAllDevices }));
    return outcome;
  }

  function users(): Promise<FakeJwtUser[]> {
    return firstValueFrom(TestBed.inject(HttpClient).get<FakeJwtUser[]>(`${e2eServer().httpUrl}/api/users`));
  }

  it('logs in, refreshes near expiry with the rotated token, calls the API, and logs out', async () => {
    const login = await logIn('manager');
    expect(login.type).toBe(actions.loginSucceed.type);
    expect(jwt.user()?.id).toBe('u-manager');
    const firstAccess = jwt.accessToken ?? '';
    const firstRefresh = (login as ReturnType<typeof actions.loginSucceed>).response.refreshToken;

    clock.tick(15 * 60_000);
    const refreshed = await firstValueFrom(jwt.freshJwt());
    expect(refreshed).not.toBe(firstAccess);
    expect(decodeJwtPayload(refreshed)?.sub).toBe('u-manager');
    const rotatedAway = await firstValueFrom(api.refresh(firstRefresh)).catch((error: unknown) => error);
    expect(rotatedAway).toEqual(jasmine.objectContaining({ status: 401 }));
    expect(jwtErrorMessage(rotatedAway)).not.toContain('Http failure');

    expect((await users()).map(({ id }) => id)).toContain('u-viewer');

    const logout = await logOut();
    expect(logout).toEqual(actions.logoutSucceed({ fromAllDevices: false, restoredMaster: false }));
    expect(jwt.isLoggedIn).toBeFalse();
    expect(store.selectSignal(TestBed.inject(JWT_SELECTORS).selectUser)()).toBeNull();
  });

  it('sends a request once more with a refreshed token when the server says the token expired', async () => {
    await logIn('manager');
    const expiredToken = jwt.accessToken;
    await control('expire-tokens');

    expect((await users()).map(({ id }) => id)).toContain('u-viewer');
    expect(jwt.accessToken).not.toBe(expiredToken);
    expect(decodeJwtPayload(jwt.accessToken ?? '')?.sub).toBe('u-manager');
    expect(onNoFreshJwt).not.toHaveBeenCalled();
  });

  it("reports a wrong password with the server's own message", async () => {
    const outcome = await logIn('viewer', 'wrong');

    expect(outcome.type).toBe(actions.loginErrored.type);
    expect(outcome).toEqual(actions.loginErrored({ error: 'Login or password is wrong.' }));
  });

  it('turns the 429 after too many wrong passwords into LoginThrottledError, with Retry-After read across origins', async () => {
    // A login of its own, so that no other spec signing in as a seeded user meets this throttle (the control API's reset clears it too).
    const login = 'throttled-by-this-spec';
    for (let failure = 1; failure <= 5; failure += 1) {
      expect(await logIn(login, 'wrong')).toEqual(actions.loginErrored({ error: 'Login or password is wrong.' }));
    }

    const refused = await firstValueFrom(jwt.login({ login, password: 'wrong' })).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LoginThrottledError);
    const seconds = (refused as LoginThrottledError).retryAfterSeconds;
    expect(seconds).toBeGreaterThan(0);
    expect((refused as LoginThrottledError).message).toBe(`Too many failed sign-ins; try again in ${seconds} s.`);
    const errored = await logIn(login, 'wrong');
    expect(errored).toEqual(
      jasmine.objectContaining({ type: actions.loginErrored.type, error: jasmine.stringMatching(/^Too many failed sign-ins; try again in \d+ s\.$/) }),
    );
  });

  it('lets an admin log in as another user and returns to the admin on logout', async () => {
    await logIn('admin');
    const adminToken = jwt.accessToken;

    const loginAs = next(actions$.pipe(ofType(actions.loginAsSucceed, actions.loginAsErrored)));
    store.dispatch(actions.loginAs({ userId: 'u-viewer' }));
    expect((await loginAs).type).toBe(actions.loginAsSucceed.type);
    expect(jwt.user()?.id).toBe('u-viewer');
    expect(jwt.loginAsDepth).toBe(1);
    const actingToken = await firstValueFrom(jwt.freshJwt());
    expect(decodeJwtPayload(actingToken)).toEqual(jasmine.objectContaining({ sub: 'u-viewer', act: 'u-admin' }));
    expect((await users()).length).toBeGreaterThan(0);

    const logout = await logOut();
    expect(logout).toEqual(actions.logoutSucceed({ fromAllDevices: false, restoredMaster: true }));
    expect(jwt.user()?.id).toBe('u-admin');
    expect(jwt.accessToken).toBe(adminToken);
    expect((await users()).length).toBeGreaterThan(0);
  });

  it('refuses login-as to a non-admin with a readable error and keeps the user', async () => {
    await logIn('viewer');

    const outcome = next(actions$.pipe(ofType(actions.loginAsSucceed, actions.loginAsErrored)));
    store.dispatch(actions.loginAs({ userId: 'u-manager' }));

    expect(await outcome).toEqual(actions.loginAsErrored({ error: 'Only an ADMIN may log in as another user.' }));
    expect(jwt.user()?.id).toBe('u-viewer');
  });

  it("logs out from every device: the other device's refresh fails and it ends up logged out", async () => {
    const otherDevice = await firstValueFrom(api.login({ login: 'manager', password: 'manager-pass' }));
    await logIn('manager');

    const logout = await logOut(true);
    expect(logout).toEqual(actions.logoutSucceed({ fromAllDevices: true, restoredMaster: false }));

    const refused = await firstValueFrom(api.refresh(otherDevice.refreshToken)).catch((error: unknown) => error);
    expect(refused).toEqual(jasmine.objectContaining({ status: 401 }));
    expect(jwtErrorMessage(refused)).not.toContain('Http failure');
    expect(decodeJwtPayload(otherDevice.accessToken)?.sub).toBe('u-manager');
  });

  it('ends a session revoked elsewhere at its next refresh: NoFreshJwtError, the hook and logoutSucceed', async () => {
    await logIn('manager');
    const elsewhere = await firstValueFrom(api.login({ login: 'manager', password: 'manager-pass' }));
    await firstValueFrom(api.logout(elsewhere.accessToken, true));

    clock.tick(15 * 60_000);
    const loggedOut = next(actions$.pipe(ofType(actions.logoutSucceed)));
    const error = await firstValueFrom(jwt.freshJwt()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(NoFreshJwtError);
    expect((error as NoFreshJwtError).reason).toBe('refresh-failed');
    expect(await loggedOut).toEqual(actions.logoutSucceed({ fromAllDevices: false, restoredMaster: false }));
    expect(onNoFreshJwt).toHaveBeenCalledTimes(1);
    expect(jwt.isLoggedIn).toBeFalse();
  });
});

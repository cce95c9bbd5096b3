// A 1.2.x app (JwtModule.forRoot with the 1.2.x config, JwtInterceptor in HTTP_INTERCEPTORS) against
// the bundled e2e-server's real HTTP auth API, through HttpClient in Chromium.
import { HttpClient, type HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { Actions, ofType } from '@ngrx/effects';
import { type Action, Store } from '@ngrx/store';
import { type FakeJwtUser, ManualJwtClock } from 'ngx-customapp-jwt/testing';
import { firstValueFrom } from 'rxjs';
import { JwtService, decodeJwtPayload } from '../public-api';
import { control, e2eServer, next } from '../spec-support/e2e-server';
import { API_URL } from '../spec-support/http-jwt-api';
import {
  type LegacyAppState,
  type LegacyAuthResponse,
  LegacyAuthApi,
  LegacyListener,
  legacyActions as a,
  legacyConfig,
  legacySelectors as s,
  setUpLegacyApp,
} from '../spec-support/legacy-app';

describe('a 1.2.x app against the e2e-server', () => {
  let clock: ManualJwtClock;
  let store: Store<LegacyAppState>;
  let actions$: Actions<Action>;
  let jwt: JwtService<unknown, LegacyAuthResponse, FakeJwtUser, string>;

  beforeEach(async () => {
    await control('reset');
    clock = new ManualJwtClock(Date.now());
    setUpLegacyApp(legacyConfig({ interceptorNotFoundJwt: true }), {
      clock,
      testing: false,
      providers: [{ provide: API_URL, useValue: e2eServer().httpUrl }],
    });
    store = TestBed.inject(Store) as Store<LegacyAppState>;
    actions$ = TestBed.inject(Actions);
    jwt = TestBed.inject(JwtService) as typeof jwt;
  });

  async function logIn(login: string): Promise<Action> {
    const outcome = next(actions$.pipe(ofType(a.loginSucceed, a.loginErrored)));
    store.dispatch(a.login({ credentials: { login, password: `${login}-pass` } }));
    return outcome;
  }

  async function logOut(): Promise<Action> {
    const outcome = next(actions$.pipe(ofType(a.logoutSucceed, a.logoutErrored)));
    store.dispatch(a.logout({ fromAllDevices: false }));
    return outcome;
  }

  function users(): Promise<FakeJwtUser[]> {
    return firstValueFrom(TestBed.inject(HttpClient).get<FakeJwtUser[]>(`${e2eServer().httpUrl}/api/users`));
  }

  it('logs in, calls the API through JwtInterceptor, refreshes through the 1.2.x refresh with the rotated token, and logs out', async () => {
    const login = await logIn('manager');
    expect(login.type).toBe(a.loginSucceed.type);
    expect(store.selectSignal(s.selectJwtUser)()?.id).toBe('u-manager');
    const first = jwt.jwt;

    expect((await users()).map(({ id }) => id)).toContain('u-viewer');

    clock.tick(15 * 60_000);
    expect((await users()).length).toBeGreaterThan(0);
    expect(TestBed.inject(LegacyAuthApi).calls.refresh).toEqual([first!.refreshToken!]);
    expect(jwt.jwt?.refreshToken?.token).not.toBe(first?.refreshToken?.token);
    expect(decodeJwtPayload(jwt.jwt?.accessToken?.token ?? '')?.sub).toBe('u-manager');

    expect((await logOut()).type).toBe(a.logoutSucceed.type);
    expect(jwt.jwt).toBeUndefined();
    expect(store.selectSignal(s.selectJwtUser)()).toBeUndefined();
  });

  it('lets an admin log in as another user and returns to the admin on logout', async () => {
    await logIn('admin');
    const adminToken = jwt.jwt?.accessToken?.token;

    const loginAs = next(actions$.pipe(ofType(a.loginAsSucceed, a.loginAsErrored)));
    store.dispatch(a.loginAs({ userId: 'u-viewer' }));
    expect((await loginAs).type).toBe(a.loginAsSucceed.type);
    expect(store.selectSignal(s.selectJwtUser)()?.id).toBe('u-viewer');
    expect(store.selectSignal(s.selectUserStash)().map(({ id }) => id)).toEqual(['u-admin']);
    expect(decodeJwtPayload(jwt.jwt?.accessToken?.token ?? '')).toEqual(jasmine.objectContaining({ sub: 'u-viewer', act: 'u-admin' }));
    expect((await users()).length).toBeGreaterThan(0);

    await logOut();
    expect(store.selectSignal(s.selectJwtUser)()?.id).toBe('u-admin');
    expect(jwt.jwt?.accessToken?.token).toBe(adminToken);
  });

  it('sends a request without the token once the session is revoked elsewhere, and tells the listener', async () => {
    await logIn('manager');
    const elsewhere = await firstValueFrom(
      TestBed.inject(HttpClient).post<LegacyAuthResponse>(`${e2eServer().httpUrl}/api/auth/login`, { login: 'manager', password: 'manager-pass' }),
    );
    await firstValueFrom(
      TestBed.inject(LegacyAuthApi).logout({ token: elsewhere.accessToken ?? '', expiresAt: 0 }, true),
    );
    clock.tick(15 * 60_000);

    const loggedOut = next(actions$.pipe(ofType(a.logoutSucceed)));
    const refused = await users().catch((error: HttpErrorResponse) => error);

    expect((refused as HttpErrorResponse).status).toBe(401);
    expect(await loggedOut).toEqual(a.logoutSucceed({ fromAllDevices: false, restoredMaster: false }));
    expect(TestBed.inject(LegacyListener).messages).toEqual([jasmine.stringMatching(/^JwtInterceptor: no fresh token/)]);
    expect(jwt.jwt).toBeUndefined();
  });
});

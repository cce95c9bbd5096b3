// A 1.2.x app, unchanged, on this version: every published name used the 1.2.x way.
import { HTTP_INTERCEPTORS, HttpClient, HttpContext, HttpRequest } from '@angular/common/http';
import { HttpTestingController } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { type ActivatedRouteSnapshot, Router, type RouterStateSnapshot } from '@angular/router';
import { EffectsModule } from '@ngrx/effects';
import { Store, createAction } from '@ngrx/store';
import { type FakeJwtUser, FAKE_JWT_USERS } from 'ngx-customapp-jwt/testing';
import { type Observable, firstValueFrom, isObservable } from 'rxjs';
import {
  JWT_ACTIONS,
  JWT_CONFIG,
  JWT_SELECTORS,
  JwtApi,
  JwtEffects,
  type JwtGroup,
  JwtGuard,
  JwtInterceptor,
  JwtService,
  LoginAsApiMethodDoesNotHaveJwtInAuthResponse,
  LoginAsCalledWhenUnauthorized,
  LoginAsMethodUnimplemented,
  MemoryJwtStorage,
  NoFreshJwtListener,
  defaultJwtStorageKey,
  disableJwtInterception,
  jwtActions,
  jwtFeatureKey,
  jwtSelectors,
  metaReducers,
  reducers,
} from '../public-api';
import {
  type LegacyAppState,
  type LegacyAuthResponse,
  LegacyAuthApi,
  LegacyListener,
  type LegacySetUp,
  expiryOf,
  legacyActions as a,
  legacyConfig,
  legacySelectors as s,
  setUpLegacyApp,
} from '../spec-support/legacy-app';
import { authResponse, record } from '../spec-support/set-up';

const [admin, manager, viewer] = FAKE_JWT_USERS.map(({ id, login, name, role }): FakeJwtUser => ({ id, login, name, role }));

/** What the e2e-server answers a login with, tokens expiring by `t.clock`. */
function answer(t: LegacySetUp, user: FakeJwtUser): Required<LegacyAuthResponse> {
  return authResponse(user, t.clock, { refreshTtl: 86_400 });
}

function http(): HttpTestingController {
  return TestBed.inject(HttpTestingController);
}

function store(): Store<LegacyAppState> {
  return TestBed.inject(Store) as Store<LegacyAppState>;
}

function jwtService(): JwtService<unknown, LegacyAuthResponse, FakeJwtUser, string> {
  return TestBed.inject(JwtService) as JwtService<unknown, LegacyAuthResponse, FakeJwtUser, string>;
}

function types(t: LegacySetUp): string[] {
  return t.dispatched.map(({ type }) => type);
}

/** Dispatches login({credentials}) and answers it. */
function logIn(t: LegacySetUp, user: FakeJwtUser = admin): Required<LegacyAuthResponse> {
  const response = answer(t, user);
  store().dispatch(a.login({ credentials: { login: user.login, password: `${user.login}-pass` } }));
  http().expectOne('/api/auth/login').flush(response);
  return response;
}

function get(url: string, options: { context?: HttpContext; headers?: Record<string, string>; reportProgress?: boolean } = {}) {
  const client = TestBed.inject(HttpClient);
  return options.reportProgress
    ? record(client.request(new HttpRequest('GET', url, { context: options.context, reportProgress: true })))
    : record(client.get(url, options));
}

const selectSignal = <T>(selector: (state: LegacyAppState) => T) => store().selectSignal(selector)();

describe('a 1.2.x app on this version', () => {
  afterEach(() => http().verify());

  describe('JwtModule.forRoot with the 1.2.x config', () => {
    it('logs in with login({ credentials }): the tokens of authResponseToJwt, the user of authResponseToUserInfo, loginSucceed({ response })', () => {
      const t = setUpLegacyApp();
      const response = logIn(t, manager);

      expect(types(t)).toEqual([
        '[ngx-customapp-jwt] login',
        '[ngx-customapp-jwt] set user',
        '[ngx-customapp-jwt] login succeed',
      ]);
      expect(t.dispatched[2]).toEqual(jasmine.objectContaining({ response }));
      expect(TestBed.inject(LegacyAuthApi).calls.login).toEqual([{ login: 'manager', password: 'manager-pass' }]);
      expect(jwtService().jwt).toEqual({
        accessToken: { token: response.accessToken, expiresAt: expiryOf(response.accessToken) },
        refreshToken: { token: response.refreshToken, expiresAt: expiryOf(response.refreshToken) },
      });
      expect(selectSignal(s.selectJwtUser)).toEqual(manager);
      expect(selectSignal(s.selectJwtLoginInProcess)).toBeFalse();
      expect(selectSignal((state) => state[jwtFeatureKey])).toEqual(
        jasmine.objectContaining({
          user: manager,
          loginInProcess: false,
          loginAgainInProcess: false,
          loginAsInProcess: false,
          logoutInProcess: false,
          userStash: [],
        }),
      );
      expect(t.storage.getItem(defaultJwtStorageKey)).toContain(response.refreshToken);
    });

    it('keeps the session in jwtStorageKey when the config names one', () => {
      const t = setUpLegacyApp(legacyConfig({}, { jwtStorageKey: 'my-app-tokens' }));
      const response = logIn(t);

      expect(t.storage.getItem('my-app-tokens')).toContain(response.accessToken);
      expect(t.storage.getItem(defaultJwtStorageKey)).toBeNull();
    });

    it('answers a refused login with loginErrored({ error }) carrying a string, also for a JwtApi that throws a string', () => {
      const t = setUpLegacyApp();

      store().dispatch(a.login({ credentials: { login: 'viewer', password: 'nope' } }));
      http().expectOne('/api/auth/login').flush({ error: { code: 'INVALID_CREDENTIALS', message: 'Login or password is wrong.' } }, { status: 401, statusText: 'Unauthorized' });

      expect(t.dispatched.at(-1)).toEqual(a.loginErrored({ error: 'Login or password is wrong.' }));
      expect(selectSignal(s.selectJwtUser)).toBeUndefined();
    });

    it('keeps the session when a login fails, and its tokens when a login answers none (1.2.x deleted them on a failure)', () => {
      const t = setUpLegacyApp();
      const first = logIn(t, admin);

      store().dispatch(a.login({ credentials: { login: 'admin', password: 'nope' } }));
      http().expectOne('/api/auth/login').flush({ error: 'Wrong password.' }, { status: 401, statusText: 'Unauthorized' });
      expect(jwtService().jwt?.accessToken?.token).toBe(first.accessToken);

      store().dispatch(a.login({ credentials: { token: first.accessToken } }));
      http().expectOne('/api/auth/login').flush({ user: manager });
      expect(jwtService().jwt?.accessToken?.token).toBe(first.accessToken);
      expect(selectSignal(s.selectJwtUser)).toEqual(manager);
    });

    it('fails a login that answers no tokens while nobody is logged in (1.2.x logged in without any)', () => {
      const t = setUpLegacyApp();

      store().dispatch(a.login({ credentials: { login: 'admin', password: 'admin-pass' } }));
      http().expectOne('/api/auth/login').flush({ user: admin });

      expect(t.dispatched.at(-1)).toEqual(a.loginErrored({ error: 'The auth response has no access token and refresh token.' }));
      expect(jwtService().jwt).toBeUndefined();
    });

    it('registers the store feature under jwtFeatureKey with the exported reducers, and gives the config as given by JWT_CONFIG', () => {
      const config = legacyConfig();
      setUpLegacyApp(config);

      expect(jwtFeatureKey).toBe('ngx-customapp-jwt');
      expect(Object.keys(reducers)).toEqual(jasmine.arrayContaining(['user', 'loginInProcess', 'loginAgainInProcess', 'loginAsInProcess', 'logoutInProcess', 'userStash']));
      expect(metaReducers).toEqual([]);
      expect(TestBed.inject(JWT_CONFIG)).toBe(config);
      expect(TestBed.inject(JWT_ACTIONS).login.type).toBe(a.login.type);
      expect(TestBed.inject(JWT_SELECTORS).selectJwtUser).toBe(s.selectJwtUser);
      expect(TestBed.inject(JwtApi)).toBe(TestBed.inject(LegacyAuthApi));
      expect(TestBed.inject(NoFreshJwtListener)).toBe(TestBed.inject(LegacyListener));
    });

    it('accepts actionToWaitUntilAuth and ignores it, as 1.2.x did: the login is sent at once', () => {
      const t = setUpLegacyApp(legacyConfig({}, { actionToWaitUntilAuth: createAction('[app] socket open') }));

      logIn(t);

      expect(selectSignal(s.selectJwtUser)).toEqual(admin);
    });

    it('runs the effects once when the app registers JwtEffects itself too', () => {
      const t = setUpLegacyApp(legacyConfig(), { imports: [EffectsModule.forFeature([JwtEffects])] });

      logIn(t);

      expect(TestBed.inject(LegacyAuthApi).calls.login.length).toBe(1);
      expect(types(t).filter((type) => type === a.loginSucceed.type).length).toBe(1);
    });
  });

  describe('JwtInterceptor in HTTP_INTERCEPTORS', () => {
    it('sets authHeader.name to authHeader.createValue(access token)', () => {
      const t = setUpLegacyApp(legacyConfig({}, { authHeader: { name: 'X-Auth', createValue: ({ token, expiresAt }) => `${token};${expiresAt}` } }));
      const { accessToken } = logIn(t);

      get('/api/users');

      expect(http().expectOne('/api/users').request.headers.get('X-Auth')).toBe(`${accessToken};${expiryOf(accessToken)}`);
    });

    it('leaves alone excludeUrls, requests marked with disableJwtInterception, and requests that carry the header already', () => {
      const t = setUpLegacyApp();
      logIn(t);

      get('/public/menu');
      get('/static/assets/logo.svg');
      get('/api/users', { context: new HttpContext().set(disableJwtInterception, true) });
      get('/api/me', { headers: { Authorization: 'Bearer mine' } });

      expect(http().expectOne('/public/menu').request.headers.has('Authorization')).toBeFalse();
      expect(http().expectOne('/static/assets/logo.svg').request.headers.has('Authorization')).toBeFalse();
      expect(http().expectOne('/api/users').request.headers.has('Authorization')).toBeFalse();
      expect(http().expectOne('/api/me').request.headers.get('Authorization')).toBe('Bearer mine');
    });

    it('sends a request with reportProgress with the token (1.2.x failed it with JwtInterceptorDropsReportProgress)', () => {
      const t = setUpLegacyApp();
      const { accessToken } = logIn(t);

      const result = get('/api/upload', { reportProgress: true });
      const upload = http().expectOne('/api/upload');
      expect(upload.request.headers.get('Authorization')).toBe(`Bearer ${accessToken}`);
      upload.flush({});

      expect(result.error).toBeUndefined();
      expect(result.completed).toBeTrue();
    });

    it('refreshes an expiring token once for every request, through JwtApi.refresh called with the refresh JwtInfo', () => {
      const t = setUpLegacyApp();
      const login = logIn(t);
      t.clock.tick(900 * 1000);

      get('/api/users');
      get('/api/orders');
      const refreshed = answer(t, admin);
      const refresh = http().expectOne('/api/auth/refresh');
      expect(refresh.request.body).toEqual({ refreshToken: login.refreshToken });
      refresh.flush(refreshed);

      expect(TestBed.inject(LegacyAuthApi).calls.refresh).toEqual([{ token: login.refreshToken, expiresAt: expiryOf(login.refreshToken) }]);
      expect(http().expectOne('/api/users').request.headers.get('Authorization')).toBe(`Bearer ${refreshed.accessToken}`);
      expect(http().expectOne('/api/orders').request.headers.get('Authorization')).toBe(`Bearer ${refreshed.accessToken}`);
      expect(jwtService().jwt?.refreshToken?.token).toBe(refreshed.refreshToken);
    });

    it('sends the request without a token when the refresh fails, and tells the listener when interceptorNotFoundJwt', () => {
      const t = setUpLegacyApp(legacyConfig({ interceptorNotFoundJwt: true }));
      logIn(t);
      t.clock.tick(900 * 1000);

      const result = get('/api/users');
      http().expectOne('/api/auth/refresh').flush({ error: { code: 'TOKEN_REVOKED', message: 'Logged out.' } }, { status: 401, statusText: 'Unauthorized' });
      http().expectOne('/api/users').flush([]);

      expect(result.values).toEqual([[]]);
      expect(TestBed.inject(LegacyListener).messages).toEqual([jasmine.stringMatching(/^JwtInterceptor: no fresh token for \/api\/users/)]);
      expect(jwtService().jwt).toBeUndefined();
      expect(types(t).slice(-2)).toEqual(['[ngx-customapp-jwt] set user', '[ngx-customapp-jwt] logout succeed']);
    });

    it('tells the listener of a request sent while nobody is logged in, when interceptorNotFoundJwt', () => {
      setUpLegacyApp(legacyConfig({ interceptorNotFoundJwt: true }));

      get('/api/users');

      expect(http().expectOne('/api/users').request.headers.has('Authorization')).toBeFalse();
      expect(TestBed.inject(LegacyListener).messages.length).toBe(1);
    });

    it('answers addAccessToken(req, jwt) with the request carrying the header', () => {
      setUpLegacyApp();
      const interceptor = TestBed.inject(HTTP_INTERCEPTORS).find((candidate) => candidate instanceof JwtInterceptor) as JwtInterceptor;

      const request = interceptor.addAccessToken(new HttpRequest('GET', '/api/users'), { token: 't1', expiresAt: 0 });

      expect(request.headers.get('Authorization')).toBe('Bearer t1');
    });
  });

  describe('JwtService', () => {
    it('gives freshJwt(flag) as a JwtGroup, and undefined without telling the listener when doNotCallNoFreshJwt', () => {
      const t = setUpLegacyApp(legacyConfig({ guardNotFoundJwt: true }));
      const { freshJwt } = jwtService();

      expect(record(freshJwt(true)).values).toEqual([undefined]);
      expect(TestBed.inject(LegacyListener).messages).toEqual([]);
      expect(record(freshJwt(false)).values).toEqual([undefined]);
      expect(TestBed.inject(LegacyListener).messages.length).toBe(1);

      const { accessToken } = logIn(t);
      const fresh = record<JwtGroup | undefined>(freshJwt(false));
      expect(fresh.values).toEqual([jwtService().jwt]);
      expect(fresh.values[0]?.accessToken?.token).toBe(accessToken);
      expect(fresh.completed).toBeTrue();
    });

    it('never calls the listener when every callWhen flag is false, freshJwt(false) and withFreshJwt included (1.2.x did, against its docs)', () => {
      setUpLegacyApp(legacyConfig());

      record(jwtService().freshJwt(false));
      jwtService().withFreshJwt(() => undefined);
      get('/api/users');
      http().expectOne('/api/users');

      expect(TestBed.inject(LegacyListener).messages).toEqual([]);
    });

    it('calls back withFreshJwt at once with fresh tokens, without them unless callWithFreshOnly', () => {
      const t = setUpLegacyApp();
      const calls: unknown[] = [];

      jwtService().withFreshJwt((jwt) => calls.push(['any', jwt]));
      jwtService().withFreshJwt((jwt) => calls.push(['fresh only', jwt]), true);
      expect(calls).toEqual([['any', undefined]]);

      logIn(t);
      jwtService().withFreshJwt((jwt) => calls.push(['fresh', jwt?.accessToken?.token]));
      expect(calls.at(-1)).toEqual(['fresh', jwtService().jwt?.accessToken?.token]);
    });

    it('answers login() with the AuthResponse and logout() with void, as 1.2.x did', () => {
      const t = setUpLegacyApp();
      const response = answer(t, viewer);

      const login = record(jwtService().login({ login: 'viewer', password: 'viewer-pass' }));
      http().expectOne('/api/auth/login').flush(response);
      const logout = record(jwtService().logout(true));
      http().expectOne('/api/auth/logout').flush(null);

      expect(login.values).toEqual([response]);
      expect(logout.values).toEqual([undefined]);
      expect(TestBed.inject(LegacyAuthApi).calls.logout).toEqual([[{ token: response.accessToken, expiresAt: expiryOf(response.accessToken) }, true]]);
      expect(jwtService().jwt).toBeUndefined();
    });

    it('sets and deletes tokens with setJwt() and deleteJwt(), persisting them', () => {
      const t = setUpLegacyApp();
      const tokens = answer(t, admin);
      const group = {
        accessToken: { token: tokens.accessToken, expiresAt: expiryOf(tokens.accessToken) },
        refreshToken: { token: tokens.refreshToken, expiresAt: expiryOf(tokens.refreshToken) },
      };

      jwtService().setJwt(group);
      expect(jwtService().jwt).toEqual(group);
      expect(jwtService().isMasterUser).toBeTrue();
      expect(t.storage.getItem(defaultJwtStorageKey)).toContain(tokens.accessToken);
      get('/api/users');
      expect(http().expectOne('/api/users').request.headers.get('Authorization')).toBe(`Bearer ${tokens.accessToken}`);

      jwtService().deleteJwt();
      expect(jwtService().jwt).toBeUndefined();
      expect(t.storage.getItem(defaultJwtStorageKey)).toBeNull();
      expect(t.dispatched).toEqual([]);
    });
  });

  describe('login-as', () => {
    it('calls JwtApi.loginAs with the master JwtInfo, stashes the master, and logout({ fromAllDevices }) returns to it', () => {
      const t = setUpLegacyApp();
      const master = logIn(t, admin);
      t.dispatched.length = 0;

      store().dispatch(a.loginAs({ userId: 'u-viewer' }));
      const acting = answer(t, viewer);
      http().expectOne('/api/auth/login-as').flush(acting);

      expect(TestBed.inject(LegacyAuthApi).calls.loginAs).toEqual([[{ token: master.accessToken, expiresAt: expiryOf(master.accessToken) }, 'u-viewer']]);
      expect(types(t)).toEqual([
        '[ngx-customapp-jwt] login as',
        '[ngx-customapp-jwt] stash user',
        '[ngx-customapp-jwt] set user',
        '[ngx-customapp-jwt] login as succeed',
      ]);
      expect(t.dispatched[1]).toEqual(a.stashUser({ user: admin }));
      expect(t.dispatched[3]).toEqual(jasmine.objectContaining({ response: acting }));
      expect(selectSignal(s.selectJwtUser)).toEqual(viewer);
      expect(selectSignal(s.selectUserStash)).toEqual([admin]);
      expect(jwtService().isMasterUser).toBeFalse();
      expect(jwtService().loginAsDepth).toBe(1);

      t.dispatched.length = 0;
      store().dispatch(a.logout({ fromAllDevices: false }));
      http().expectOne('/api/auth/logout').flush(null);

      expect(types(t)).toEqual([
        '[ngx-customapp-jwt] logout',
        '[ngx-customapp-jwt] set user',
        '[ngx-customapp-jwt] unstash user',
        '[ngx-customapp-jwt] logout succeed',
      ]);
      expect(selectSignal(s.selectJwtUser)).toEqual(admin);
      expect(selectSignal(s.selectUserStash)).toEqual([]);
      expect(jwtService().jwt?.accessToken?.token).toBe(master.accessToken);
    });

    it('forgets the whole login-as stack on deleteJwt()', () => {
      const t = setUpLegacyApp();
      logIn(t, admin);
      store().dispatch(a.loginAs({ userId: 'u-viewer' }));
      http().expectOne('/api/auth/login-as').flush(answer(t, viewer));

      jwtService().deleteJwt();

      expect(jwtService().jwt).toBeUndefined();
      expect(jwtService().loginAsDepth).toBe(0);
      expect(t.storage.getItem(defaultJwtStorageKey)).toBeNull();
    });

    it('errors with LoginAsCalledWhenUnauthorized while logged out, telling the listener when loginAsJwtNotFound', async () => {
      setUpLegacyApp(legacyConfig({ loginAsJwtNotFound: true }));

      const error = await firstValueFrom(jwtService().loginAs('u-viewer')).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(LoginAsCalledWhenUnauthorized);
      expect(TestBed.inject(LegacyListener).messages.length).toBe(1);
    });

    it('errors with LoginAsApiMethodDoesNotHaveJwtInAuthResponse when the answer has no tokens, and keeps the master', () => {
      const t = setUpLegacyApp();
      const master = logIn(t, admin);

      const result = record(jwtService().loginAs('u-viewer'));
      http().expectOne('/api/auth/login-as').flush({ user: viewer });

      expect(result.error).toBeInstanceOf(LoginAsApiMethodDoesNotHaveJwtInAuthResponse);
      expect(jwtService().jwt?.accessToken?.token).toBe(master.accessToken);
      expect(jwtService().loginAsDepth).toBe(0);
    });

    it('errors with LoginAsMethodUnimplemented when the JwtApi has no loginAs', async () => {
      setUpLegacyApp();
      (TestBed.inject(LegacyAuthApi) as { loginAs?: unknown }).loginAs = undefined;

      const error = await firstValueFrom(jwtService().loginAs('u-viewer')).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(LoginAsMethodUnimplemented);
    });
  });

  describe('JwtGuard after a reload', () => {
    const route = {} as ActivatedRouteSnapshot;
    const routerState = {} as RouterStateSnapshot;

    /** A second app start over the storage of the first, which stored the tokens of `user`. */
    function reloadWith(user: FakeJwtUser, config = legacyConfig(), stored?: (storage: MemoryJwtStorage, t: LegacySetUp) => void) {
      const first = setUpLegacyApp(config);
      const response = logIn(first, user);
      stored?.(first.storage, first);
      TestBed.resetTestingModule();
      return { t: setUpLegacyApp(config, { storage: first.storage, clock: first.clock }), response };
    }

    function canActivate(): Observable<boolean> {
      const result = TestBed.inject(JwtGuard).canActivate(route, routerState);
      if (!isObservable(result)) throw new Error('JwtGuard answered at once');
      return result as Observable<boolean>;
    }

    it('logs in again with jwtToCredentials(access token) and lets the route through on loginAgainSucceed', () => {
      const { t, response } = reloadWith(manager);

      const allowed = record(canActivate());
      const login = http().expectOne('/api/auth/login');
      expect(login.request.body).toEqual({ token: response.accessToken });
      login.flush({ user: manager });

      expect(allowed.values).toEqual([true]);
      expect(allowed.completed).toBeTrue();
      expect(types(t)).toEqual([
        '[ngx-customapp-jwt] login again',
        '[ngx-customapp-jwt] set user',
        '[ngx-customapp-jwt] login again succeed',
      ]);
      expect(t.dispatched[2]).toEqual(jasmine.objectContaining({ response: { user: manager } }));
      expect(selectSignal(s.selectJwtUser)).toEqual(manager);
      expect(jwtService().jwt?.accessToken?.token).toBe(response.accessToken);
    });

    it('reads the tokens that 1.2.x stored under userTokenStorage', () => {
      const { t, response } = reloadWith(manager, legacyConfig(), (storage) => {
        const legacy = { accessToken: { token: 'x', expiresAt: 0 }, refreshToken: { token: 'y', expiresAt: 0 } };
        const stored = JSON.parse(storage.getItem(defaultJwtStorageKey) ?? '{}') as { tokens: { accessToken: string; refreshToken: string } };
        legacy.accessToken = { token: stored.tokens.accessToken, expiresAt: expiryOf(stored.tokens.accessToken) };
        legacy.refreshToken = { token: stored.tokens.refreshToken, expiresAt: expiryOf(stored.tokens.refreshToken) };
        storage.setItem(defaultJwtStorageKey, JSON.stringify(legacy));
      });

      const allowed = record(canActivate());
      http().expectOne('/api/auth/login').flush({ user: manager });

      expect(allowed.values).toEqual([true]);
      expect(jwtService().jwt?.refreshToken?.token).toBe(response.refreshToken);
      expect(t.storage.getItem(defaultJwtStorageKey)).toContain('"v":1');
    });

    it('refuses the route, ends the session and tells the listener (guardNotFoundJwt) when the login again is refused', () => {
      const { t } = reloadWith(manager, legacyConfig({ guardNotFoundJwt: true }));

      const allowed = record(canActivate());
      http().expectOne('/api/auth/login').flush({ error: 'Token revoked' }, { status: 401, statusText: 'Unauthorized' });

      expect(allowed.values).toEqual([false]);
      expect(t.dispatched.at(-1)).toEqual(a.loginAgainErrored({ error: 'Token revoked' }));
      expect(TestBed.inject(LegacyListener).messages).toEqual([jasmine.stringMatching(/^JwtGuard: logging in again ended with/)]);
      expect(jwtService().jwt).toBeUndefined();
    });

    it('waits for actionAppReady / actionAppNotReady when the config names them', () => {
      const appReady = createAction('[app] ready');
      const appNotReady = createAction('[app] not ready');
      const config = legacyConfig({}, { jwtGuard: { jwtToCredentials: (jwt) => ({ token: jwt.token }), actionAppReady: appReady, actionAppNotReady: appNotReady } });
      reloadWith(admin, config);

      const allowed = record(canActivate());
      http().expectOne('/api/auth/login').flush({ user: admin });
      expect(allowed.values).toEqual([]);
      store().dispatch(appReady());

      expect(allowed.values).toEqual([true]);
    });

    it('guards without jwtGuard in the config too: checks the stored session with loginAgain() (1.2.x let everyone through)', () => {
      const withoutGuard = legacyConfig({}, { jwtGuard: undefined });
      const { t } = reloadWith(manager, withoutGuard);

      expect(record(canActivate()).values).toEqual([true]);
      expect(types(t)).toEqual([
        '[ngx-customapp-jwt] login again',
        '[ngx-customapp-jwt] set user',
        '[ngx-customapp-jwt] login again succeed',
      ]);

      jwtService().deleteJwt();
      store().dispatch(a.setUser({ user: undefined }));
      expect(record(canActivate()).values).toEqual([false]);
    });

    it('lets the route through at once when the store has a user', () => {
      const t = setUpLegacyApp();
      logIn(t);

      expect(record(canActivate()).values).toEqual([true]);
    });

    it('refuses the route in the router when nobody is logged in, telling the listener when guardNotFoundJwt', async () => {
      @Component({ template: '' })
      class MainPage {}
      setUpLegacyApp(legacyConfig({ guardNotFoundJwt: true }), { routes: [{ path: 'main', component: MainPage, canActivate: [JwtGuard] }] });

      expect(await TestBed.inject(Router).navigateByUrl('/main')).toBeFalse();
      expect(TestBed.inject(LegacyListener).messages).toEqual(['JwtGuard: nobody is logged in.']);
    });
  });

  describe('jwtActions() and jwtSelectors() in the store', () => {
    it('reduce the actions as 1.2.x apps dispatched them by hand', () => {
      setUpLegacyApp();

      store().dispatch(a.setUser({ user: admin }));
      store().dispatch(a.stashUser({ user: admin }));
      store().dispatch(a.setUser({ user: viewer }));
      expect(selectSignal(s.selectUserStash)).toEqual([admin]);
      store().dispatch(a.setUser({ user: admin }));
      store().dispatch(a.unstashUser());
      store().dispatch(a.logoutSucceed());

      expect(selectSignal(s.selectJwtUser)).toEqual(admin);
      expect(selectSignal(s.selectUserStash)).toEqual([]);
      expect(selectSignal(s.selectJwtLogoutInProcess)).toBeFalse();
    });
  });
});

describe('jwtActions() and jwtSelectors() of 1.2.x', () => {
  it('create the actions with the 1.2.x type strings, matching those of another call', () => {
    const other = jwtActions<unknown, unknown, unknown>();
    const suffixes = Object.fromEntries(Object.entries(a).map(([name, creator]) => [name, creator.type.replace('[ngx-customapp-jwt] ', '')]));

    expect(suffixes).toEqual({
      login: 'login',
      loginSucceed: 'login succeed',
      loginErrored: 'login errored',
      loginAgain: 'login again',
      loginAgainSucceed: 'login again succeed',
      loginAgainErrored: 'login again errored',
      loginAs: 'login as',
      loginAsSucceed: 'login as succeed',
      loginAsErrored: 'login as errored',
      logout: 'logout',
      logoutSucceed: 'logout succeed',
      logoutErrored: 'logout errored',
      stashUser: 'stash user',
      unstashUser: 'unstash user',
      setUser: 'set user',
    });
    expect(other.logoutSucceed.type).toBe(a.logoutSucceed.type);
  });

  it('take the 1.2.x payloads', () => {
    const response = { user: admin };

    expect(a.loginSucceed({ response })).toEqual(jasmine.objectContaining({ response }));
    expect(a.loginAgain({ credentials: { token: 't' } })).toEqual(jasmine.objectContaining({ credentials: { token: 't' } }));
    expect(a.loginAgainSucceed({ response })).toEqual(jasmine.objectContaining({ response }));
    expect(a.logout({ fromAllDevices: true })).toEqual(jasmine.objectContaining({ fromAllDevices: true }));
    expect(a.logoutSucceed()).toEqual(jasmine.objectContaining({ type: '[ngx-customapp-jwt] logout succeed' }));
    expect(a.stashUser({ user: admin })).toEqual(jasmine.objectContaining({ user: admin }));
    expect(a.setUser({ user: undefined })).toEqual(jasmine.objectContaining({ user: undefined }));
    expect(a.loginErrored({ error: 'x' }).error).toBe('x');
  });

  it('select from the state 1.2.x apps declared, also a mock state in the 1.2.x shape', () => {
    const selectors = jwtSelectors<FakeJwtUser>();
    const state: LegacyAppState = {
      [jwtFeatureKey]: { user: viewer, loginInProcess: true, loginAgainInProcess: false, loginAsInProcess: true, logoutInProcess: false, userStash: [admin] },
    };

    expect(selectors.selectJwtRootState(state)).toBe(state[jwtFeatureKey]);
    expect(selectors.selectJwtUser(state)).toEqual(viewer);
    expect(selectors.selectJwtLoginInProcess(state)).toBeTrue();
    expect(selectors.selectJwtLoginAgainInProcess(state)).toBeFalse();
    expect(selectors.selectJwtLoginAsInProcess(state)).toBeTrue();
    expect(selectors.selectJwtLogoutInProcess(state)).toBeFalse();
    expect(selectors.selectUserStash(state)).toEqual([admin]);
  });
});

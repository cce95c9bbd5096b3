import { HttpClient, HttpContext, HttpErrorResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { HttpTestingController, type TestRequest } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { FakeJwtCredentials } from 'ngx-customapp-jwt/testing';
import { JWT_SKIP, NoFreshJwtError, skipJwt } from '../public-api';
import { HttpJwtApi } from '../spec-support/http-jwt-api';
import { admin, authResponse, flushError, logIn, record, setUp } from '../spec-support/set-up';

/** A JwtApi whose calls are not marked with skipJwt(), as an app might write it. */
@Injectable()
class UnmarkedJwtApi extends HttpJwtApi {
  private readonly client = inject(HttpClient);

  override login(credentials: FakeJwtCredentials) {
    return this.client.post<ReturnType<typeof authResponse>>('/api/auth/login', credentials);
  }

  override refresh(refreshToken: string) {
    return this.client.post<ReturnType<typeof authResponse>>('/api/auth/refresh', { refreshToken });
  }
}

/** Answers the pending request with the e2e-server's "access token expired" 401. */
function flushExpired(request: TestRequest): void {
  flushError(request, 401, 'TOKEN_EXPIRED', 'The access token has expired: refresh it.');
}

describe('jwtInterceptor', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('adds the bearer token to a request while someone is logged in', () => {
    const t = setUp();
    const login = logIn(t);

    TestBed.inject(HttpClient).get('/api/users').subscribe();

    const request = t.http.expectOne('/api/users');
    expect(request.request.headers.get('Authorization')).toBe(`Bearer ${login.accessToken}`);
    request.flush([]);
  });

  it('sends a request without a token while nobody is logged in', () => {
    const t = setUp();

    TestBed.inject(HttpClient).get('/api/health').subscribe();

    const request = t.http.expectOne('/api/health');
    expect(request.request.headers.has('Authorization')).toBeFalse();
    request.flush({ ok: true });
  });

  it('leaves alone excluded URLs (prefix or RegExp) and requests marked with skipJwt()', () => {
    const t = setUp({ config: { excludedUrls: ['https://cdn.test/', /\/public\//] } });
    logIn(t);
    const http = TestBed.inject(HttpClient);

    http.get('https://cdn.test/logo.svg').subscribe();
    http.get('/api/public/menu').subscribe();
    http.get('/api/other', { context: skipJwt() }).subscribe();
    http.get('/api/another', { context: new HttpContext().set(JWT_SKIP, true) }).subscribe();

    for (const url of ['https://cdn.test/logo.svg', '/api/public/menu', '/api/other', '/api/another']) {
      const request = t.http.expectOne(url);
      expect(request.request.headers.has('Authorization')).withContext(url).toBeFalse();
      request.flush(null);
    }
  });

  it('leaves alone a request that already carries the header', () => {
    const t = setUp();
    logIn(t);

    TestBed.inject(HttpClient).get('/api/users', { headers: { Authorization: 'Bearer mine' } }).subscribe();

    const request = t.http.expectOne('/api/users');
    expect(request.request.headers.get('Authorization')).toBe('Bearer mine');
    request.flush([]);
  });

  it('uses the configured header name and scheme', () => {
    const t = setUp({ config: { headerName: 'X-Auth', authScheme: '' } });
    const login = logIn(t);

    TestBed.inject(HttpClient).get('/api/users').subscribe();

    const request = t.http.expectOne('/api/users');
    expect(request.request.headers.get('X-Auth')).toBe(login.accessToken);
    request.flush([]);
  });

  it('holds concurrent requests for one refresh near expiry and sends them all with the new token', () => {
    const t = setUp();
    logIn(t);
    t.clock.tick(900 * 1000);
    const http = TestBed.inject(HttpClient);

    for (let i = 0; i < 5; i++) http.get(`/api/items/${i}`).subscribe();
    expect(t.http.match((request) => request.url.startsWith('/api/items/')).length).toBe(0);
    const refreshed = authResponse(admin, t.clock);
    t.http.expectOne('/api/auth/refresh').flush(refreshed);

    const requests = t.http.match((request) => request.url.startsWith('/api/items/'));
    expect(requests.length).toBe(5);
    for (const request of requests) {
      expect(request.request.headers.get('Authorization')).toBe(`Bearer ${refreshed.accessToken}`);
      request.flush({});
    }
  });

  it("lets JwtService's own calls through, so an unmarked refresh request does not wait for itself", () => {
    const t = setUp({ api: UnmarkedJwtApi });
    logIn(t);
    t.clock.tick(900 * 1000);

    const result = record(t.jwt.freshJwt());
    const request = t.http.expectOne('/api/auth/refresh');
    expect(request.request.headers.has('Authorization')).toBeFalse();
    const refreshed = authResponse(admin, t.clock);
    request.flush(refreshed);

    expect(result.values).toEqual([refreshed.accessToken]);
  });

  it('fails the request with NoFreshJwtError, without sending it, when the refresh fails', () => {
    const t = setUp();
    logIn(t);
    t.clock.tick(900 * 1000);

    const result = record(TestBed.inject(HttpClient).get('/api/users'));
    flushError(t.http.expectOne('/api/auth/refresh'), 401, 'REFRESH_INVALID', 'The refresh token is not valid.');

    expect(result.error).toBeInstanceOf(NoFreshJwtError);
    t.http.expectNone('/api/users');
  });

  describe('after a 401 for an expired token', () => {
    it('refreshes and sends the request once more with the new token', () => {
      const t = setUp();
      const login = logIn(t);

      const result = record(TestBed.inject(HttpClient).get('/api/users'));
      const first = t.http.expectOne('/api/users');
      expect(first.request.headers.get('Authorization')).toBe(`Bearer ${login.accessToken}`);
      flushExpired(first);
      const refresh = t.http.expectOne('/api/auth/refresh');
      expect(refresh.request.body).toEqual({ refreshToken: login.refreshToken });
      const refreshed = authResponse(admin, t.clock);
      refresh.flush(refreshed);
      const second = t.http.expectOne('/api/users');
      expect(second.request.headers.get('Authorization')).toBe(`Bearer ${refreshed.accessToken}`);
      second.flush([{ id: 'u-admin' }]);

      expect(result.values).toEqual([[{ id: 'u-admin' }]]);
      expect(result.error).toBeUndefined();
    });

    it('makes one refresh call for ten requests that fail at once', () => {
      const t = setUp();
      logIn(t);
      const http = TestBed.inject(HttpClient);

      const results = Array.from({ length: 10 }, (_, i) => record(http.get(`/api/items/${i}`)));
      for (const request of t.http.match((r) => r.url.startsWith('/api/items/'))) flushExpired(request);
      const refreshes = t.http.match('/api/auth/refresh');
      expect(refreshes.length).toBe(1);
      const refreshed = authResponse(admin, t.clock);
      refreshes[0].flush(refreshed);

      const retries = t.http.match((r) => r.url.startsWith('/api/items/'));
      expect(retries.length).toBe(10);
      for (const retry of retries) {
        expect(retry.request.headers.get('Authorization')).toBe(`Bearer ${refreshed.accessToken}`);
        retry.flush({ ok: true });
      }
      expect(results.map((r) => r.values)).toEqual(Array.from({ length: 10 }, () => [{ ok: true }]));
    });

    it('passes a second 401 to the caller without refreshing or sending again', () => {
      const t = setUp();
      logIn(t);

      const result = record(TestBed.inject(HttpClient).get('/api/users'));
      flushExpired(t.http.expectOne('/api/users'));
      t.http.expectOne('/api/auth/refresh').flush(authResponse(admin, t.clock));
      flushExpired(t.http.expectOne('/api/users'));

      t.http.expectNone('/api/auth/refresh');
      t.http.expectNone('/api/users');
      expect(result.error).toBeInstanceOf(HttpErrorResponse);
      expect((result.error as HttpErrorResponse).status).toBe(401);
      expect(t.jwt.isLoggedIn).toBeTrue();
    });

    it('passes the original 401 to the caller when the refresh fails, and the session ends', () => {
      const hook = jasmine.createSpy('onNoFreshJwt');
      const t = setUp({ config: { onNoFreshJwt: hook } });
      logIn(t);

      const result = record(TestBed.inject(HttpClient).get('/api/users'));
      flushExpired(t.http.expectOne('/api/users'));
      flushError(t.http.expectOne('/api/auth/refresh'), 401, 'TOKEN_REVOKED', 'The session was logged out.');

      t.http.expectNone('/api/users');
      expect(result.error).toBeInstanceOf(HttpErrorResponse);
      expect((result.error as HttpErrorResponse).error).toEqual({
        error: { code: 'TOKEN_EXPIRED', message: 'The access token has expired: refresh it.' },
      });
      expect(t.jwt.isLoggedIn).toBeFalse();
      expect(hook).toHaveBeenCalledTimes(1);
    });

    it('does not retry a 401 that says something else than an expired token', () => {
      const t = setUp();
      logIn(t);
      const http = TestBed.inject(HttpClient);

      const revoked = record(http.get('/api/revoked'));
      const bare = record(http.get('/api/bare'));
      flushError(t.http.expectOne('/api/revoked'), 401, 'TOKEN_REVOKED', 'The session was logged out.');
      t.http.expectOne('/api/bare').flush(null, { status: 401, statusText: 'Unauthorized' });

      t.http.expectNone('/api/auth/refresh');
      expect((revoked.error as HttpErrorResponse).status).toBe(401);
      expect((bare.error as HttpErrorResponse).status).toBe(401);
    });

    it('retries whatever isTokenExpiredResponse accepts, a plain 401 included', () => {
      const t = setUp({ config: { isTokenExpiredResponse: (error) => error.status === 401 } });
      logIn(t);

      const result = record(TestBed.inject(HttpClient).get('/api/users'));
      t.http.expectOne('/api/users').flush(null, { status: 401, statusText: 'Unauthorized' });
      const refreshed = authResponse(admin, t.clock);
      t.http.expectOne('/api/auth/refresh').flush(refreshed);
      const retry = t.http.expectOne('/api/users');
      expect(retry.request.headers.get('Authorization')).toBe(`Bearer ${refreshed.accessToken}`);
      retry.flush([]);

      expect(result.values).toEqual([[]]);
    });

    it('does not retry excluded URLs, skipJwt() requests or requests that carried their own header', () => {
      const t = setUp({ config: { excludedUrls: ['https://cdn.test/'] } });
      logIn(t);
      const http = TestBed.inject(HttpClient);

      const results = [
        record(http.get('https://cdn.test/logo.svg')),
        record(http.get('/api/other', { context: skipJwt() })),
        record(http.get('/api/mine', { headers: { Authorization: 'Bearer mine' } })),
      ];
      for (const url of ['https://cdn.test/logo.svg', '/api/other', '/api/mine']) flushExpired(t.http.expectOne(url));

      t.http.expectNone('/api/auth/refresh');
      for (const result of results) expect((result.error as HttpErrorResponse).status).toBe(401);
    });

    it("does not retry JwtService's own calls, even unmarked ones", () => {
      const t = setUp({ api: UnmarkedJwtApi });
      logIn(t);

      const login = record(t.jwt.login({ login: 'viewer', password: 'viewer-pass' }));
      flushExpired(t.http.expectOne('/api/auth/login'));
      t.http.expectNone('/api/auth/refresh');
      expect((login.error as HttpErrorResponse).status).toBe(401);

      t.clock.tick(900 * 1000);
      const fresh = record(t.jwt.freshJwt());
      flushExpired(t.http.expectOne('/api/auth/refresh'));
      t.http.expectNone('/api/auth/refresh');
      expect(fresh.error).toBeInstanceOf(NoFreshJwtError);
    });
  });
});

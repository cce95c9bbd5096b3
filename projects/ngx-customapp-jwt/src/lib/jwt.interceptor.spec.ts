import { HttpClient, HttpContext } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { JWT_SKIP, NoFreshJwtError, skipJwt } from '../public-api';
import { HttpJwtApi } from '../spec-support/http-jwt-api';
import { admin, authResponse, flushError, logIn, record, setUp } from '../spec-support/set-up';

/** A JwtApi whose calls are not marked with skipJwt(), as an app might write it. */
@Injectable()
class UnmarkedJwtApi extends HttpJwtApi {
  private readonly client = inject(HttpClient);

  override refresh(refreshToken: string) {
    return this.client.post<ReturnType<typeof authResponse>>('/api/auth/refresh', { refreshToken });
  }
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
});

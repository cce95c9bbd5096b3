import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ManualJwtClock } from 'ngx-customapp-jwt/testing';
import { Subject } from 'rxjs';
import { JWT_STORAGE_EVENTS, type JwtStorageChange } from '../public-api';
import { admin, authResponse, logIn, manager, record, setUp, type SetUp } from '../spec-support/set-up';

/** Moves the service's clock and the timers (jasmine's mock clock) forward together. */
function advance(t: SetUp, ms: number): void {
  t.clock.tick(ms);
  jasmine.clock().tick(ms);
}

describe('JwtService renewals', () => {
  beforeEach(() => jasmine.clock().install());
  afterEach(() => {
    jasmine.clock().uninstall();
    TestBed.inject(HttpTestingController).verify();
  });

  it('renews the token when it falls due, with one refresh for every subscriber, and emits it to each', () => {
    const t = setUp();
    logIn(t);
    const first = record(t.jwt.renewals$);
    const second = record(t.jwt.renewals$);

    advance(t, (900 - 31) * 1000);
    t.http.expectNone('/api/auth/refresh');
    advance(t, 1000);
    const renewed = authResponse(admin, t.clock);
    t.http.expectOne('/api/auth/refresh').flush(renewed);

    expect(first.values).toEqual([renewed.accessToken]);
    expect(second.values).toEqual([renewed.accessToken]);
    expect(t.jwt.accessToken).toBe(renewed.accessToken);

    // And again for the renewed token, a full lifetime later.
    advance(t, (900 - 30) * 1000);
    const again = authResponse(admin, t.clock);
    t.http.expectOne('/api/auth/refresh').flush(again);
    expect(first.values).toEqual([renewed.accessToken, again.accessToken]);
  });

  it('renews a short token halfway through its life, and freshJwt() does not refresh it before', () => {
    const t = setUp();
    const login = logIn(t, admin, { accessTtl: 4 });
    const renewals = record(t.jwt.renewals$);
    expect(t.jwt.accessTokenExpiresAt).toBe(login.expiresAt * 1000);

    advance(t, 1000);
    expect(record(t.jwt.freshJwt()).values).toEqual([login.accessToken]);
    advance(t, 1000);
    const renewed = authResponse(admin, t.clock, { accessTtl: 4 });
    t.http.expectOne('/api/auth/refresh').flush(renewed);

    expect(renewals.values).toEqual([renewed.accessToken]);
    expect(t.jwt.accessTokenExpiresAt).toBe(renewed.expiresAt * 1000);
  });

  it('emits the token of a refresh that freshJwt() made', () => {
    const t = setUp();
    const login = logIn(t);
    const renewals = record(t.jwt.renewals$);

    record(t.jwt.freshJwt({ rejectedToken: login.accessToken }));
    const renewed = authResponse(admin, t.clock);
    t.http.expectOne('/api/auth/refresh').flush(renewed);

    expect(renewals.values).toEqual([renewed.accessToken]);
  });

  it('counts no login, login-as or logout as a renewal', () => {
    const t = setUp();
    logIn(t);
    const renewals = record(t.jwt.renewals$);

    logIn(t, manager);
    t.jwt.loginAs('u-viewer').subscribe();
    t.http.expectOne('/api/auth/login-as').flush(authResponse(admin, t.clock));
    t.jwt.logout(false, { localOnly: true }).subscribe();
    t.jwt.logout(false, { localOnly: true }).subscribe();

    expect(renewals.values).toEqual([]);
    expect(renewals.error).toBeUndefined();
  });

  it('emits the tokens another tab refreshed, once followed', () => {
    const otherTab = new Subject<JwtStorageChange>();
    const t = setUp({ providers: [{ provide: JWT_STORAGE_EVENTS, useValue: otherTab }] });
    const login = logIn(t);
    const renewals = record(t.jwt.renewals$);

    const refreshedThere = authResponse(admin, t.clock);
    const raw = JSON.stringify({
      v: 1,
      tokens: { accessToken: refreshedThere.accessToken, refreshToken: refreshedThere.refreshToken, expiresAt: refreshedThere.expiresAt },
      user: login.user,
      stack: [],
    });
    t.storage.setItem('ngx-customapp-jwt', raw);
    otherTab.next({ key: 'ngx-customapp-jwt', newValue: raw });

    expect(renewals.values).toEqual([refreshedThere.accessToken]);
  });

  it('waits a second between two renewals when a refresh gives a token already due', () => {
    const t = setUp();
    logIn(t);
    const renewals = record(t.jwt.renewals$);
    advance(t, 900 * 1000);
    // A token issued 9 s ago that lives 10 s: due at once.
    const issuedEarlier = new ManualJwtClock(t.clock.now() - 9_000);
    t.http.expectOne('/api/auth/refresh').flush(authResponse(admin, issuedEarlier, { accessTtl: 10 }));

    advance(t, 999);
    t.http.expectNone('/api/auth/refresh');
    advance(t, 1);
    t.http.expectOne('/api/auth/refresh').flush(authResponse(admin, t.clock));
    expect(renewals.values.length).toBe(2);
  });

  it('schedules nothing while nobody subscribes, and keeps going after a failed refresh ends the session', () => {
    const t = setUp();
    logIn(t);
    const renewals = t.jwt.renewals$.subscribe();
    renewals.unsubscribe();
    advance(t, 900 * 1000);
    t.http.expectNone('/api/auth/refresh');

    const listening = record(t.jwt.renewals$);
    t.http
      .expectOne('/api/auth/refresh')
      .flush({ error: { code: 'REFRESH_INVALID', message: 'no' } }, { status: 401, statusText: 'Unauthorized' });
    expect(t.jwt.isLoggedIn).toBeFalse();
    expect(listening.error).toBeUndefined();

    logIn(t, manager);
    advance(t, 900 * 1000);
    const renewed = authResponse(manager, t.clock);
    t.http.expectOne('/api/auth/refresh').flush(renewed);
    expect(listening.values).toEqual([renewed.accessToken]);
  });
});

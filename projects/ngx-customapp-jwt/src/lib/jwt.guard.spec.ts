import { HttpTestingController } from '@angular/common/http/testing';
import { EnvironmentInjector, runInInjectionContext } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, UrlTree } from '@angular/router';
import { MemoryJwtStorage, jwtGuard } from '../public-api';
import { actions, admin, authResponse, flushError, logIn, record, setUp, type SetUp } from '../spec-support/set-up';

function guard() {
  return record(runInInjectionContext(TestBed.inject(EnvironmentInjector), () => jwtGuard()));
}

/** A page load with the session of an earlier one in storage. */
function reloadWithStoredSession(config: Parameters<typeof setUp>[0] = {}): SetUp {
  const first = setUp();
  logIn(first, admin);
  const raw = first.storage.getItem('ngx-customapp-jwt') ?? '';
  TestBed.resetTestingModule();
  const storage = new MemoryJwtStorage();
  storage.setItem('ngx-customapp-jwt', raw);
  return setUp({ ...config, storage });
}

describe('jwtGuard', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('lets the route through when someone is logged in', () => {
    const t = setUp();
    t.store.dispatch(actions.login({ credentials: { login: 'admin', password: 'admin-pass' } }));
    t.http.expectOne('/api/auth/login').flush(authResponse(admin, t.clock));

    expect(guard().values).toEqual([true]);
  });

  it('logs in again from a stored session and lets the route through once that succeeds', () => {
    const t = reloadWithStoredSession();
    t.clock.tick(900 * 1000);

    const result = guard();
    expect(t.dispatched.map(({ type }) => type)).toEqual([actions.loginAgain.type]);
    expect(result.values).toEqual([]);
    t.http.expectOne('/api/auth/refresh').flush(authResponse(admin, t.clock));

    expect(result.values).toEqual([true]);
    expect(result.completed).toBeTrue();
  });

  it('sends to loginUrl when the stored session cannot be refreshed', () => {
    const t = reloadWithStoredSession({ config: { loginUrl: '/login' } });
    t.clock.tick(900 * 1000);

    const result = guard();
    flushError(t.http.expectOne('/api/auth/refresh'), 401, 'TOKEN_REVOKED', 'The session was logged out.');

    expect(result.values.length).toBe(1);
    expect(result.values[0]).toBeInstanceOf(UrlTree);
    expect(TestBed.inject(Router).serializeUrl(result.values[0] as UrlTree)).toBe('/login');
  });

  it('answers false without a session when no loginUrl is configured', () => {
    setUp();

    expect(guard().values).toEqual([false]);
  });

  it('waits for a login under way and follows its outcome', () => {
    const t = setUp({ config: { loginUrl: '/login' } });
    t.store.dispatch(actions.login({ credentials: { login: 'admin', password: 'nope' } }));

    const result = guard();
    expect(result.values).toEqual([]);
    flushError(t.http.expectOne('/api/auth/login'), 401, 'INVALID_CREDENTIALS', 'Wrong login or password.');

    expect(result.values[0]).toBeInstanceOf(UrlTree);
  });
});

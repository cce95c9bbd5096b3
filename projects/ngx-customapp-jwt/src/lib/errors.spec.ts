import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { LoginThrottledError, NoFreshJwtError, isJwtTokenExpiredResponse, jwtErrorMessage } from '../public-api';
import { loginThrottledError } from './errors';

describe('jwtErrorMessage()', () => {
  it("gives the server's message from an { error: { code, message } } body", () => {
    const error = new HttpErrorResponse({ status: 401, error: { error: { code: 'INVALID_CREDENTIALS', message: 'Wrong login or password.' } } });
    expect(jwtErrorMessage(error)).toBe('Wrong login or password.');
  });

  it('falls back to the code, then { message }, then a string body', () => {
    expect(jwtErrorMessage(new HttpErrorResponse({ status: 403, error: { error: { code: 'FORBIDDEN' } } }))).toBe('FORBIDDEN');
    expect(jwtErrorMessage(new HttpErrorResponse({ status: 400, error: { message: 'Bad body.' } }))).toBe('Bad body.');
    expect(jwtErrorMessage(new HttpErrorResponse({ status: 400, error: 'Plain text.' }))).toBe('Plain text.');
  });

  it('says the server could not be reached for status 0', () => {
    const message = jwtErrorMessage(new HttpErrorResponse({ status: 0, url: 'http://api.test/login' }));
    expect(message).toBe('The server could not be reached at http://api.test/login. Check the connection and try again.');
  });

  it('describes a status without a readable body', () => {
    expect(jwtErrorMessage(new HttpErrorResponse({ status: 502, statusText: 'Bad Gateway' }))).toBe('The server answered 502 Bad Gateway.');
  });

  it('gives the message of an Error and of a plain string', () => {
    expect(jwtErrorMessage(new NoFreshJwtError('not-logged-in', 'Nobody is logged in.'))).toBe('Nobody is logged in.');
    expect(jwtErrorMessage('Offline.')).toBe('Offline.');
    expect(jwtErrorMessage(42)).toBe('Unknown error.');
  });

  it('names errors after their class', () => {
    expect(new NoFreshJwtError('refresh-failed', 'x').name).toBe('NoFreshJwtError');
  });
});

describe('isJwtTokenExpiredResponse()', () => {
  const expired = { error: { code: 'TOKEN_EXPIRED', message: 'The access token has expired: refresh it.' } };

  it('is true for a 401 saying TOKEN_EXPIRED, as an object or as JSON text', () => {
    expect(isJwtTokenExpiredResponse(new HttpErrorResponse({ status: 401, error: expired }))).toBeTrue();
    expect(isJwtTokenExpiredResponse(new HttpErrorResponse({ status: 401, error: JSON.stringify(expired) }))).toBeTrue();
  });

  it('is false for another 401, another status or an unreadable body', () => {
    expect(isJwtTokenExpiredResponse(new HttpErrorResponse({ status: 401, error: { error: { code: 'TOKEN_REVOKED' } } }))).toBeFalse();
    expect(isJwtTokenExpiredResponse(new HttpErrorResponse({ status: 401 }))).toBeFalse();
    expect(isJwtTokenExpiredResponse(new HttpErrorResponse({ status: 403, error: expired }))).toBeFalse();
    expect(isJwtTokenExpiredResponse(new HttpErrorResponse({ status: 401, error: 'TOKEN_EXPIRED' }))).toBeFalse();
  });
});

describe('LoginThrottledError', () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0);
  const throttled = (headers: Record<string, string> = {}): HttpErrorResponse =>
    new HttpErrorResponse({
      status: 429,
      headers: new HttpHeaders(headers),
      error: { error: { code: 'TOO_MANY_REQUESTS', message: 'Too many failed sign-ins; try again in 30 s.' } },
    });

  it('reads Retry-After in seconds and says how long to wait', () => {
    const error = loginThrottledError(throttled({ 'Retry-After': '30' }), now);

    expect(error).toBeInstanceOf(LoginThrottledError);
    expect(error?.retryAfterSeconds).toBe(30);
    expect(error?.message).toBe('Too many failed sign-ins; try again in 30 s.');
    expect(error?.name).toBe('LoginThrottledError');
    expect(error?.cause).toEqual(jasmine.any(HttpErrorResponse));
    expect(jwtErrorMessage(error)).toBe('Too many failed sign-ins; try again in 30 s.');
  });

  it('reads Retry-After as an HTTP date, rounding up', () => {
    const at = new Date(now + 89_500).toUTCString(); // the date has whole seconds: 89 s later
    expect(loginThrottledError(throttled({ 'Retry-After': at }), now)?.retryAfterSeconds).toBe(89);
    expect(loginThrottledError(throttled({ 'Retry-After': new Date(now - 5000).toUTCString() }), now)?.retryAfterSeconds).toBe(1);
  });

  it('asks to wait a minute when Retry-After is missing or unreadable', () => {
    for (const headers of [{}, { 'Retry-After': 'soon' }] as Record<string, string>[]) {
      const error = loginThrottledError(throttled(headers), now);
      expect(error?.retryAfterSeconds).toBeNull();
      expect(error?.message).toBe('Too many failed sign-ins; wait a minute and try again.');
    }
  });

  it('is no answer for other failures', () => {
    expect(loginThrottledError(new HttpErrorResponse({ status: 401, headers: new HttpHeaders({ 'Retry-After': '5' }) }), now)).toBeNull();
    expect(loginThrottledError(new Error('offline'), now)).toBeNull();
  });
});

import { HttpErrorResponse } from '@angular/common/http';
import { NoFreshJwtError, isJwtTokenExpiredResponse, jwtErrorMessage } from '../public-api';

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

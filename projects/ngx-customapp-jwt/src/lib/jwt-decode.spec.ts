import { createFakeJwt } from 'ngx-customapp-jwt/testing';
import { decodeJwtPayload, jwtExpiresAt } from '../public-api';

describe('decodeJwtPayload()', () => {
  it('reads a base64url payload, non-ASCII text included', () => {
    const token = createFakeJwt({ sub: 'u-1', name: 'Zoë ✓ ??', exp: 1_900_000_000 });
    expect(decodeJwtPayload(token)).toEqual({ sub: 'u-1', name: 'Zoë ✓ ??', exp: 1_900_000_000 });
  });

  for (const [what, token] of [
    ['an opaque token', 'opaque'],
    ['two parts', 'a.b'],
    ['a payload that is not base64', 'a.!!!.c'],
    ['a payload that is not JSON', `a.${btoa('not json')}.c`],
    ['a payload that is an array', `a.${btoa('[1]')}.c`],
  ]) {
    it(`gives null for ${what}`, () => {
      expect(decodeJwtPayload(token)).toBeNull();
    });
  }
});

describe('jwtExpiresAt()', () => {
  it('gives the exp claim in milliseconds', () => {
    expect(jwtExpiresAt(createFakeJwt({ exp: 1_900_000_000 }))).toBe(1_900_000_000_000);
  });

  it('gives null without a numeric exp', () => {
    expect(jwtExpiresAt(createFakeJwt({ exp: 'soon' } as never))).toBeNull();
    expect(jwtExpiresAt(createFakeJwt({}))).toBeNull();
  });
});

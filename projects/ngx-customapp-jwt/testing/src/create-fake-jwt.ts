import type { JwtPayload } from 'ngx-customapp-jwt';

/**
 * Makes an unsigned JWT with the given claims, for tests: the package reads the payload (`exp`)
 * and never checks the signature, so this is all a fake backend needs.
 *
 * @example
 * const token = createFakeJwt({ sub: 'u-admin', exp: Math.floor(clock.now() / 1000) + 900 });
 */
export function createFakeJwt(claims: JwtPayload): string {
  return `${base64Url({ alg: 'none', typ: 'JWT' })}.${base64Url(claims)}.fake-signature`;
}

function base64Url(value: object): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  const binary = Array.from(bytes, (byte) => String.fromCharCode(byte)).join('');
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

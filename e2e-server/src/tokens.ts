// Signs and verifies the HS256 JWTs: access tokens for sockets and HTTP calls, refresh tokens for
// /api/auth/refresh. Knows nothing of sessions; see auth-service.ts for revocation.
import { randomUUID } from 'node:crypto';
import { SignJWT, errors, jwtVerify } from 'jose';

export type TokenType = 'access' | 'refresh';

/** The claims of every token this server issues. */
export interface TokenClaims {
  /** The user id. */
  sub: string;
  /** The session id. */
  sid: string;
  typ: TokenType;
  iat: number;
  exp: number;
  jti: string;
  /** On login-as tokens: the acting admin's user id. */
  act?: string;
}

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'expired'; claims: TokenClaims };

export interface IssuedToken {
  token: string;
  claims: TokenClaims;
}

export interface TokenLifetimes {
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
}

/** Issues and checks tokens with one secret. */
export class TokenService {
  private serial = 0;
  /** Access tokens with a serial up to this one count as expired (fault injection `expire-tokens`). */
  private expiredThrough = 0;
  /** The access token lifetime of tokens issued from now on: the configured one unless the control API changed it. */
  private accessTtlSeconds: number;

  constructor(
    private readonly secret: Uint8Array,
    private readonly lifetimes: TokenLifetimes,
    private readonly now: () => number = Date.now,
  ) {
    this.accessTtlSeconds = lifetimes.accessTtlSeconds;
  }

  /** The lifetime of the access tokens issued from now on, in seconds (control `access-ttl`). */
  get accessTtl(): number {
    return this.accessTtlSeconds;
  }

  /** Access tokens issued from now on live `seconds`; `undefined` goes back to the configured lifetime. */
  setAccessTtl(seconds: number | undefined): void {
    this.accessTtlSeconds = seconds ?? this.lifetimes.accessTtlSeconds;
  }

  async issue(typ: TokenType, subject: { sub: string; sid: string; act?: string }): Promise<IssuedToken> {
    const nowMs = this.now();
    const ttl = typ === 'access' ? this.accessTtlSeconds : this.lifetimes.refreshTtlSeconds;
    this.serial += 1;
    const claims: TokenClaims = {
      ...subject,
      typ,
      iat: Math.floor(nowMs / 1000),
      // Whole seconds, rounded up: a token lives at least its full lifetime.
      exp: Math.ceil(nowMs / 1000 + ttl),
      // The serial in the jti lets expire-tokens tell which tokens were issued before it.
      jti: `${this.serial.toString(36)}.${randomUUID()}`,
    };
    const token = await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(this.secret);
    return { token, claims };
  }

  /** Checks the signature, the type and the expiry of a token. */
  async verify(token: string, typ: TokenType): Promise<TokenCheck> {
    let claims: TokenClaims;
    try {
      const { payload } = await jwtVerify(token, this.secret, { algorithms: ['HS256'], currentDate: new Date(this.now()) });
      const parsed = parseClaims(payload);
      if (!parsed) return { ok: false, reason: 'invalid' };
      claims = parsed;
    } catch (error) {
      const expired = error instanceof errors.JWTExpired ? parseClaims(error.payload) : undefined;
      return expired && expired.typ === typ ? { ok: false, reason: 'expired', claims: expired } : { ok: false, reason: 'invalid' };
    }
    if (claims.typ !== typ) return { ok: false, reason: 'invalid' };
    if (typ === 'access' && serialOf(claims.jti) <= this.expiredThrough) return { ok: false, reason: 'expired', claims };
    return { ok: true, claims };
  }

  /** Makes every access token issued so far count as expired; refresh tokens keep working. */
  expireAccessTokensIssuedSoFar(): void {
    this.expiredThrough = this.serial;
  }
}

function serialOf(jti: string): number {
  return parseInt(jti.split('.')[0] ?? '', 36) || 0;
}

function parseClaims(payload: Record<string, unknown>): TokenClaims | undefined {
  const { sub, sid, typ, iat, exp, jti, act } = payload;
  if (typeof sub !== 'string' || typeof sid !== 'string' || typeof jti !== 'string') return undefined;
  if (typ !== 'access' && typ !== 'refresh') return undefined;
  if (typeof iat !== 'number' || typeof exp !== 'number') return undefined;
  if (act !== undefined && typeof act !== 'string') return undefined;
  return act === undefined ? { sub, sid, typ, iat, exp, jti } : { sub, sid, typ, iat, exp, jti, act };
}

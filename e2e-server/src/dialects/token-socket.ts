// JSON dialect sockets that sign in with an access token in one of their messages. PrincipalSocket:
// the auth timeout and the principal the socket acts for. TokenSocket adds the token check
// (AuthService, as on the main socket) with the strict policy most dialects follow: a refusal is
// answered and closes the socket, and the socket closes when its token expires.
import type { WebSocket } from 'ws';
import type { AccessFailure, Principal } from '../auth-service.js';
import { ACCESS_FAILURE_MESSAGES } from '../bearer-auth.js';
import { CloseCode } from '../codes.js';
import type { DialectContext } from './dialect.js';
import { JsonSocket, JsonSocketState } from './json-socket.js';

/**
 * The close after a refused token: an expired one asks the client to refresh it (4419), the others
 * are fatal (4401): the token will never work.
 */
export const TOKEN_REFUSAL_CLOSE: Readonly<Record<AccessFailure, CloseCode>> = {
  TOKEN_INVALID: CloseCode.AuthRefused,
  TOKEN_REVOKED: CloseCode.AuthRefused,
  TOKEN_EXPIRED: CloseCode.TokenExpired,
};

/**
 * A socket that acts for the user of an accepted access token, and is closed with 4408 when none
 * was accepted within the auth timeout (refused tokens do not stop the clock).
 */
export abstract class PrincipalSocket extends JsonSocket {
  private current: Principal | undefined;
  private readonly authTimer: NodeJS.Timeout;

  /** `authMessage` names the message that carries the token, in the auth timeout's close reason. */
  constructor(
    dialect: string,
    ws: WebSocket,
    protected readonly context: DialectContext,
    authMessage = 'auth',
  ) {
    super(dialect, ws, context.logger);
    this.authTimer = this.startTimer(context.authTimeoutMs, () =>
      this.closeNow(CloseCode.AuthTimeout, `no ${authMessage} within ${context.authTimeoutMs} ms`),
    );
  }

  get authorized(): boolean {
    return this.current !== undefined;
  }

  /** The sign-in session of the token (the registry closes the socket when it is logged out). */
  get sessionId(): string | undefined {
    return this.current?.session.id;
  }

  /** The user of the token. */
  get userId(): string | undefined {
    return this.current?.user.id;
  }

  /** Who the socket acts for, once a token was accepted. */
  protected get principal(): Principal | undefined {
    return this.current;
  }

  /** Acts for `principal` from now on; the auth timeout stops. */
  protected actFor(principal: Principal): void {
    this.stopTimer(this.authTimer);
    this.current = principal;
  }
}

export abstract class TokenSocket extends PrincipalSocket {
  private expiryTimer: NodeJS.Timeout | undefined;

  /** The dialect's error message sent before a refusal close. */
  protected abstract refusal(code: AccessFailure, message: string): object;

  /**
   * Checks an access token. Accepted: the socket acts for its user until the token's expiry (a
   * later token of the same user moves the expiry). Refused (a missing token is TOKEN_INVALID, a
   * token of another user than the one already signed in too): sends the dialect's refusal and
   * closes with 4401, or 4419 for an expired token. Resolves with the principal when accepted.
   */
  protected async signIn(token: unknown): Promise<Principal | undefined> {
    const result =
      typeof token === 'string' && token !== ''
        ? await this.context.auth.authenticate(token)
        : ({ ok: false, code: 'TOKEN_INVALID' } as const);
    if (this.state !== JsonSocketState.Open) return undefined; // closed while the token was checked
    if (!result.ok) return this.refuse(result.code, ACCESS_FAILURE_MESSAGES[result.code]);
    if (this.principal && this.principal.user.id !== result.value.user.id) {
      return this.refuse('TOKEN_INVALID', 'This socket is signed in as another user: open a new socket for this one.');
    }
    this.actFor(result.value);
    this.watchExpiry(result.value.claims.exp * 1000);
    return result.value;
  }

  private refuse(code: AccessFailure, message: string): undefined {
    this.send(this.refusal(code, message));
    this.closeNow(TOKEN_REFUSAL_CLOSE[code], message);
    return undefined;
  }

  /** Closes when the token's exp passes (checked again on firing, as timers may fire early). */
  private watchExpiry(expiresAtMs: number): void {
    this.stopTimer(this.expiryTimer);
    const remaining = expiresAtMs - Date.now();
    if (remaining <= 0) return this.closeNow(CloseCode.TokenExpired, 'token expired');
    this.expiryTimer = this.startTimer(remaining, () => this.watchExpiry(expiresAtMs));
  }
}

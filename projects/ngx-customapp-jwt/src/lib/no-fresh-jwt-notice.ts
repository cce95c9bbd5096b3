import { Injectable, Injector, inject } from '@angular/core';
import { NoFreshJwtListener } from './no-fresh-jwt-listener';
import { JWT_LOGGER, RESOLVED_JWT_CONFIG } from './tokens';

/** Which caller found no fresh token: one of 1.2.x's `callWhen` flags, or `'any'` for `freshJwt(false)` / `withFreshJwt()`. */
export type NoFreshJwtCaller = 'interceptorNotFoundJwt' | 'guardNotFoundJwt' | 'loginAsJwtNotFound' | 'any';

/**
 * Calls the 1.2.x `NoFreshJwtListener` (given as `noFreshJwt.service`) when `callWhen` says so:
 * for a named caller when its flag is set; for `'any'` (direct calls) when any flag is set, so that
 * with all three `false` it is never called, as 1.2.x's docs say. Without a listener it does nothing.
 */
@Injectable({ providedIn: 'root' })
export class NoFreshJwtNotice {
  private readonly injector = inject(Injector);
  private readonly callWhen = inject(RESOLVED_JWT_CONFIG).noFreshJwtCallWhen;
  private readonly logger = inject(JWT_LOGGER);

  notify(caller: NoFreshJwtCaller, message: string): void {
    const callWhen = this.callWhen;
    if (!callWhen) return;
    const wanted =
      caller === 'any' ? callWhen.interceptorNotFoundJwt || callWhen.guardNotFoundJwt || callWhen.loginAsJwtNotFound : callWhen[caller];
    if (!wanted) return;
    try {
      // Resolved at the call, not before: the listener usually injects the Router, which may need the interceptor's HttpClient.
      this.injector.get(NoFreshJwtListener).noFreshJwt(message);
    } catch (error) {
      this.logger.error('The NoFreshJwtListener threw.', error);
    }
  }
}

/*
 * Public API Surface of ngx-customapp-jwt
 *
 * Every name of 1.2.x is still here (those marked @deprecated map onto the ones beside them; see
 * MIGRATION.md).
 */

export {
  InvalidAuthResponseError,
  JwtConfigError,
  JwtError,
  JwtInterceptorDropsReportProgress,
  LoginAsApiMethodDoesNotHaveJwtInAuthResponse,
  LoginAsCalledWhenUnauthorized,
  LoginAsMethodUnimplemented,
  LoginThrottledError,
  NoFreshJwtError,
  isJwtTokenExpiredResponse,
  jwtErrorMessage,
} from './lib/errors';
export type { NoFreshJwtReason } from './lib/errors';
export { JWT_ACTIONS_SOURCE, createJwtActions, jwtActions } from './lib/jwt-actions';
export type { JwtActions } from './lib/jwt-actions';
export { JwtApi } from './lib/jwt-api';
export type { JwtApiConstructor } from './lib/jwt-api';
export { systemJwtClock } from './lib/jwt-clock';
export type { JwtClock } from './lib/jwt-clock';
export type { JwtConfig, ProvideJwtConfig } from './lib/jwt-config';
export { decodeJwtPayload, jwtExpiresAt } from './lib/jwt-decode';
export type { JwtPayload } from './lib/jwt-decode';
export { JWT_FEATURE_KEY, createJwtFeature, jwtFeatureKey, jwtSelectors, metaReducers, reducers } from './lib/jwt-feature';
export type { JwtFeature, JwtRootState, JwtSelectors, JwtState } from './lib/jwt-feature';
export type { JwtGroup, JwtInfo } from './lib/jwt-group';
export { silentJwtLogger } from './lib/jwt-logger';
export type { JwtLogger } from './lib/jwt-logger';
export type { JwtTokens } from './lib/jwt-session';
export { MemoryJwtStorage } from './lib/jwt-storage';
export type { JwtStorage } from './lib/jwt-storage';
export type { JwtStorageChange } from './lib/jwt-storage-events';
export type { JwtTabChange } from './lib/jwt-tab-change';
export { JwtEffects } from './lib/jwt.effects';
export { JwtGuard, jwtGuard } from './lib/jwt.guard';
export { JWT_SKIP, JwtInterceptor, disableJwtInterception, jwtInterceptor, skipJwt } from './lib/jwt.interceptor';
export { JwtModule } from './lib/jwt.module';
/** @internal Named by JwtModule's compiled declarations; not part of the API. */
export { JwtConfigCheckModule as ɵJwtConfigCheckModule } from './lib/jwt.module';
export { JwtService } from './lib/jwt.service';
export type { FreshJwt } from './lib/fresh-jwt';
export { defaultJwtStorageKey } from './lib/legacy-jwt-config';
export type { LegacyJwtConfig } from './lib/legacy-jwt-config';
export { NoFreshJwtListener } from './lib/no-fresh-jwt-listener';
export type { NoFreshJwtListenerConstructor } from './lib/no-fresh-jwt-listener';
export { provideJwt } from './lib/provide-jwt';
export {
  JWT_ACTIONS,
  JWT_CLOCK,
  JWT_CONFIG,
  JWT_LOGGER,
  JWT_SELECTORS,
  JWT_STORAGE,
  JWT_STORAGE_EVENTS,
} from './lib/tokens';

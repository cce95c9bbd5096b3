/*
 * Public API Surface of ngx-customapp-jwt
 */

export {
  InvalidAuthResponseError,
  JwtConfigError,
  JwtError,
  LoginThrottledError,
  NoFreshJwtError,
  isJwtTokenExpiredResponse,
  jwtErrorMessage,
} from './lib/errors';
export type { NoFreshJwtReason } from './lib/errors';
export { JWT_ACTIONS_SOURCE, createJwtActions } from './lib/jwt-actions';
export type { JwtActions } from './lib/jwt-actions';
export { JwtApi } from './lib/jwt-api';
export { systemJwtClock } from './lib/jwt-clock';
export type { JwtClock } from './lib/jwt-clock';
export type { JwtConfig } from './lib/jwt-config';
export { decodeJwtPayload, jwtExpiresAt } from './lib/jwt-decode';
export type { JwtPayload } from './lib/jwt-decode';
export type { JwtGroup, JwtInfo } from './lib/jwt-group';
export { JWT_FEATURE_KEY, createJwtFeature } from './lib/jwt-feature';
export type { JwtFeature, JwtSelectors, JwtState } from './lib/jwt-feature';
export { silentJwtLogger } from './lib/jwt-logger';
export type { JwtLogger } from './lib/jwt-logger';
export type { JwtTokens } from './lib/jwt-session';
export { MemoryJwtStorage } from './lib/jwt-storage';
export type { JwtStorage } from './lib/jwt-storage';
export type { JwtStorageChange } from './lib/jwt-storage-events';
export type { JwtTabChange } from './lib/jwt-tab-change';
export { jwtGuard } from './lib/jwt.guard';
export { JWT_SKIP, jwtInterceptor, skipJwt } from './lib/jwt.interceptor';
export { JwtModule } from './lib/jwt.module';
export { JwtService } from './lib/jwt.service';
export type { JwtLoginResult, JwtLogoutResult } from './lib/jwt.service';
export { provideJwt } from './lib/provide-jwt';
export { JWT_ACTIONS, JWT_CLOCK, JWT_LOGGER, JWT_SELECTORS, JWT_STORAGE, JWT_STORAGE_EVENTS } from './lib/tokens';

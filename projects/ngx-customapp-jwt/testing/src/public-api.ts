/*
 * Public API Surface of ngx-customapp-jwt/testing
 */

export { createFakeJwt } from './create-fake-jwt';
export { FAKE_JWT_USERS, FakeJwtApi } from './fake-jwt-api';
export type { FakeJwtAuthResponse, FakeJwtCredentials, FakeJwtUser } from './fake-jwt-api';
export { ManualJwtClock } from './manual-jwt-clock';
export { provideFakeJwt } from './provide-fake-jwt';

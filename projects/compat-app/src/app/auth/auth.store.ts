import { jwtActions, jwtSelectors } from 'ngx-customapp-jwt';
import type { AuthResponse, Credentials, UserInfo } from './auth.models';

/** The session's actions, typed for this app once (user ids are strings here). */
export const authActions = jwtActions<Credentials, AuthResponse, UserInfo, string>();

/** The session's selectors, typed for this app once. */
export const authSelectors = jwtSelectors<UserInfo>();

import { JWT_FEATURE_KEY, type JwtState } from 'ngx-customapp-jwt';
import { socketsFeatureKey, type SocketsRootState } from 'ngx-customapp-pattern-auth-before-socket';
import type { User } from './auth';

/** The app's NgRx state: the packages' substores. */
export interface AppState {
  readonly [socketsFeatureKey]: SocketsRootState;
  readonly [JWT_FEATURE_KEY]: JwtState<User>;
}

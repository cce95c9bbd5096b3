import type { ActionReducerMap } from '@ngrx/store';
import { jwtFeatureKey, type JwtRootState } from 'ngx-customapp-jwt';
import { socketsFeatureKey, type SocketsRootState } from 'ngx-customapp-pattern-auth-before-socket';
import type { UserInfo } from './auth/auth.models';
import { categoriesFeatureKey, categoriesReducer, type CategoriesState } from './menu/categories.reducer';
import { sessionFeatureKey, sessionReducer, type SessionState } from './session/session.reducer';

/** The app's own state; the packages add theirs with their forRoot(). */
export interface AppFeatures {
  [categoriesFeatureKey]: CategoriesState;
  [sessionFeatureKey]: SessionState;
}

export interface AppState extends AppFeatures {
  [jwtFeatureKey]: JwtRootState<UserInfo>;
  [socketsFeatureKey]: SocketsRootState;
}

export const reducers: ActionReducerMap<AppFeatures> = {
  [categoriesFeatureKey]: categoriesReducer,
  [sessionFeatureKey]: sessionReducer,
};

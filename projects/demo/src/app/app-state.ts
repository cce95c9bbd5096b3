import { socketsFeatureKey, type SocketsRootState } from 'ngx-customapp-pattern-auth-before-socket';
import { JWT_FEATURE_KEY, type JwtState } from 'ngx-customapp-jwt';
import type { auditLogFeature } from './audit/audit-log.feature';
import type { User } from './auth/auth';
import type { CategoriesState } from './menu/categories.feature';
import type { notificationsFeature } from './notifications/notifications.feature';

/** The whole NgRx state of the app: its own features and the packages' substores. */
export interface AppState {
  readonly [socketsFeatureKey]: SocketsRootState;
  readonly [JWT_FEATURE_KEY]: JwtState<User>;
  readonly categories: CategoriesState;
  readonly notifications: ReturnType<typeof notificationsFeature.selectNotificationsState>;
  readonly auditLog: ReturnType<typeof auditLogFeature.selectAuditLogState>;
}

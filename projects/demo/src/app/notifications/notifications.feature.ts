import { createAction, createFeature, createReducer, on, props } from '@ngrx/store';
import { authActions } from '../auth/auth';

/** A notification pushed on the notifications socket: a change someone else made. */
export interface AppNotification {
  readonly id: string;
  readonly text: string;
  /** ISO time of the change. */
  readonly at: string;
}

export const notificationReceived = createAction('[Notifications socket] notification received', props<{ notification: AppNotification }>());

/** How many notifications the panel keeps. */
const KEEP = 8;

export const notificationsFeature = createFeature({
  name: 'notifications',
  reducer: createReducer(
    { items: [] as readonly AppNotification[] },
    on(notificationReceived, (state, { notification }) => ({ items: [notification, ...state.items].slice(0, KEEP) })),
    on(authActions.logoutSucceed, authActions.loginAsSucceed, authActions.loginSucceed, () => ({ items: [] })),
  ),
});

import { api } from '@e2e-server/protocol';
import { createFeatureSelector, createReducer, createSelector, on } from '@ngrx/store';
import {
  closeSocketsFinished,
  initSockets,
  initSocketsErrored,
  initSocketsSucceed,
  loginAndInitSocketsErrored,
  loginAsAndInitSocketsErrored,
  loginAsAndInitSocketsSucceed,
} from 'ngx-customapp-pattern-auth-before-socket';
import { authActions } from '../auth/auth.store';
import { mainSocketAuthorized } from './session.actions';

export const sessionFeatureKey = 'session';

export type ConnectionStatus = 'offline' | 'connecting' | 'live' | 'failed';

export interface SessionState {
  connection: ConnectionStatus;
  /** Whom the live connection speaks for, as the server said: `Vera Viewer (viewer)`. */
  connectedAs: string | undefined;
  /** The last thing to tell the user, good or bad. */
  notice: { kind: 'info' | 'error'; text: string } | undefined;
}

const initialState: SessionState = { connection: 'offline', connectedAs: undefined, notice: undefined };

function describeUser(user: api.IUser | undefined): string | undefined {
  if (!user) return undefined;
  const role = user.role ? api.Role[user.role] : undefined;
  return role ? `${user.name} (${role.toLowerCase()})` : (user.name ?? undefined);
}

export const sessionReducer = createReducer(
  initialState,
  on(initSockets, (state) => ({ ...state, connection: 'connecting' as const })),
  on(initSocketsSucceed, (state) => ({ ...state, connection: 'live' as const })),
  on(initSocketsErrored, (state) => ({ ...state, connection: 'failed' as const })),
  on(closeSocketsFinished, (state) => ({ ...state, connection: 'offline' as const, connectedAs: undefined })),
  on(mainSocketAuthorized, (state, { user }) => ({ ...state, connectedAs: describeUser(user) })),
  on(authActions.login, authActions.loginAs, authActions.logout, (state) => ({ ...state, notice: undefined })),
  on(loginAndInitSocketsErrored, (state, { error }) => ({ ...state, notice: { kind: 'error' as const, text: `Could not sign in: ${error}` } })),
  on(loginAsAndInitSocketsSucceed, (state) => ({
    ...state,
    notice: { kind: 'info' as const, text: 'You are now acting as another user: the menu below is what they see.' },
  })),
  on(loginAsAndInitSocketsErrored, (state, { error }) => ({ ...state, notice: { kind: 'error' as const, text: `Could not switch users: ${error}` } })),
);

const selectSessionState = createFeatureSelector<SessionState>(sessionFeatureKey);

export const selectConnection = createSelector(selectSessionState, (state) => state.connection);
export const selectConnectedAs = createSelector(selectSessionState, (state) => state.connectedAs);
export const selectNotice = createSelector(selectSessionState, (state) => state.notice);

import { createAction, createFeature, createReducer, on, props } from '@ngrx/store';
import { authActions } from '../auth/auth';

/** One change as the audit log (admins only) reports it. */
export interface AuditEntry {
  /** ISO time of the change. */
  readonly at: string;
  /** Who made it: a login, or "admin as manager" for a login-as session. */
  readonly userLogin: string;
  readonly action: string;
  readonly categoryId: string;
}

export const auditEntryReceived = createAction('[Menu socket] audit entry received', props<{ entry: AuditEntry }>());

/** How many entries the panel keeps. */
const KEEP = 8;

export const auditLogFeature = createFeature({
  name: 'auditLog',
  reducer: createReducer(
    { entries: [] as readonly AuditEntry[] },
    on(auditEntryReceived, (state, { entry }) => ({ entries: [entry, ...state.entries].slice(0, KEEP) })),
    on(authActions.logoutSucceed, authActions.loginAsSucceed, authActions.loginSucceed, () => ({ entries: [] })),
  ),
});

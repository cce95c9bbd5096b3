import type { api } from '@e2e-server/protocol';
import { createAction, props } from '@ngrx/store';

/** The server answered the main socket's auth: whom this connection speaks for. */
export const mainSocketAuthorized = createAction('[Socket] main socket authorized', props<{ user: api.IUser | undefined }>());

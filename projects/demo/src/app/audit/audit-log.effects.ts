import { inject } from '@angular/core';
import { createEffect } from '@ngrx/effects';
import { filter, map } from 'rxjs';
import { BaseSocketService } from '../sockets/base-socket.service';
import { auditEntryReceived } from './audit-log.feature';

/** The AUDIT_LOG subscription (admins only) of the main socket, as store actions. */
export const auditPushes = createEffect(
  (sockets = inject(BaseSocketService)) =>
    sockets.sub$.pipe(
      map((sub) => sub.audit),
      filter((audit) => !!audit),
      map(({ at, userLogin, action, categoryId }) =>
        auditEntryReceived({ entry: { at: at ?? '', userLogin: userLogin ?? '', action: action ?? '', categoryId: categoryId ?? '' } }),
      ),
    ),
  { functional: true },
);

import { inject } from '@angular/core';
import { createEffect } from '@ngrx/effects';
import { filter, map } from 'rxjs';
import { BaseSocketService } from '../sockets/base-socket.service';
import { notificationReceived } from './notifications.feature';

/** The NOTIFICATIONS subscription of the second socket, as store actions. */
export const notificationPushes = createEffect(
  (sockets = inject(BaseSocketService)) =>
    sockets.notificationsSub$.pipe(
      map((sub) => sub.notification),
      filter((notification) => !!notification),
      map(({ id, text, at }) => notificationReceived({ notification: { id: id ?? '', text: text ?? '', at: at ?? '' } })),
    ),
  { functional: true },
);

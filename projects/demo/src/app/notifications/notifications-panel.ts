import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Store } from '@ngrx/store';
import { notificationsFeature } from './notifications.feature';
import type { AppState } from '../app-state';

/** What other people changed, as the notifications socket pushes it. */
@Component({
  selector: 'app-notifications-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card" aria-labelledby="notifications-title">
      <h2 id="notifications-title">Notifications</h2>
      <ul class="feed" aria-live="polite" aria-relevant="additions" data-testid="notifications">
        @for (item of items(); track item.id) {
          <li>
            <span>{{ item.text }}</span>
            <time class="feed-time" [attr.datetime]="item.at">{{ timeOf(item.at) }}</time>
          </li>
        } @empty {
          <li class="hint">Changes other people make will show up here.</li>
        }
      </ul>
    </section>
  `,
})
export class NotificationsPanel {
  protected readonly items = inject<Store<AppState>>(Store).selectSignal(notificationsFeature.selectItems);

  protected timeOf(iso: string): string {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString();
  }
}

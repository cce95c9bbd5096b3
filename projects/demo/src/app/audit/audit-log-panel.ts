import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Store } from '@ngrx/store';
import { auditLogFeature } from './audit-log.feature';
import type { AppState } from '../app-state';

const ACTION_TEXT: Record<string, string> = { add: 'added', rename: 'renamed', delete: 'deleted' };

/** For admins: who changed what, from the AUDIT_LOG subscription. */
@Component({
  selector: 'app-audit-log-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card" aria-labelledby="audit-title" data-testid="audit-log">
      <h2 id="audit-title">Audit log</h2>
      <ul class="feed">
        @for (entry of entries(); track $index) {
          <li>
            <span><strong>{{ entry.userLogin }}</strong> {{ actionText(entry.action) }} {{ entry.categoryId }}</span>
            <time class="feed-time" [attr.datetime]="entry.at">{{ timeOf(entry.at) }}</time>
          </li>
        } @empty {
          <li class="hint">Every change to the menu will be recorded here.</li>
        }
      </ul>
    </section>
  `,
})
export class AuditLogPanel {
  protected readonly entries = inject<Store<AppState>>(Store).selectSignal(auditLogFeature.selectEntries);

  protected actionText(action: string): string {
    return ACTION_TEXT[action] ?? action;
  }

  protected timeOf(iso: string): string {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString();
  }
}

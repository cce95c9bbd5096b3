import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { Store } from '@ngrx/store';
import { selectSocket, type SocketStatus } from 'ngx-customapp-pattern-auth-before-socket';
import type { AppState } from '../app-state';

const STATUS_TEXT: Record<SocketStatus, string> = {
  connecting: 'Connecting…',
  authorizing: 'Signing in…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Closed',
};

/** One socket's connection state, in words and colour, from the package's selectors. */
@Component({
  selector: 'app-socket-status-indicator',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <span class="status" [attr.data-status]="status()" [attr.data-testid]="'socket-status-' + socketId()" [attr.title]="lastError()">
      <span class="status-dot" aria-hidden="true"></span>
      <span class="status-label">{{ label() }}:</span>
      <span class="status-text">{{ text() }}</span>
    </span>
  `,
})
export class SocketStatusIndicator {
  private readonly store = inject<Store<AppState>>(Store);

  /** The socket's id in the chain. */
  readonly socketId = input.required<string>();
  /** What the socket carries, as the user understands it. */
  readonly label = input.required<string>();

  // One store signal per socket id (made again only if the input changes).
  private readonly entrySignal = computed(() => this.store.selectSignal(selectSocket(this.socketId())));
  private readonly entry = computed(() => this.entrySignal()());
  protected readonly status = computed(() => this.entry().status);
  protected readonly text = computed(() => STATUS_TEXT[this.status()]);
  protected readonly lastError = computed(() => this.entry().lastError ?? null);
}

import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { Store } from '@ngrx/store';
import { AuditLogPanel } from '../audit/audit-log-panel';
import { authActions, authFeature, roleLabel } from '../auth/auth';
import { MenuPanel } from '../menu/menu-panel';
import { NotificationsPanel } from '../notifications/notifications-panel';
import { SocketId } from '../sockets/socket-chain';
import { SocketStatusIndicator } from '../sockets/socket-status-indicator';
import { LoginAsForm } from './login-as-form';
import type { AppState } from '../app-state';

/** The signed-in page: who is signed in, the connections, the menu and the live panels. */
@Component({
  selector: 'app-shell',
  imports: [SocketStatusIndicator, MenuPanel, NotificationsPanel, AuditLogPanel, LoginAsForm],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './shell.html',
})
export class Shell {
  private readonly store = inject<Store<AppState>>(Store);

  protected readonly SocketId = SocketId;
  protected readonly user = this.store.selectSignal(authFeature.selectUser);
  protected readonly master = this.store.selectSignal(authFeature.selectMasterUser);
  protected readonly loginAsDepth = this.store.selectSignal(authFeature.selectLoginAsDepth);
  protected readonly loggingOut = this.store.selectSignal(authFeature.selectLogoutInProgress);
  protected readonly switching = this.store.selectSignal(authFeature.selectLoginAsInProgress);
  protected readonly error = this.store.selectSignal(authFeature.selectError);
  protected readonly roleText = computed(() => {
    const user = this.user();
    return user ? roleLabel(user.role) : '';
  });
  protected readonly isAdmin = computed(() => this.user()?.role === 'ADMIN');

  /** Ends a login-as (back to the admin), or signs out of this device. */
  protected logout(): void {
    this.store.dispatch(authActions.logout());
  }

  protected logoutEverywhere(): void {
    this.store.dispatch(authActions.logout({ fromAllDevices: true }));
  }
}

import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { Store } from '@ngrx/store';
import { SocketsTestingController } from 'ngx-customapp-pattern-auth-before-socket/testing';
import { injectSocketStatus, selectAllSocketsLive, selectSocketsLastError, SocketsStateService } from 'ngx-customapp-pattern-auth-before-socket';
import type { AppState } from './app-state';
import { authActions, authFeature } from './auth';
import { MenuSocketService } from './menu-socket.service';
import { answerOffline, offlineLogins } from './offline';
import { RoomsSocket } from './rooms';
import { mainSocketId } from './sockets';

@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Consumer app</h1>
    @if (user(); as user) {
      <p>Signed in as {{ user.name }} ({{ user.role }}); main socket: {{ mainStatus() }}, all live: {{ allLive() }}</p>
      <button type="button" (click)="addCategory()">Add a category</button>
      <button type="button" (click)="logout(false)">Log out</button>
      <button type="button" (click)="logout(true)">Log out everywhere</button>
    } @else {
      @for (credentials of logins; track credentials.login) {
        <button type="button" (click)="login(credentials.login, credentials.password)">Sign in as {{ credentials.login }}</button>
      }
    }
    @if (lastError(); as error) {
      <p role="alert">{{ error }}</p>
    }
    <p>Sockets initializing: {{ sockets.initInProgress() }}; rooms socket: {{ roomsState() }}; last category: {{ lastCategory() }}</p>
    @if (offlineServer) {
      <button type="button" (click)="answerSockets()">Answer the sockets</button>
    }
  `,
})
export class App {
  private readonly store: Store<AppState> = inject(Store);
  private readonly menu = inject(MenuSocketService);
  private readonly rooms = inject(RoomsSocket);
  protected readonly offlineServer = inject(SocketsTestingController, { optional: true });
  protected readonly sockets = inject(SocketsStateService);
  protected readonly user = this.store.selectSignal(authFeature.selectUser);
  protected readonly mainStatus = injectSocketStatus(mainSocketId);
  protected readonly allLive = this.store.selectSignal(selectAllSocketsLive);
  protected readonly lastError = this.store.selectSignal(selectSocketsLastError);
  protected readonly roomsState = toSignal(this.rooms.controller.state$, { initialValue: this.rooms.controller.state });
  protected readonly lastCategory = signal<string | null>(null);
  protected readonly logins = offlineLogins;

  protected login(login: string, password: string): void {
    this.store.dispatch(authActions.login({ credentials: { login, password } }));
  }

  protected logout(fromAllDevices: boolean): void {
    this.store.dispatch(authActions.logout({ fromAllDevices }));
  }

  protected addCategory(): void {
    this.menu.addCategory(`Category ${Date.now()}`).subscribe((id) => this.lastCategory.set(id));
  }

  protected answerSockets(): void {
    this.offlineServer?.open().forEach(answerOffline);
  }
}

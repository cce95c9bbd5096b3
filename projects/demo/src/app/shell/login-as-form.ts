import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { Store } from '@ngrx/store';
import { jwtErrorMessage } from 'ngx-customapp-jwt';
import { catchError, map, of } from 'rxjs';
import { authActions, roleLabel, type User } from '../auth/auth';
import { DEMO_CONFIG } from '../demo-config';
import type { AppState } from '../app-state';

type UsersResult = { users: readonly User[]; error: null } | { users: readonly User[]; error: string };

/** For admins: act as another user (their menu, their rights) and come back later. */
@Component({
  selector: 'app-login-as-form',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card login-as" aria-labelledby="login-as-title">
      <h2 id="login-as-title">Log in as another user</h2>
      <form class="inline-form" (ngSubmit)="loginAs()">
        <label for="login-as-user">User</label>
        <select id="login-as-user" name="user" [(ngModel)]="selected" [disabled]="busy()">
          @for (user of others(); track user.id) {
            <option [value]="user.id">{{ user.name }} ({{ roleText(user) }})</option>
          }
        </select>
        <button type="submit" [disabled]="busy() || !selected()" [attr.aria-busy]="busy()" data-testid="login-as-submit">
          {{ busy() ? 'Switching…' : 'Log in as' }}
        </button>
      </form>
      @if (result()?.error; as message) {
        <p class="error" role="alert">The users could not be loaded: {{ message }}</p>
      }
    </section>
  `,
})
export class LoginAsForm {
  private readonly store = inject<Store<AppState>>(Store);
  private readonly url = inject(DEMO_CONFIG).httpUrl;

  /** Whether a switch is under way. */
  readonly busy = input(false);
  /** The signed-in admin, left out of the list. */
  readonly currentUserId = input.required<string>();

  // GET /api/users goes through jwtInterceptor, which adds the access token.
  protected readonly result = toSignal(
    inject(HttpClient)
      .get<User[]>(`${this.url}/api/users`)
      .pipe(
        map((users): UsersResult => ({ users, error: null })),
        catchError((error: unknown) => of<UsersResult>({ users: [], error: jwtErrorMessage(error) })),
      ),
  );
  protected readonly others = computed(() => (this.result()?.users ?? []).filter((user) => user.id !== this.currentUserId()));
  /** The chosen user: the first one offered until the admin picks another. */
  protected readonly selected = linkedSignal(() => this.others()[0]?.id ?? '');

  protected roleText(user: User): string {
    return roleLabel(user.role);
  }

  protected loginAs(): void {
    const userId = this.selected();
    if (userId && !this.busy()) this.store.dispatch(authActions.loginAs({ userId }));
  }
}

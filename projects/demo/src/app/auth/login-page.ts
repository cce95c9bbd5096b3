import { ChangeDetectionStrategy, Component, ElementRef, inject, signal, viewChild } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Store } from '@ngrx/store';
import { authActions, authFeature } from './auth';
import { SignOutNotice } from './sign-out-notice';
import type { AppState } from '../app-state';

/** The users the bundled server knows, listed for convenience. */
const SEEDED_USERS = [
  { login: 'admin', password: 'admin-pass', description: 'Admin: edits the menu, sees the audit log, can log in as others' },
  { login: 'manager', password: 'manager-pass', description: 'Manager: edits the menu' },
  { login: 'viewer', password: 'viewer-pass', description: 'Viewer: reads the menu' },
] as const;

@Component({
  selector: 'app-login-page',
  imports: [ReactiveFormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './login-page.html',
})
export class LoginPage {
  private readonly store = inject<Store<AppState>>(Store);
  private readonly formBuilder = inject(NonNullableFormBuilder);
  private readonly loginInput = viewChild.required<ElementRef<HTMLInputElement>>('loginInput');
  private readonly notice = inject(SignOutNotice);

  protected readonly seededUsers = SEEDED_USERS;
  protected readonly busy = this.store.selectSignal(authFeature.selectLoginInProgress);
  protected readonly error = this.store.selectSignal(authFeature.selectError);
  protected readonly signedOutBecause = this.notice.message;
  protected readonly form = this.formBuilder.group({
    login: ['', Validators.required],
    password: ['', Validators.required],
  });
  protected readonly submitted = signal(false);

  protected fillIn(user: (typeof SEEDED_USERS)[number]): void {
    this.form.setValue({ login: user.login, password: user.password });
    this.loginInput().nativeElement.focus();
  }

  protected submit(): void {
    this.submitted.set(true);
    if (this.form.invalid || this.busy()) return;
    this.notice.clear();
    this.store.dispatch(authActions.login({ credentials: this.form.getRawValue() }));
  }
}

import { Component } from '@angular/core';
import { FormBuilder, Validators } from '@angular/forms';
import { Store } from '@ngrx/store';
import { selectSocketsInitInProcess } from 'ngx-customapp-pattern-auth-before-socket';
import { combineLatest, map } from 'rxjs';
import type { AppState } from '../app-state';
import { selectNotice } from '../session/session.reducer';
import { authActions, authSelectors } from './auth.store';

@Component({
  selector: 'app-login',
  standalone: false,
  templateUrl: './login.component.html',
})
export class LoginComponent {
  readonly form = this.fb.nonNullable.group({
    login: ['', Validators.required],
    password: ['', Validators.required],
  });

  /** Signing in, then opening the menu's live connection. */
  readonly busy$ = combineLatest([
    this.store.select(authSelectors.selectJwtLoginInProcess),
    this.store.select(selectSocketsInitInProcess),
  ]).pipe(map(([loggingIn, connecting]) => loggingIn || connecting));

  readonly notice$ = this.store.select(selectNotice);

  constructor(
    private fb: FormBuilder,
    private store: Store<AppState>,
  ) {}

  submit(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.store.dispatch(authActions.login({ credentials: this.form.getRawValue() }));
  }
}

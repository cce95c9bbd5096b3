import { Component } from '@angular/core';
import { FormBuilder, Validators } from '@angular/forms';
import { Store } from '@ngrx/store';
import { selectSocketsInitInProcess } from 'ngx-customapp-pattern-auth-before-socket';
import { combineLatest, map, type Observable, of, switchMap } from 'rxjs';
import type { AppState } from '../app-state';
import type { UserInfo } from '../auth/auth.models';
import { authActions, authSelectors } from '../auth/auth.store';
import { UsersService } from '../auth/users.service';
import { selectConnectedAs, selectConnection, selectNotice } from '../session/session.reducer';
import { addCategory } from './categories.actions';
import { selectCategories, selectCategoriesError, selectCategoriesLoaded } from './categories.reducer';
import type { Category } from './category';

@Component({
  selector: 'app-menu',
  standalone: false,
  templateUrl: './menu.component.html',
})
export class MenuComponent {
  readonly user$ = this.store.select(authSelectors.selectJwtUser);
  /** Whom the user acts for when acting as someone else (the last one stashed). */
  readonly actingFor$: Observable<UserInfo | undefined> = this.store
    .select(authSelectors.selectUserStash)
    .pipe(map((stash) => stash[stash.length - 1]));
  readonly connection$ = this.store.select(selectConnection);
  readonly connecting$ = this.store.select(selectSocketsInitInProcess);
  readonly connectedAs$ = this.store.select(selectConnectedAs);
  readonly notice$ = this.store.select(selectNotice);
  readonly categories$ = this.store.select(selectCategories);
  readonly loaded$ = this.store.select(selectCategoriesLoaded);
  readonly addError$ = this.store.select(selectCategoriesError);

  /** The users an admin acting as nobody else may act as. */
  readonly otherUsers$: Observable<UserInfo[]> = combineLatest([this.user$, this.actingFor$]).pipe(
    switchMap(([user, actingFor]) =>
      user?.role === 'ADMIN' && !actingFor
        ? this.usersService.list().pipe(map((users) => users.filter(({ id }) => id !== user.id)))
        : of([]),
    ),
  );

  readonly addForm = this.fb.nonNullable.group({ name: ['', Validators.required] });
  readonly actAsForm = this.fb.nonNullable.group({ userId: ['', Validators.required] });

  constructor(
    private fb: FormBuilder,
    private store: Store<AppState>,
    private usersService: UsersService,
  ) {}

  roleOf(user: UserInfo): string {
    return user.role.toLowerCase();
  }

  trackById(_index: number, category: Category): string {
    return category.id;
  }

  add(): void {
    const name = this.addForm.getRawValue().name.trim();
    if (!name) return;
    this.store.dispatch(addCategory({ name }));
    this.addForm.reset();
  }

  logInAs(): void {
    const { userId } = this.actAsForm.getRawValue();
    if (userId) this.store.dispatch(authActions.loginAs({ userId }));
  }

  /** Ends the session of the user acted as: the one who acted is back. */
  back(): void {
    this.store.dispatch(authActions.logout({}));
  }

  logout(): void {
    this.store.dispatch(authActions.logout({ fromAllDevices: false }));
  }
}

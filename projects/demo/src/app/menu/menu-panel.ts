import { afterNextRender, ChangeDetectionStrategy, Component, computed, ElementRef, inject, Injector, signal, viewChild } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Store } from '@ngrx/store';
import { authFeature, canEditMenu } from '../auth/auth';
import { menuPageActions } from './categories.actions';
import { categoriesFeature } from './categories.feature';
import type { Category } from './category';
import type { AppState } from '../app-state';

const NAME_VALIDATORS = [Validators.required, Validators.maxLength(100), Validators.pattern(/\S/)];

/** The menu: the categories as the subscription keeps them, and (for editors) add, rename, delete. */
@Component({
  selector: 'app-menu-panel',
  imports: [ReactiveFormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './menu-panel.html',
})
export class MenuPanel {
  private readonly store = inject<Store<AppState>>(Store);
  private readonly formBuilder = inject(NonNullableFormBuilder);
  private readonly injector = inject(Injector);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly addInput = viewChild<ElementRef<HTMLInputElement>>('addInput');
  private readonly renameInput = viewChild<ElementRef<HTMLInputElement>>('renameInput');

  protected readonly categories = this.store.selectSignal(categoriesFeature.selectAll);
  protected readonly loaded = this.store.selectSignal(categoriesFeature.selectLoaded);
  protected readonly adding = this.store.selectSignal(categoriesFeature.selectAdding);
  protected readonly pending = this.store.selectSignal(categoriesFeature.selectPending);
  protected readonly failed = this.store.selectSignal(categoriesFeature.selectFailed);
  private readonly sync = this.store.selectSignal(categoriesFeature.selectSync);
  private readonly user = this.store.selectSignal(authFeature.selectUser);
  protected readonly canEdit = computed(() => canEditMenu(this.user()?.role));

  protected readonly addForm = this.formBuilder.group({ name: ['', NAME_VALIDATORS] });
  protected readonly renameForm = this.formBuilder.group({ name: ['', NAME_VALIDATORS] });
  /** The category whose name is being edited. */
  protected readonly editingId = signal<string | null>(null);

  /** How the menu caught up after an outage, in words. */
  protected readonly syncText = computed(() => {
    const sync = this.sync();
    if (!sync) return null;
    if (sync.outcome === 'resynced') return 'Back online: too much changed while you were away to catch up change by change, so the menu was reloaded.';
    if (sync.changes === 0) return 'Back online: nothing changed while you were away.';
    return `Back online: recovered ${sync.changes} ${sync.changes === 1 ? 'change' : 'changes'} made while you were away.`;
  });

  protected readonly failureText = computed(() => {
    const failed = this.failed();
    return failed ? `Could not ${failed.change} “${failed.name}”: ${failed.message}` : null;
  });

  protected add(): void {
    const name = this.addForm.getRawValue().name.trim();
    if (!name || this.addForm.invalid) return;
    this.store.dispatch(menuPageActions.addCategory({ name }));
    this.addForm.reset();
    this.addInput()?.nativeElement.focus();
  }

  protected startRename(category: Category): void {
    this.renameForm.setValue({ name: category.name });
    this.editingId.set(category.id);
    afterNextRender(() => this.renameInput()?.nativeElement.select(), { injector: this.injector });
  }

  protected cancelRename(category: Category): void {
    this.stopEditing(category);
  }

  protected rename(category: Category): void {
    const name = this.renameForm.getRawValue().name.trim();
    if (!name || this.renameForm.invalid) return;
    if (name !== category.name) this.store.dispatch(menuPageActions.renameCategory({ id: category.id, name, from: category.name }));
    this.stopEditing(category);
  }

  /** Closes the rename field and gives the focus back to the category's Rename button. */
  private stopEditing(category: Category): void {
    this.editingId.set(null);
    afterNextRender(() => this.host.nativeElement.querySelector<HTMLButtonElement>(`#rename-${category.id}`)?.focus(), {
      injector: this.injector,
    });
  }

  protected remove(category: Category): void {
    this.store.dispatch(menuPageActions.deleteCategory({ id: category.id, name: category.name }));
  }

  protected dismissError(): void {
    this.store.dispatch(menuPageActions.dismissError());
  }

  protected dismissSyncNotice(): void {
    this.store.dispatch(menuPageActions.dismissSyncNotice());
  }
}

import { inject, Injectable } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { EMPTY, catchError, map, mergeMap, of } from 'rxjs';
import { BaseSocketService } from '../sockets/base-socket.service';
import { menuApiActions, menuCategoriesUpdated, menuPageActions, UpdateType } from './categories.actions';
import { toCategory } from './category';

/** A failure as the user reads it: the server's own message when it sent one. */
function messageOf(error: unknown): string {
  return error instanceof Error && error.message ? error.message : 'Something went wrong. Try again.';
}

/** Maps the CATEGORIES pushes to entity actions, and the menu page's changes to socket requests. */
@Injectable()
export class CategoriesEffects {
  private readonly actions$ = inject(Actions);
  private readonly sockets = inject(BaseSocketService);

  /** The CATEGORIES subscription: the whole list, one entity, or one deletion. */
  readonly handleSub$ = createEffect(() =>
    this.sockets.sub$.pipe(
      mergeMap((sub) => {
        if (sub.categories) {
          return of(menuCategoriesUpdated({ updateType: UpdateType.list, data: (sub.categories.items ?? []).map(toCategory) }));
        } else if (sub.categoryUpdate) {
          return of(menuCategoriesUpdated({ updateType: UpdateType.entity, data: toCategory(sub.categoryUpdate) }));
        } else if (sub.categoryDelete) {
          return of(menuCategoriesUpdated({ updateType: UpdateType.delete, data: sub.categoryDelete }));
        }
        return EMPTY;
      }),
    ),
  );

  readonly add$ = createEffect(() =>
    this.actions$.pipe(
      ofType(menuPageActions.addCategory),
      mergeMap(({ name }) =>
        this.sockets.addCategory(name).pipe(
          map((category) => menuApiActions.addCategorySucceeded({ name, category })),
          catchError((error: unknown) => of(menuApiActions.addCategoryFailed({ name, error: messageOf(error) }))),
        ),
      ),
    ),
  );

  readonly rename$ = createEffect(() =>
    this.actions$.pipe(
      ofType(menuPageActions.renameCategory),
      mergeMap(({ id, name }) =>
        this.sockets.renameCategory(id, name).pipe(
          map((category) => menuApiActions.renameCategorySucceeded({ category })),
          catchError((error: unknown) => of(menuApiActions.renameCategoryFailed({ id, error: messageOf(error) }))),
        ),
      ),
    ),
  );

  readonly delete$ = createEffect(() =>
    this.actions$.pipe(
      ofType(menuPageActions.deleteCategory),
      mergeMap(({ id }) =>
        this.sockets.deleteCategory(id).pipe(
          map((deletedId) => menuApiActions.deleteCategorySucceeded({ id: deletedId })),
          catchError((error: unknown) => of(menuApiActions.deleteCategoryFailed({ id, error: messageOf(error) }))),
        ),
      ),
    ),
  );
}

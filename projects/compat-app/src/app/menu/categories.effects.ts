import { Injectable } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { catchError, EMPTY, map, mergeMap, of } from 'rxjs';
import { BaseSocketService } from '../sockets/base-socket.service';
import { addCategory, addCategoryFailed, addCategorySucceeded, menuCategoriesUpdated, UpdateType } from './categories.actions';
import { toCategory } from './category';

/** The CATEGORIES pushes as entity actions, and the menu page's additions as socket requests. */
@Injectable()
export class CategoriesEffects {
  constructor(
    private actions$: Actions,
    private baseSocketService: BaseSocketService,
  ) {}

  handleSub$ = createEffect(() =>
    this.baseSocketService.sub$.pipe(
      mergeMap((sub) => {
        if (sub.categories) {
          return of(menuCategoriesUpdated({ updateType: UpdateType.list, data: (sub.categories.items ?? []).map(toCategory) }));
        } else if (sub.categoryUpdate) {
          return of(menuCategoriesUpdated({ updateType: UpdateType.entity, data: toCategory(sub.categoryUpdate) }));
        } else if (sub.categoryDelete) {
          return of(menuCategoriesUpdated({ updateType: UpdateType.delete, data: sub.categoryDelete }));
        } else {
          return EMPTY;
        }
      }),
    ),
  );

  add$ = createEffect(() =>
    this.actions$.pipe(
      ofType(addCategory),
      mergeMap(({ name }) =>
        this.baseSocketService.addMenuItem({ name }).pipe(
          map((category) => addCategorySucceeded({ category: toCategory(category) })),
          catchError((error: Error) => of(addCategoryFailed({ name, error: error.message }))),
        ),
      ),
    ),
  );
}

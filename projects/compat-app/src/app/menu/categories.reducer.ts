import { createEntityAdapter, type EntityState } from '@ngrx/entity';
import { createFeatureSelector, createReducer, createSelector, on } from '@ngrx/store';
import { addCategory, addCategoryFailed, menuCategoriesUpdated, UpdateType } from './categories.actions';
import type { Category } from './category';

export const categoriesFeatureKey = 'categories';

export interface CategoriesState extends EntityState<Category> {
  /** Whether the whole list has arrived. */
  loaded: boolean;
  /** The last add the server refused. */
  error: string | undefined;
}

const adapter = createEntityAdapter<Category>();

const initialState: CategoriesState = adapter.getInitialState({ loaded: false, error: undefined });

export const categoriesReducer = createReducer(
  initialState,
  on(menuCategoriesUpdated, (state, update) => {
    switch (update.updateType) {
      case UpdateType.list:
        return adapter.setAll(update.data, { ...state, loaded: true });
      case UpdateType.entity:
        return adapter.upsertOne(update.data, state);
      case UpdateType.delete:
        return adapter.removeOne(update.data, state);
    }
  }),
  on(addCategory, (state) => ({ ...state, error: undefined })),
  on(addCategoryFailed, (state, { name, error }) => ({ ...state, error: `Could not add “${name}”: ${error}` })),
);

const selectCategoriesState = createFeatureSelector<CategoriesState>(categoriesFeatureKey);
const { selectAll } = adapter.getSelectors();

export const selectCategories = createSelector(selectCategoriesState, selectAll);
export const selectCategoriesLoaded = createSelector(selectCategoriesState, (state) => state.loaded);
export const selectCategoriesError = createSelector(selectCategoriesState, (state) => state.error);

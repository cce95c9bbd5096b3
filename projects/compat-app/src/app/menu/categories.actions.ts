import { createAction, props } from '@ngrx/store';
import type { Category } from './category';

export enum UpdateType {
  /** The whole list: replaces what the store holds. */
  list = 'list',
  /** One category added or changed. */
  entity = 'entity',
  /** One category deleted (by id). */
  delete = 'delete',
}

export type CategoriesUpdate =
  | { updateType: UpdateType.list; data: Category[] }
  | { updateType: UpdateType.entity; data: Category }
  | { updateType: UpdateType.delete; data: string };

/** A push of the CATEGORIES subscription. */
export const menuCategoriesUpdated = createAction('[Menu] categories updated', props<CategoriesUpdate>());

export const addCategory = createAction('[Menu page] add category', props<{ name: string }>());
export const addCategorySucceeded = createAction('[Menu API] add category succeeded', props<{ category: Category }>());
export const addCategoryFailed = createAction('[Menu API] add category failed', props<{ name: string; error: string }>());

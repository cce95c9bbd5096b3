import { createAction, createActionGroup, emptyProps, props } from '@ngrx/store';
import type { Category } from './category';

/** What a subscription push (or a response) does to the categories. */
export enum UpdateType {
  /** The whole list: it replaces what the store holds. */
  list = 'list',
  /** One category added or changed. */
  entity = 'entity',
  /** One category deleted (by id). */
  delete = 'delete',
}

/** The categories changed on the server, as a push of the CATEGORIES subscription said. */
export const menuCategoriesUpdated = createAction(
  '[Menu socket] categories updated',
  props<
    | { updateType: UpdateType.list; data: readonly Category[] }
    | { updateType: UpdateType.entity; data: Category }
    | { updateType: UpdateType.delete; data: string }
  >(),
);

/** What the user asks for on the menu page. */
export const menuPageActions = createActionGroup({
  source: 'Menu page',
  events: {
    'Add category': props<{ name: string }>(),
    /** `from` is the name the user saw, for messages about this change. */
    'Rename category': props<{ id: string; name: string; from: string }>(),
    'Delete category': props<{ id: string; name: string }>(),
    'Dismiss error': emptyProps(),
    'Dismiss sync notice': emptyProps(),
  },
});

/** How the server answered the menu page's requests. */
export const menuApiActions = createActionGroup({
  source: 'Menu socket',
  events: {
    'Add category succeeded': props<{ name: string; category: Category }>(),
    'Add category failed': props<{ name: string; error: string }>(),
    'Rename category succeeded': props<{ category: Category }>(),
    'Rename category failed': props<{ id: string; error: string }>(),
    'Delete category succeeded': props<{ id: string }>(),
    'Delete category failed': props<{ id: string; error: string }>(),
  },
});

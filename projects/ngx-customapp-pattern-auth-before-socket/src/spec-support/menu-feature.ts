// The menu of an app on the e2e-server, the way an app keeps it: an @ngrx/entity feature fed by the
// categories socket's CATEGORIES pushes, and effects that send the menu page's edits as requests.
import { Injectable, InjectionToken, inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { createEntityAdapter, type EntityState } from '@ngrx/entity';
import { createActionGroup, createFeature, createReducer, emptyProps, on, props } from '@ngrx/store';
import { catchError, EMPTY, filter, map, mergeMap, type Observable, of } from 'rxjs';
import type { api } from '../../../../e2e-server/src/protocol';
import { WebSocketsOwnerService } from '../public-api';
import { authActions, type Req, type Res } from './e2e-server';

/** A category as the store keeps it. */
export interface Category {
  readonly id: string;
  readonly name: string;
  readonly version: number;
}

export function toCategory(message: api.ICategory | null | undefined): Category {
  return { id: message?.id ?? '', name: message?.name ?? '', version: message?.version ?? 0 };
}

/** What the menu page asks for, and how the categories socket answered. */
export const menuActions = createActionGroup({
  source: 'Menu',
  events: {
    'List pushed': props<{ categories: readonly Category[] }>(),
    'Category pushed': props<{ category: Category }>(),
    'Deletion pushed': props<{ id: string }>(),
    'Add category': props<{ name: string }>(),
    'Rename category': props<{ id: string; name: string }>(),
    'Delete category': props<{ id: string }>(),
    'List categories': emptyProps(),
    'Add category succeeded': props<{ category: Category }>(),
    'Rename category succeeded': props<{ category: Category }>(),
    'Delete category succeeded': props<{ id: string }>(),
    'List categories succeeded': props<{ categories: readonly Category[] }>(),
    'Request failed': props<{ request: 'add' | 'rename' | 'delete' | 'list'; error: string }>(),
  },
});

export interface MenuState extends EntityState<Category> {
  /** Whether the whole list has arrived since the last sign-in. */
  readonly loaded: boolean;
}

const adapter = createEntityAdapter<Category>();
const initialState: MenuState = adapter.getInitialState({ loaded: false });

/** Keeps the newer of two versions of a category: a late response never undoes a newer push. */
function upsertNewer(category: Category, state: MenuState): MenuState {
  const current = state.entities[category.id];
  return current && current.version > category.version ? state : adapter.upsertOne(category, state);
}

export const menuFeature = createFeature({
  name: 'menu',
  reducer: createReducer(
    initialState,
    on(menuActions.listPushed, (state, { categories }): MenuState => ({ ...adapter.setAll([...categories], state), loaded: true })),
    on(menuActions.categoryPushed, menuActions.addCategorySucceeded, menuActions.renameCategorySucceeded, (state, { category }) =>
      upsertNewer(category, state),
    ),
    on(menuActions.deletionPushed, menuActions.deleteCategorySucceeded, (state, { id }) => adapter.removeOne(id, state)),
    // Whoever signs in next (another user, or the master back from a login-as) gets the list anew.
    on(authActions.logoutSucceed, authActions.loginAsSucceed, authActions.loginSucceed, (): MenuState => initialState),
  ),
  extraSelectors: ({ selectMenuState }) => ({ selectAll: adapter.getSelectors(selectMenuState).selectAll }),
});

/**
 * Sends a request on the categories socket. An app calls the controller directly; a spec may put a
 * tracker in between (see `MENU_REQUEST`).
 */
export type MenuRequest = (label: string, request: Omit<Req, 'id'>) => Observable<Res>;

/** How the menu effects send their requests: by default straight through the categories socket. */
export const MENU_REQUEST = new InjectionToken<MenuRequest>('menu request');

/** The app's access to the categories socket: its requests and its CATEGORIES pushes. */
@Injectable()
export class MenuSocket {
  private readonly owner = inject(WebSocketsOwnerService);
  private readonly send: MenuRequest =
    inject(MENU_REQUEST, { optional: true }) ?? ((_label, request) => this.owner.socket<Req, Res>('categories').request({ id: 0, ...request }));

  request(label: string, request: Omit<Req, 'id'>): Observable<Res> {
    return this.send(label, request);
  }

  get pushes$(): Observable<api.ISubscriptionPush> {
    return this.owner.socket<Req, Res>('categories').messages$.pipe(
      map((message) => message.sub),
      filter((push): push is api.SubscriptionPush => !!push),
    );
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The CATEGORIES pushes become entity actions; the menu page's edits become requests. */
export const menuEffects = {
  pushes$: createEffect(
    (socket = inject(MenuSocket)) =>
      socket.pushes$.pipe(
        mergeMap((push) => {
          if (push.categories) return of(menuActions.listPushed({ categories: (push.categories.items ?? []).map(toCategory) }));
          if (push.categoryUpdate) return of(menuActions.categoryPushed({ category: toCategory(push.categoryUpdate) }));
          if (push.categoryDelete) return of(menuActions.deletionPushed({ id: push.categoryDelete }));
          return EMPTY;
        }),
      ),
    { functional: true },
  ),
  add$: createEffect(
    (actions$ = inject(Actions), socket = inject(MenuSocket)) =>
      actions$.pipe(
        ofType(menuActions.addCategory),
        mergeMap(({ name }) =>
          socket.request('add', { menuAdd: { name } }).pipe(
            map((response) => menuActions.addCategorySucceeded({ category: toCategory(response.menuAdd?.category) })),
            catchError((error: unknown) => of(menuActions.requestFailed({ request: 'add', error: messageOf(error) }))),
          ),
        ),
      ),
    { functional: true },
  ),
  rename$: createEffect(
    (actions$ = inject(Actions), socket = inject(MenuSocket)) =>
      actions$.pipe(
        ofType(menuActions.renameCategory),
        mergeMap(({ id, name }) =>
          socket.request('rename', { menuRename: { id, name } }).pipe(
            map((response) => menuActions.renameCategorySucceeded({ category: toCategory(response.menuRename?.category) })),
            catchError((error: unknown) => of(menuActions.requestFailed({ request: 'rename', error: messageOf(error) }))),
          ),
        ),
      ),
    { functional: true },
  ),
  delete$: createEffect(
    (actions$ = inject(Actions), socket = inject(MenuSocket)) =>
      actions$.pipe(
        ofType(menuActions.deleteCategory),
        mergeMap(({ id }) =>
          socket.request('delete', { menuDelete: { id } }).pipe(
            map((response) => menuActions.deleteCategorySucceeded({ id: response.menuDelete?.id ?? id })),
            catchError((error: unknown) => of(menuActions.requestFailed({ request: 'delete', error: messageOf(error) }))),
          ),
        ),
      ),
    { functional: true },
  ),
  list$: createEffect(
    (actions$ = inject(Actions), socket = inject(MenuSocket)) =>
      actions$.pipe(
        ofType(menuActions.listCategories),
        mergeMap(() =>
          socket.request('list', { menuList: {} }).pipe(
            map((response) => menuActions.listCategoriesSucceeded({ categories: (response.menuList?.categories ?? []).map(toCategory) })),
            catchError((error: unknown) => of(menuActions.requestFailed({ request: 'list', error: messageOf(error) }))),
          ),
        ),
      ),
    { functional: true },
  ),
};

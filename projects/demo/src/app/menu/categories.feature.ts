import { api } from '@e2e-server/protocol';
import { createEntityAdapter, type EntityState } from '@ngrx/entity';
import { createFeature, createReducer, on } from '@ngrx/store';
import { socketRecovered } from 'ngx-customapp-pattern-auth-before-socket';
import { authActions } from '../auth/auth';
import { SocketId } from '../sockets/socket-chain';
import { menuApiActions, menuCategoriesUpdated, menuPageActions, UpdateType } from './categories.actions';
import type { Category } from './category';

/** A change the user asked for that the server has not answered yet. */
export interface PendingChange {
  readonly change: 'rename' | 'delete';
  /** The category's name when the user asked, for messages (the category may be gone by the answer). */
  readonly name: string;
}

/** A change the server refused, shown until dismissed or until the next change. */
export interface FailedChange {
  readonly change: 'add' | 'rename' | 'delete';
  /** The name the user saw (the new name, for an add). */
  readonly name: string;
  /** The server's reason. */
  readonly message: string;
}

/**
 * How the menu came back after the main socket's last outage: the changes made meanwhile were
 * replayed one by one (`changes` of them), or too much was missed and the whole list was sent again.
 */
export type MenuSync = { readonly outcome: 'recovered'; readonly changes: number } | { readonly outcome: 'resynced' };

/** The CATEGORIES stream, as the socket's recovery names it (see CLIENT_RECOVERY). */
const CATEGORIES_STREAM = String(api.SubKind.CATEGORIES);

export interface CategoriesState extends EntityState<Category> {
  /** Whether the whole list has arrived since the last sign-in. */
  readonly loaded: boolean;
  /** The names of the categories being added, while the server has not answered. */
  readonly adding: readonly string[];
  readonly pending: Readonly<Record<string, PendingChange>>;
  readonly failed: FailedChange | null;
  /** How the menu caught up after the last outage, until dismissed or the next sign-in. */
  readonly sync: MenuSync | null;
}

const adapter = createEntityAdapter<Category>();

const initialState: CategoriesState = adapter.getInitialState({ loaded: false, adding: [], pending: {}, failed: null, sync: null });

/** Keeps the newer of two versions of a category: a late response never undoes a newer push. */
function upsertNewer(category: Category, state: CategoriesState): CategoriesState {
  const current = state.entities[category.id];
  return current && current.version > category.version ? state : adapter.upsertOne(category, state);
}

/** The names still being added once the server answered for `name`. */
function withoutAdding(state: CategoriesState, name: string): readonly string[] {
  const index = state.adding.indexOf(name);
  return index < 0 ? state.adding : [...state.adding.slice(0, index), ...state.adding.slice(index + 1)];
}

function withoutPending(state: CategoriesState, id: string): Readonly<Record<string, PendingChange>> {
  const { [id]: _done, ...rest } = state.pending;
  return rest;
}

export const categoriesFeature = createFeature({
  name: 'categories',
  reducer: createReducer(
    initialState,
    on(menuCategoriesUpdated, (state, action): CategoriesState => {
      switch (action.updateType) {
        case UpdateType.list:
          return { ...adapter.setAll([...action.data], state), loaded: true };
        case UpdateType.entity:
          return upsertNewer(action.data, state);
        case UpdateType.delete:
          return adapter.removeOne(action.data, state);
      }
    }),
    on(menuPageActions.addCategory, (state, { name }): CategoriesState => ({ ...state, adding: [...state.adding, name], failed: null })),
    on(menuApiActions.addCategorySucceeded, (state, { name, category }): CategoriesState => ({
      ...upsertNewer(category, state),
      adding: withoutAdding(state, name),
    })),
    on(menuApiActions.addCategoryFailed, (state, { name, error }): CategoriesState => ({
      ...state,
      adding: withoutAdding(state, name),
      failed: { change: 'add', name, message: error },
    })),
    on(menuPageActions.renameCategory, (state, { id, from }): CategoriesState => ({
      ...state,
      pending: { ...state.pending, [id]: { change: 'rename', name: from } },
      failed: null,
    })),
    on(menuApiActions.renameCategorySucceeded, (state, { category }): CategoriesState => ({
      ...upsertNewer(category, state),
      pending: withoutPending(state, category.id),
    })),
    on(menuApiActions.renameCategoryFailed, (state, { id, error }): CategoriesState => ({
      ...state,
      pending: withoutPending(state, id),
      failed: { change: 'rename', name: state.pending[id]?.name ?? '', message: error },
    })),
    on(menuPageActions.deleteCategory, (state, { id, name }): CategoriesState => ({
      ...state,
      pending: { ...state.pending, [id]: { change: 'delete', name } },
      failed: null,
    })),
    on(menuApiActions.deleteCategorySucceeded, (state, { id }): CategoriesState => ({
      ...adapter.removeOne(id, state),
      pending: withoutPending(state, id),
    })),
    on(menuApiActions.deleteCategoryFailed, (state, { id, error }): CategoriesState => ({
      ...state,
      pending: withoutPending(state, id),
      failed: { change: 'delete', name: state.pending[id]?.name ?? '', message: error },
    })),
    on(menuPageActions.dismissError, (state): CategoriesState => ({ ...state, failed: null })),
    // The replayed changes arrive as pushes and are applied like any; a resync sends the whole list.
    on(socketRecovered, (state, { socketId, streams }): CategoriesState => {
      const categories = socketId === SocketId.main ? streams.find(({ stream }) => stream === CATEGORIES_STREAM) : undefined;
      if (!categories) return state;
      const sync: MenuSync = categories.outcome === 'recovered' ? { outcome: 'recovered', changes: categories.replayed } : { outcome: 'resynced' };
      return { ...state, sync };
    }),
    on(menuPageActions.dismissSyncNotice, (state): CategoriesState => ({ ...state, sync: null })),
    // Whoever signs in next (another user, or the admin back from "log in as") gets their own list.
    on(authActions.logoutSucceed, authActions.loginAsSucceed, authActions.loginSucceed, (): CategoriesState => initialState),
  ),
  extraSelectors: ({ selectCategoriesState }) => ({
    selectAll: adapter.getSelectors(selectCategoriesState).selectAll,
  }),
});

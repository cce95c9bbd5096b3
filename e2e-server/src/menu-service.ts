// The menu requests of the main socket: list, add, rename, delete. A change is answered to the
// requester first, then pushed to every CATEGORIES subscriber, the audit log and others' notifications.
import { randomUUID } from 'node:crypto';
import { api } from '../generated/api.js';
import type { Category } from './menu-store.js';
import { MenuStore } from './menu-store.js';
import type { ResponseInit } from './protocol.js';
import type { SubscriptionHub } from './subscription-hub.js';
import type { User } from './users.js';

/** The user a request acts for, and the admin behind a login-as session. */
export interface Actor {
  user: User;
  actingUser?: User;
}

export type MenuRequest = Pick<api.Request, 'menuList' | 'menuAdd' | 'menuRename' | 'menuDelete'>;

/** A response without its id: the socket adds the request's id. */
export type ResponseBodyInit = Omit<ResponseInit, 'id'>;

const MAX_NAME_LENGTH = 100;

export class MenuService {
  constructor(
    private readonly hub: SubscriptionHub,
    readonly store: MenuStore = new MenuStore(),
  ) {}

  /** The whole list, as pushed right after a CATEGORIES subscription. */
  snapshot(): api.SubscriptionPush.$Properties {
    return { kind: api.SubKind.CATEGORIES, categories: { items: this.store.list() } };
  }

  /** Handles one menu request: `reply` gets the requester's response before any push goes out. */
  handle(request: MenuRequest, actor: Actor, reply: (response: ResponseBodyInit) => void): void {
    const by = actor.user.login;
    if (request.menuList) return reply({ menuList: { categories: this.store.list() } });
    if (request.menuAdd) {
      const name = validName(request.menuAdd.name);
      if (name === undefined) return reply(badName());
      const category = this.store.add(name, by);
      reply({ menuAdd: { category } });
      return this.announce(actor, 'add', category, `${actor.user.name} added “${category.name}”.`);
    }
    if (request.menuRename) {
      const name = validName(request.menuRename.name);
      if (name === undefined) return reply(badName());
      const id = request.menuRename.id ?? '';
      const category = this.store.rename(id, name, by);
      if (!category) return reply(notFound(id));
      reply({ menuRename: { category } });
      return this.announce(actor, 'rename', category, `${actor.user.name} renamed a category to “${category.name}”.`);
    }
    if (request.menuDelete) {
      const id = request.menuDelete.id ?? '';
      if (!this.store.delete(id)) return reply(notFound(id));
      reply({ menuDelete: { id } });
      return this.announce(actor, 'delete', id, `${actor.user.name} deleted category ${id}.`);
    }
  }

  private announce(actor: Actor, action: 'add' | 'rename' | 'delete', change: Category | string, text: string): void {
    const at = new Date().toISOString();
    const categoryId = typeof change === 'string' ? change : change.id;
    this.hub.publish(
      typeof change === 'string'
        ? { kind: api.SubKind.CATEGORIES, categoryDelete: change }
        : { kind: api.SubKind.CATEGORIES, categoryUpdate: change },
    );
    const userLogin = actor.actingUser ? `${actor.actingUser.login} as ${actor.user.login}` : actor.user.login;
    this.hub.publish({ kind: api.SubKind.AUDIT_LOG, audit: { at, userLogin, action, categoryId } });
    this.hub.publish(
      { kind: api.SubKind.NOTIFICATIONS, notification: { id: `n-${randomUUID()}`, text, at } },
      (subscriber) => subscriber.userId !== actor.user.id,
    );
  }
}

function validName(name: string | null | undefined): string | undefined {
  const trimmed = (name ?? '').trim();
  return trimmed.length > 0 && trimmed.length <= MAX_NAME_LENGTH ? trimmed : undefined;
}

function badName(): ResponseBodyInit {
  return { error: { code: api.ErrorCode.BAD_REQUEST, message: `A category name must be 1 to ${MAX_NAME_LENGTH} characters.` } };
}

function notFound(id: string): ResponseBodyInit {
  return { error: { code: api.ErrorCode.NOT_FOUND, message: `There is no category with id "${id}".` } };
}

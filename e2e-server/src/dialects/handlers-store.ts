// The resources of the `handlers` dialect: `nodes` and `workflows` in memory, seeded, with who may
// see which item, how query params match items, and a change feed for watches.
import type { User } from '../users.js';

export const RESOURCE_TYPES = ['nodes', 'workflows'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** A field value of an item; params match fields by equality. */
export type Scalar = string | number | boolean | null;

/** What an item holds besides its id. `owner` is a user id or `"shared"`; other fields are free scalars. */
export interface ItemFields {
  name: string;
  owner: string;
  [field: string]: Scalar;
}

/** One resource. */
export interface Item extends ItemFields {
  id: string;
}

/** Field filters: an item matches when each named field equals the value. */
export type Params = Readonly<Record<string, Scalar>>;

/** One change: `before` is absent on a create, `after` on a delete. */
export interface Change {
  type: ResourceType;
  before?: Item;
  after?: Item;
}

/** The owner of items every user may see. */
export const SHARED_OWNER = 'shared';

export function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/** Params as a message or body gives them: absent is `{}`; undefined when not an object of scalars. */
export function readParams(value: unknown): Params | undefined {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value);
  return entries.every(([, field]) => isScalar(field)) ? Object.fromEntries(entries) : undefined;
}

export function isResourceType(value: unknown): value is ResourceType {
  return (RESOURCE_TYPES as readonly unknown[]).includes(value);
}

/** An ADMIN sees everything; other users their own items and the shared ones. */
export function maySee(user: User, item: Item): boolean {
  return user.role === 'ADMIN' || item.owner === user.id || item.owner === SHARED_OWNER;
}

export function matches(item: Item, params: Params): boolean {
  return Object.entries(params).every(([field, value]) => item[field] === value);
}

const SEED: Readonly<Record<ResourceType, readonly Item[]>> = {
  nodes: [
    { id: 'node-1', name: 'compute-01', owner: 'u-admin', status: 'discovered' },
    { id: 'node-2', name: 'compute-02', owner: 'u-manager', status: 'discovered' },
    { id: 'node-3', name: 'storage-01', owner: 'u-viewer', status: 'provisioned' },
    { id: 'node-4', name: 'switch-01', owner: SHARED_OWNER, status: 'provisioned' },
  ],
  workflows: [
    { id: 'workflow-1', name: 'Graph.Discovery', owner: SHARED_OWNER, status: 'succeeded' },
    { id: 'workflow-2', name: 'Graph.InstallOS', owner: 'u-manager', status: 'running' },
    { id: 'workflow-3', name: 'Graph.Firmware', owner: 'u-admin', status: 'pending' },
    { id: 'workflow-4', name: 'Graph.Reboot', owner: 'u-viewer', status: 'running' },
  ],
};

/** The items of both types; every item handed out is a copy. */
export class ResourceStore {
  private readonly items = new Map<ResourceType, Map<string, Item>>(
    RESOURCE_TYPES.map((type) => [type, new Map(SEED[type].map((item) => [item.id, { ...item }]))]),
  );
  private readonly listeners = new Set<(change: Change) => void>();
  private serial = 0;

  list(type: ResourceType): Item[] {
    return [...this.of(type).values()].map((item) => ({ ...item }));
  }

  get(type: ResourceType, id: string): Item | undefined {
    const item = this.of(type).get(id);
    return item && { ...item };
  }

  /** Creates or replaces an item; without an id a new one is made (`node-N`, `workflow-N`). */
  put(type: ResourceType, id: string | undefined, fields: ItemFields): Item {
    const itemId = id ?? this.newId(type);
    const before = this.get(type, itemId);
    const after: Item = { ...fields, id: itemId };
    this.of(type).set(itemId, after);
    this.emit({ type, ...(before ? { before } : {}), after: { ...after } });
    return { ...after };
  }

  /** Deletes an item; returns it if it existed. */
  delete(type: ResourceType, id: string): Item | undefined {
    const before = this.get(type, id);
    if (!before) return undefined;
    this.of(type).delete(id);
    this.emit({ type, before });
    return before;
  }

  /** Calls `listener` after every change; returns the function that stops it. */
  onChange(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private of(type: ResourceType): Map<string, Item> {
    const items = this.items.get(type);
    if (!items) throw new Error(`no resource type ${type}`);
    return items;
  }

  private newId(type: ResourceType): string {
    const prefix = type === 'nodes' ? 'node' : 'workflow';
    let id: string;
    do id = `${prefix}-${SEED[type].length + ++this.serial}`;
    while (this.of(type).has(id));
    return id;
  }

  private emit(change: Change): void {
    for (const listener of [...this.listeners]) listener(change);
  }
}

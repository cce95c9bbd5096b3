import type { api } from '@e2e-server/protocol';

export interface Category {
  id: string;
  name: string;
  version: number;
  /** The login of whoever changed it last. */
  updatedBy: string;
}

export function toCategory(category: api.ICategory): Category {
  return { id: category.id ?? '', name: category.name ?? '', version: category.version ?? 0, updatedBy: category.updatedBy ?? '' };
}

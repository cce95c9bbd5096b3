// The restaurant menu's categories, in memory. Every change bumps the category's version.

/** A menu category as stored and sent. */
export interface Category {
  id: string;
  name: string;
  /** Incremented on every change. */
  version: number;
  /** The login of the user who made the last change. */
  updatedBy: string;
}

const SEED_NAMES: readonly string[] = ['Starters', 'Mains', 'Desserts', 'Drinks'];

export class MenuStore {
  private readonly categories = new Map<string, Category>();
  private lastId = 0;

  constructor() {
    this.reset();
  }

  /** Back to the seeded categories (Starters, Mains, Desserts, Drinks). */
  reset(): void {
    this.categories.clear();
    this.lastId = 0;
    for (const name of SEED_NAMES) this.add(name, 'seed');
  }

  list(): Category[] {
    return [...this.categories.values()].map((category) => ({ ...category }));
  }

  add(name: string, by: string): Category {
    this.lastId += 1;
    const category: Category = { id: `c-${this.lastId}`, name, version: 1, updatedBy: by };
    this.categories.set(category.id, category);
    return { ...category };
  }

  /** The renamed category, or undefined when there is none with this id. */
  rename(id: string, name: string, by: string): Category | undefined {
    const category = this.categories.get(id);
    if (!category) return undefined;
    category.name = name;
    category.version += 1;
    category.updatedBy = by;
    return { ...category };
  }

  /** Whether a category with this id existed (and is now gone). */
  delete(id: string): boolean {
    return this.categories.delete(id);
  }
}

import type { Category } from "../../domain/catalog/category.ts";
import { AlreadyExists, NotFound, VersionConflict } from "../../domain/errors.ts";
import type { Categories } from "../../ports/catalog/categories.ts";
import type { Clock } from "../../ports/clock.ts";

/** Where category writes are reported (the in-memory change log's `append`). */
export interface CategoryChangeSink {
  append(source: "category", slug: string, at: Date): void;
}

export interface MemoryCategoriesOptions {
  readonly changes?: CategoryChangeSink;
  /** Stamps delete events; defaults to the system clock. */
  readonly clock?: Clock;
}

const systemClock: Clock = { now: () => new Date() };

const bySlugOrder = (a: Category, b: Category) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);

/** The category tree in memory, with the MongoDB adapter's version policy. */
export class MemoryCategories implements Categories {
  readonly #bySlug = new Map<string, Category>();
  readonly #changes?: CategoryChangeSink;
  readonly #clock: Clock;

  constructor(options: MemoryCategoriesOptions = {}) {
    this.#changes = options.changes;
    this.#clock = options.clock ?? systemClock;
  }

  get(slug: string): Promise<Category | null> {
    const found = this.#bySlug.get(slug);
    return Promise.resolve(found ? structuredClone(found) : null);
  }

  all(): Promise<Category[]> {
    return Promise.resolve(
      [...this.#bySlug.values()].sort(bySlugOrder).map((c) => structuredClone(c)),
    );
  }

  children(slug: string): Promise<string[]> {
    return Promise.resolve(
      [...this.#bySlug.values()].filter((c) => c.parent === slug).sort(bySlugOrder)
        .map((c) => c.slug),
    );
  }

  create(category: Category): Promise<Category> {
    if (this.#bySlug.has(category.slug)) {
      return Promise.reject(new AlreadyExists("category", "slug", category.slug));
    }
    const stored = structuredClone(category);
    this.#bySlug.set(stored.slug, stored);
    this.#changes?.append("category", stored.slug, stored.updatedAt);
    return Promise.resolve(structuredClone(stored));
  }

  replace(category: Category): Promise<Category> {
    const existing = this.#bySlug.get(category.slug);
    if (!existing) return Promise.reject(new NotFound("category", category.slug));
    if (existing.version !== category.version) {
      return Promise.reject(new VersionConflict("category", category.slug, category.version));
    }
    const stored: Category = { ...structuredClone(category), version: existing.version + 1 };
    this.#bySlug.set(stored.slug, stored);
    this.#changes?.append("category", stored.slug, stored.updatedAt);
    return Promise.resolve(structuredClone(stored));
  }

  delete(slug: string, version: number | null): Promise<Category | null> {
    const existing = this.#bySlug.get(slug);
    if (!existing) return Promise.resolve(null);
    if (version !== null && existing.version !== version) {
      return Promise.reject(new VersionConflict("category", slug, version));
    }
    this.#bySlug.delete(slug);
    this.#changes?.append("category", slug, this.#clock.now());
    return Promise.resolve(existing);
  }
}

import type { Category } from "../../domain/catalog/category.ts";

/**
 * The category tree (MongoDB in production), one document per category. Version policy as
 * the catalog's: `create` stores the category as given; `replace` is optimistic (it stores
 * `version + 1` only while the stored version equals the caller's). Every write is reported
 * on the category change feed, which the category sync consumes. No transactions: rules that
 * span several categories (no cycles, no deleting a parent) are checked by the use cases.
 */
export interface Categories {
  get(slug: string): Promise<Category | null>;
  /** Every category, in slug order (the tree is small: hundreds, not millions). */
  all(): Promise<Category[]>;
  /** The direct children's slugs, in slug order. */
  children(slug: string): Promise<string[]>;
  /** Throws `AlreadyExists` for a taken slug. */
  create(category: Category): Promise<Category>;
  /** Throws `NotFound`, or `VersionConflict` when the stored version moved on. */
  replace(category: Category): Promise<Category>;
  /**
   * Deletes the category at `version` (null: whatever version). Returns the deleted category,
   * null when there was none; `VersionConflict` when it changed since.
   */
  delete(slug: string, version: number | null): Promise<Category | null>;
}

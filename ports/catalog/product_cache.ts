import type { ProductView } from "../../domain/catalog/product_view.ts";

/**
 * Cache of assembled product views (Redis in production), readable by SKU or by slug.
 * May lose anything at any time; adapters throw `DependencyUnavailable` when down.
 * A lookup by SKU costs one round trip.
 */
export interface ProductCache {
  /** `key` is a SKU or a slug; a stale slug may answer a view whose slug differs. */
  get(key: string): Promise<ProductView | null>;
  set(view: ProductView, ttlMs: number): Promise<void>;
  invalidate(sku: string): Promise<void>;
}

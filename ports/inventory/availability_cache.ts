import type { InventoryItem } from "../../domain/inventory/stock.ts";

/**
 * Shopper-facing stock and price per SKU in a cache that may be lost (Redis): what the product
 * and cart paths read while it is up, written from the inventory outbox by the sync consumer
 * (so it follows every committed change in version order) and dropped by admin changes.
 * Checkout never reads it: placing an order locks the PostgreSQL rows.
 *
 * Every operation touches one SKU's key (cluster-safe). Implementations throw
 * `DependencyUnavailable` when the cache is down; callers then read PostgreSQL.
 */
export interface AvailabilityCache {
  /** The cached items of `skus` that are present and unexpired; misses are left out. */
  getMany(skus: readonly string[]): Promise<Map<string, InventoryItem>>;
  /**
   * Stores `item` for `ttlMs` unless a higher `version` is already stored (an older event
   * applied late never overwrites a newer one). The TTL is a safety net against a lost event.
   */
  put(item: InventoryItem, ttlMs: number): Promise<void>;
  /** Drops the SKU's entry: the next read goes to PostgreSQL. */
  invalidate(sku: string): Promise<void>;
}

/**
 * What the search sync needs (the stores it re-reads and the indexes it writes) and how hard
 * it tries: shared by the loop (sync_catalog.ts), its appliers and the resync.
 */
import type { Catalog } from "../../ports/catalog/catalog.ts";
import type { Categories } from "../../ports/catalog/categories.ts";
import type { Vendors } from "../../ports/vendors/vendors.ts";
import type { VendorIndex } from "../../ports/vendors/vendor_index.ts";
import type { SyncStateStore } from "../../ports/search/change_feed.ts";
import type { IdGenerator } from "../../ports/ids.ts";
import type { JobLog, Leases } from "../../ports/leases.ts";
import type { Clock } from "../../ports/clock.ts";
import type { InventoryStore } from "../../ports/inventory/inventory.ts";
import type { AvailabilityCache } from "../../ports/inventory/availability_cache.ts";
import type { Logger } from "../../ports/logger.ts";
import type { ProductCache } from "../../ports/catalog/product_cache.ts";
import type { SearchIndex } from "../../ports/search/search_index.ts";
import type { OrderIndex } from "../../ports/support/order_index.ts";
import type { OrderRecords } from "../../ports/support/order_records.ts";
import type { Reviews } from "../../ports/reviews/reviews.ts";
import type { UserStore } from "../../ports/identity/users.ts";

export interface SyncDeps {
  readonly catalog: Catalog;
  /** Category events rewrite the products' breadcrumbs (category_sync.ts). */
  readonly categories: Categories;
  /** Vendor events rewrite the products' vendor copies and the vendor index (vendor_sync.ts). */
  readonly vendors?: Vendors;
  readonly vendorIndex?: VendorIndex;
  readonly inventory: InventoryStore;
  readonly index: SearchIndex;
  readonly cache: ProductCache;
  /** Shopper stock and price per SKU, refreshed from each inventory event (when configured). */
  readonly availability?: AvailabilityCache;
  readonly state: SyncStateStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** For a resync (the feed lost its history): the rebuild's lease, job log and ids. */
  readonly ids: IdGenerator;
  readonly leases: Leases;
  readonly jobs: JobLog;
  /** Order events (the outbox's `order` rows) rewrite the support team's order index. */
  readonly orderRecords: OrderRecords;
  readonly orderIndex: OrderIndex;
  /**
   * Review events recompute a product's ratings; user events copy a display name onto the
   * user's reviews (review_sync.ts). Absent: those events have nothing to update.
   */
  readonly reviews?: Reviews;
  readonly users?: Pick<UserStore, "get">;
}

export interface SyncOptions {
  readonly batchSize: number;
  readonly waitMs: number;
  readonly attempts: number;
  readonly backoffMs: number;
}

export const DEFAULT_SYNC_OPTIONS: SyncOptions = {
  batchSize: 200,
  waitMs: 1_000,
  attempts: 5,
  backoffMs: 100,
};

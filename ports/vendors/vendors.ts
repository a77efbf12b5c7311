import type { Vendor } from "../../domain/vendors/vendor.ts";
import type { Page, PageRequest } from "../../domain/pagination.ts";

/**
 * Vendor profiles (MongoDB in production), one document per vendor with `_id` = id, so every
 * change-stream event names the vendor. Version policy as the catalog's: `create` stores the
 * vendor as given; `replace` stores `version + 1` only while the stored version equals the
 * caller's. Slugs are unique. Every write is reported on the vendor change feed, which the
 * vendor sync consumes (products' `vendor` copies, the vendor index).
 */
export interface Vendors {
  get(id: string): Promise<Vendor | null>;
  getBySlug(slug: string): Promise<Vendor | null>;
  /** In slug order. */
  list(page: PageRequest): Promise<Page<Vendor>>;
  /** Every vendor, in id order, for a rebuild of the vendor index. */
  all(): AsyncIterable<Vendor>;
  /** Throws `AlreadyExists` (field `slug` or `id`) when taken. */
  create(vendor: Vendor): Promise<Vendor>;
  /**
   * Throws `NotFound`, `VersionConflict` when the stored version moved on, or `AlreadyExists`
   * for a slug another vendor holds.
   */
  replace(vendor: Vendor): Promise<Vendor>;
  /**
   * Deletes the vendor at `version` (null: whatever version). Returns the deleted vendor, null
   * when there was none; `VersionConflict` when it changed since.
   */
  delete(id: string, version: number | null): Promise<Vendor | null>;
}

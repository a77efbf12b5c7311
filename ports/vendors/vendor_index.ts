import type { Page, PageRequest } from "../../domain/pagination.ts";
import type { VendorHit, VendorSearchDocument } from "../../domain/vendors/vendor.ts";

/**
 * The vendor search index (Elasticsearch in production), derived from the vendor profiles
 * through the vendor change stream. Writes are versioned as the product index's: a put or
 * remove whose version is not newer than what the index holds for that id is ignored.
 * Adapters throw `DependencyUnavailable` when down.
 */
export interface VendorIndex {
  /**
   * Vendors matching every word of `q` in the business name, slug, city, country,
   * certifications or description, each word allowed AUTO typos (0 edits up to 2
   * characters, 1 up to 5, then 2); best first, ties by slug. Empty `q`: every vendor by slug.
   */
  search(q: string, page: PageRequest): Promise<Page<VendorHit>>;
  put(doc: VendorSearchDocument): Promise<void>;
  remove(id: string, version: number): Promise<void>;
  /** Builds a fresh index from `docs` and makes it the one searched. */
  rebuild(docs: AsyncIterable<VendorSearchDocument>): Promise<{ indexed: number }>;
}

/**
 * The consumer of vendor changes (the vendor change stream): the vendor index gets the
 * vendor's current document, and every product naming the vendor whose `vendor` copy differs
 * is rewritten. Those are ordinary catalog writes, so product search and the product cache
 * follow through the product feed (the category sync's pattern, see category_sync.ts).
 *
 * Idempotent and ordered by re-reading: it always writes what the vendor document says now
 * (an old event applied late changes nothing), writes only what differs, and re-reads the
 * vendor when done; if it moved on meanwhile, it goes round again.
 */
import type { Product } from "../../domain/catalog/product.ts";
import { VersionConflict } from "../../domain/errors.ts";
import {
  sameSummary,
  toVendorSearchDocument,
  type Vendor,
  vendorSummary,
} from "../../domain/vendors/vendor.ts";
import type { Catalog } from "../../ports/catalog/catalog.ts";
import type { ProductCache } from "../../ports/catalog/product_cache.ts";
import type { Clock } from "../../ports/clock.ts";
import type { Logger } from "../../ports/logger.ts";
import type { Vendors } from "../../ports/vendors/vendors.ts";
import type { VendorIndex } from "../../ports/vendors/vendor_index.ts";

export interface VendorSyncDeps {
  readonly vendors: Vendors;
  readonly vendorIndex: VendorIndex;
  readonly catalog: Catalog;
  readonly cache: ProductCache;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** A deleted vendor's id is never reused (ids are generated): its removal outranks any put. */
export const REMOVED_VENDOR_VERSION = Number.MAX_SAFE_INTEGER;
const MAX_ROUNDS = 5;
const PAGE = 200;

/** Applies one vendor change (by id). Throws when the vendor will not hold still. */
export async function applyVendorChange(
  deps: VendorSyncDeps,
  id: string,
): Promise<{ products: number }> {
  let products = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const vendor = await deps.vendors.get(id);
    // Deleted: a vendor with products cannot be deleted, so no product names it.
    if (!vendor) {
      await deps.vendorIndex.remove(id, REMOVED_VENDOR_VERSION);
      return { products };
    }
    // Products first: their search documents follow through the product feed, which need not
    // wait for the vendor index's refresh.
    products += await fixProducts(deps, vendor);
    await deps.vendorIndex.put(toVendorSearchDocument(vendor));
    const now = await deps.vendors.get(id);
    if (now?.version === vendor.version) return { products };
  }
  throw new Error(`vendor ${id} kept changing while its products were updated`);
}

async function fixProducts(deps: VendorSyncDeps, vendor: Vendor): Promise<number> {
  const skus: string[] = [];
  for (let page = 1;; page++) {
    const found = await deps.catalog.list({
      vendorId: vendor.id,
      attrs: [],
      sort: "newest",
      page,
      size: PAGE,
    });
    skus.push(...found.items.map((p) => p.sku));
    if (page * PAGE >= found.total) break;
  }
  let fixed = 0;
  for (const sku of [...new Set(skus)].sort()) {
    if (await fixProduct(deps, sku, vendor)) fixed++;
  }
  return fixed;
}

async function fixProduct(deps: VendorSyncDeps, sku: string, vendor: Vendor): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const product = await deps.catalog.get(sku);
    if (!product || product.vendorId !== vendor.id) return false;
    const summary = vendorSummary(vendor);
    if (sameSummary(product.vendor, summary)) return false;
    try {
      await deps.catalog.replace({ ...product, vendor: summary, updatedAt: deps.clock.now() });
    } catch (error) {
      if (error instanceof VersionConflict) continue; // an admin edit won: read it again
      throw error;
    }
    try {
      await deps.cache.invalidate(sku);
    } catch (error) {
      // The product's own change event invalidates it again.
      deps.logger.warn("product cache invalidation failed during vendor sync", {
        sku,
        error: String(error),
      });
    }
    return true;
  }
  throw new VersionConflict("product", sku, -1);
}

/**
 * From a product's own change event: a product written with a vendor copy read just before a
 * rename (whose sync listed the vendor's products before this one existed) is brought in
 * step. Returns true when it rewrote the product (its own event then re-indexes it).
 */
export async function refreshVendorCopy(
  deps: Pick<VendorSyncDeps, "vendors" | "catalog" | "clock">,
  product: Product,
): Promise<boolean> {
  if (product.vendorId === undefined) return false;
  const vendor = await deps.vendors.get(product.vendorId);
  if (!vendor || sameSummary(product.vendor, vendorSummary(vendor))) return false;
  try {
    await deps.catalog.replace({
      ...product,
      vendor: vendorSummary(vendor),
      updatedAt: deps.clock.now(),
    });
  } catch (error) {
    if (error instanceof VersionConflict) return false; // a newer write has its own event
    throw error;
  }
  return true;
}

/** Every vendor, after the vendor feed lost its history: products and the index reconciled. */
export async function reconcileVendors(deps: VendorSyncDeps): Promise<{ products: number }> {
  let products = 0;
  for await (const vendor of deps.vendors.all()) {
    products += (await applyVendorChange(deps, vendor.id)).products;
  }
  return { products };
}

/** Rebuilds the vendor index from the vendor profiles (part of every search rebuild). */
export async function rebuildVendorIndex(
  deps: Pick<VendorSyncDeps, "vendors" | "vendorIndex">,
): Promise<{ indexed: number }> {
  const vendors = deps.vendors;
  async function* docs() {
    for await (const vendor of vendors.all()) yield toVendorSearchDocument(vendor);
  }
  return await deps.vendorIndex.rebuild(docs());
}

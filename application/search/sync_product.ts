/**
 * The product applier: one catalog or inventory event brings the product's search document,
 * its derived copies (price, publication, availability) and its cache entry up to date.
 */
import { toSearchDocument } from "../../domain/search/search.ts";
import type { Product } from "../../domain/catalog/product.ts";
import { skusOf } from "../../domain/catalog/variant.ts";
import { type FacetableByCategory, facetableByCategory } from "../../domain/catalog/category.ts";
import type { InventoryItem } from "../../domain/inventory/stock.ts";
import { refreshVendorCopy } from "../vendors/vendor_sync.ts";
import { refreshAvailability } from "../inventory/availability.ts";
import type { SyncDeps } from "./sync_deps.ts";

/** A deleted SKU is never sold again (SKUs are not reused), so its removal outranks any put. */
export const REMOVED_VERSION = Number.MAX_SAFE_INTEGER;

/**
 * Brings the index (and the derived price copy and product cache) up to date for one SKU by
 * re-reading both sources of truth. Because it writes the current state with a version that
 * only grows, applying an event twice, or an old event late, is harmless. `facetable`: the
 * tree's facetable attributes per category, read once per batch (read here when absent).
 */
export async function applyChange(
  deps: SyncDeps,
  eventSku: string,
  facetable?: FacetableByCategory,
): Promise<void> {
  // A variant's stock or price event re-indexes its product (one document per product).
  const { product, sku } = await productOfEvent(deps, eventSku);
  // A vendor copy read just before a rename is brought in step; the rewrite's own event
  // re-indexes it, so this pass goes on with what it read.
  if (product && deps.vendors) await refreshVendorCopy({ ...deps, vendors: deps.vendors }, product);
  const rows = new Map(
    (await deps.inventory.getMany(product ? skusOf(product) : [sku])).map((i) => [i.sku, i]),
  );
  const stored = rows.get(sku) ?? null;
  let item = stored;
  if (product && item?.active && !sameInstant(item.publishedAt, product.publishedAt)) {
    // Inventory's copy of publishedAt (what checkout sells by) drifted from the catalog, the
    // truth for it: a row that predates the copy, or a catalog write whose inventory step was
    // lost. Repair it; its own change event re-indexes the document.
    item = await deps.inventory.adjust(sku, { publishedAt: product.publishedAt }, deps.clock.now());
  }
  if (product) await repairVariantPublication(deps, product, rows);
  const facets = product
    ? (facetable ?? facetableByCategory(await deps.categories.all())).get(product.category) ?? []
    : [];
  if (!product) {
    await deps.index.remove(sku, REMOVED_VERSION);
  } else if (item && item.unitPriceCents !== product.priceCents) {
    // The catalog keeps a copy of the price for browse sorting. Refreshing it is a catalog
    // write, whose own change event then re-indexes the document with the new version.
    const updated = await deps.catalog.replace({
      ...product,
      priceCents: item.unitPriceCents,
      currency: item.currency,
      updatedAt: deps.clock.now(),
    });
    await deps.index.put(toSearchDocument(updated, item, rows, facets));
  } else {
    await deps.index.put(toSearchDocument(product, item, rows, facets));
  }
  // Before the product cache is dropped, so its next load reads the new availability.
  // The availability cache is per SKU: the event's own (a variant's), not its product's.
  const eventItem = eventSku === sku
    ? item
    : rows.get(eventSku) ?? await deps.inventory.get(eventSku);
  await refreshAvailability(deps, eventSku, eventItem);
  try {
    await deps.cache.invalidate(sku);
  } catch (error) {
    deps.logger.warn("product cache invalidation failed during sync", {
      sku,
      error: String(error),
    });
  }
}

/**
 * The product an event's SKU belongs to: its own, or, for a variant SKU, the one its inventory
 * row names (`productSku`). No document: the SKU as given (a deleted product).
 */
async function productOfEvent(
  deps: SyncDeps,
  eventSku: string,
): Promise<{ product: Product | null; sku: string }> {
  const own = await deps.catalog.get(eventSku);
  if (own) return { product: own, sku: eventSku };
  const row = await deps.inventory.get(eventSku);
  if (!row || row.productSku === eventSku) return { product: null, sku: eventSku };
  const parent = await deps.catalog.get(row.productSku);
  return { product: parent, sku: row.productSku };
}

/** Variant rows follow their product's publication like its own row (checkout sells by it). */
async function repairVariantPublication(
  deps: SyncDeps,
  product: Product,
  rows: Map<string, InventoryItem>,
): Promise<void> {
  for (const v of product.variants) {
    const row = rows.get(v.sku);
    if (row?.active && !sameInstant(row.publishedAt, product.publishedAt)) {
      const at = deps.clock.now();
      rows.set(v.sku, await deps.inventory.adjust(v.sku, { publishedAt: product.publishedAt }, at));
    }
  }
}

function sameInstant(a: Date | null, b: Date | null): boolean {
  return a === null || b === null ? a === b : a.getTime() === b.getTime();
}

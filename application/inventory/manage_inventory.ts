import type { InventoryChange, InventoryItem } from "../../domain/inventory/stock.ts";
import { available } from "../../domain/inventory/stock.ts";
import { levelAvailable, type StockLevel } from "../../domain/inventory/warehouse.ts";
import type { Page } from "../../domain/pagination.ts";
import type { Clock } from "../../ports/clock.ts";
import type { InventoryStore, StockLevelQuery } from "../../ports/inventory/inventory.ts";
import type { Logger } from "../../ports/logger.ts";
import type { AvailabilityCache } from "../../ports/inventory/availability_cache.ts";
import type { ProductCache } from "../../ports/catalog/product_cache.ts";
import { bestEffort } from "../_best_effort.ts";

export interface StockLevelView extends StockLevel {
  readonly available: number;
}

/** A SKU with its totals over active warehouses and each warehouse's row. */
export interface InventoryView extends InventoryItem {
  readonly available: number;
  readonly warehouses: readonly StockLevelView[];
}

function levelView(level: StockLevel): StockLevelView {
  return { ...level, available: levelAvailable(level) };
}

/** One row per (SKU, warehouse); `lowStock` keeps rows at or below their own threshold. */
export async function listInventory(
  deps: { inventory: InventoryStore },
  query: StockLevelQuery,
): Promise<Page<StockLevelView>> {
  const page = await deps.inventory.levels(query);
  return { ...page, items: page.items.map(levelView) };
}

/** A SKU's totals and its rows in every warehouse that holds any. */
export async function inventoryView(
  deps: { inventory: InventoryStore },
  item: InventoryItem,
): Promise<InventoryView> {
  const rows: StockLevel[] = [];
  for (let page = 1;; page++) {
    const found = await deps.inventory.levels({ sku: item.sku, page, size: 100 });
    rows.push(...found.items);
    if (found.items.length < 100) break;
  }
  return { ...item, available: available(item), warehouses: rows.map(levelView) };
}

/**
 * One warehouse's stock (absolute or delta) and threshold, and/or the price; the search sync and
 * the availability cache learn of it from the store's feed.
 */
export async function adjustInventory(
  deps: {
    inventory: InventoryStore;
    cache: ProductCache;
    availability?: AvailabilityCache;
    clock: Clock;
    logger: Logger;
  },
  sku: string,
  change: InventoryChange,
): Promise<InventoryView> {
  const item = await deps.inventory.adjust(sku, change, deps.clock.now());
  // Shoppers see the change at once: both caches drop the SKU (the sync refills them).
  const { availability } = deps;
  if (availability) {
    await bestEffort(
      deps.logger,
      `drop availability of ${sku}`,
      () => availability.invalidate(sku),
    );
  }
  // A variant's product view (cached under the product's SKU) shows the variant's stock too.
  for (const key of new Set([sku, item.productSku])) {
    await bestEffort(deps.logger, `invalidate cache for ${key}`, () => deps.cache.invalidate(key));
  }
  return await inventoryView(deps, item);
}

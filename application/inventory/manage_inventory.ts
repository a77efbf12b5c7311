import type { InventoryChange, InventoryItem } from "../../domain/inventory/stock.ts";
import { available } from "../../domain/inventory/stock.ts";
import type { Page } from "../../domain/pagination.ts";
import type { Clock } from "../../ports/clock.ts";
import type { InventoryListQuery, InventoryStore } from "../../ports/inventory/inventory.ts";
import type { Logger } from "../../ports/logger.ts";
import type { ProductCache } from "../../ports/catalog/product_cache.ts";
import { bestEffort } from "../_best_effort.ts";

export interface InventoryView extends InventoryItem {
  readonly available: number;
}

function viewOf(item: InventoryItem): InventoryView {
  return { ...item, available: available(item) };
}

export async function listInventory(
  deps: { inventory: InventoryStore },
  query: InventoryListQuery,
): Promise<Page<InventoryView>> {
  const page = await deps.inventory.list(query);
  return { ...page, items: page.items.map(viewOf) };
}

/** Stock (absolute or delta) and price change; the search sync learns of it from the store's feed. */
export async function adjustInventory(
  deps: { inventory: InventoryStore; cache: ProductCache; clock: Clock; logger: Logger },
  sku: string,
  change: InventoryChange,
): Promise<InventoryView> {
  const item = await deps.inventory.adjust(sku, change, deps.clock.now());
  await bestEffort(deps.logger, `invalidate cache for ${sku}`, () => deps.cache.invalidate(sku));
  return viewOf(item);
}

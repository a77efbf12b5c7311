/**
 * Shopper reads of stock and price: from the availability cache while it is up (written from
 * the outbox by the sync), from PostgreSQL for what it misses and whenever it is down. Money
 * is never decided here: checkout reads and locks the PostgreSQL rows.
 */
import type { InventoryItem } from "../../domain/inventory/stock.ts";
import type { AvailabilityCache } from "../../ports/inventory/availability_cache.ts";
import type { InventoryStore } from "../../ports/inventory/inventory.ts";
import type { Logger } from "../../ports/logger.ts";

/** Safety net: an entry whose refreshing event was lost is dropped after this. */
export const AVAILABILITY_TTL_MS = 10 * 60 * 1000;

/**
 * `inventory` with `get` and `getMany` served from `cache` first. Writes pass through
 * unchanged; a cache failure is logged and the read goes to PostgreSQL (degraded, not wrong).
 */
export function withAvailabilityCache(
  inventory: InventoryStore,
  cache: AvailabilityCache,
  logger: Logger,
): InventoryStore {
  const cachedOf = async (skus: readonly string[]): Promise<Map<string, InventoryItem>> => {
    try {
      return await cache.getMany(skus);
    } catch (error) {
      logger.warn("availability cache read failed; reading PostgreSQL", {
        error: String(error),
      });
      return new Map();
    }
  };
  const getMany = async (skus: readonly string[]): Promise<InventoryItem[]> => {
    const unique = [...new Set(skus)];
    const hits = await cachedOf(unique);
    const misses = unique.filter((sku) => !hits.has(sku));
    const read = misses.length === 0 ? [] : await inventory.getMany(misses);
    return [...hits.values(), ...read].sort((a, b) => (a.sku < b.sku ? -1 : 1));
  };
  return {
    get: async (sku) => (await getMany([sku]))[0] ?? null,
    getMany,
    levels: (query) => inventory.levels(query),
    create: (item) => inventory.create(item),
    adjust: (sku, change, at) => inventory.adjust(sku, change, at),
    discontinue: (sku, at) => inventory.discontinue(sku, at),
  };
}

/**
 * The sync's step for one SKU: the cache takes the current row (or drops a vanished one).
 * Version-guarded, so an event applied late cannot bring back an older level.
 */
export async function refreshAvailability(
  deps: { availability?: AvailabilityCache; logger: Logger },
  sku: string,
  item: InventoryItem | null,
): Promise<void> {
  const cache = deps.availability;
  if (!cache) return;
  try {
    if (item) await cache.put(item, AVAILABILITY_TTL_MS);
    else await cache.invalidate(sku);
  } catch (error) {
    deps.logger.warn("availability cache write failed during sync", { sku, error: String(error) });
  }
}

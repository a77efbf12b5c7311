import type { InventoryItem } from "../../domain/inventory/stock.ts";
import type { AvailabilityCache } from "../../ports/inventory/availability_cache.ts";
import type { Clock } from "../../ports/clock.ts";
import type { Outage } from "./outage.ts";

export interface MemoryAvailabilityCacheOptions {
  /** While `outage.down`, every call throws `DependencyUnavailable("redis")`. */
  readonly outage?: Outage;
}

/** The availability cache in memory, expiring by `clock`; the fake of the Redis adapter. */
export class MemoryAvailabilityCache implements AvailabilityCache {
  readonly #entries = new Map<string, { item: InventoryItem; expiresAtMs: number }>();
  readonly #outage?: Outage;

  constructor(private readonly clock: Clock, options: MemoryAvailabilityCacheOptions = {}) {
    this.#outage = options.outage;
  }

  getMany(skus: readonly string[]): Promise<Map<string, InventoryItem>> {
    return this.#run(() => {
      const now = this.clock.now().getTime();
      const found = new Map<string, InventoryItem>();
      for (const sku of new Set(skus)) {
        const entry = this.#entries.get(sku);
        if (entry && entry.expiresAtMs > now) found.set(sku, structuredClone(entry.item));
      }
      return found;
    });
  }

  put(item: InventoryItem, ttlMs: number): Promise<void> {
    return this.#run(() => {
      const now = this.clock.now().getTime();
      const entry = this.#entries.get(item.sku);
      if (entry && entry.expiresAtMs > now && entry.item.version > item.version) return;
      this.#entries.set(item.sku, {
        item: structuredClone(item),
        expiresAtMs: now + Math.max(1, Math.round(ttlMs)),
      });
    });
  }

  invalidate(sku: string): Promise<void> {
    return this.#run(() => {
      this.#entries.delete(sku);
    });
  }

  #run<T>(step: () => T): Promise<T> {
    try {
      this.#outage?.check("redis");
      return Promise.resolve(step());
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

import { AlreadyExists, InvalidStockLevel, NotFound } from "../../domain/errors.ts";
import {
  applyChange,
  available,
  discontinue,
  type InventoryChange,
  type InventoryItem,
  isValidLevel,
} from "../../domain/inventory/stock.ts";
import { type Page, pageOf } from "../../domain/pagination.ts";
import type { InventoryListQuery, InventoryStore } from "../../ports/inventory/inventory.ts";
import { MemoryChangeLog } from "./change_feed.ts";

export interface MemoryInventoryOptions {
  /** Receives `{source: "inventory"}` events in the same step as each change (the outbox). */
  readonly log?: MemoryChangeLog;
}

/**
 * Stock and prices in memory. `MemoryOrderStore` shares this state through `readSync` and
 * `writeSync`; callers keep atomicity by doing their reads and writes with no `await` between.
 */
export class MemoryInventoryStore implements InventoryStore {
  readonly log: MemoryChangeLog;
  readonly #items = new Map<string, InventoryItem>();

  constructor(options: MemoryInventoryOptions = {}) {
    this.log = options.log ?? new MemoryChangeLog("inventory");
  }

  /** The live items, read-only; valid until the next `await`. */
  readSync(): ReadonlyMap<string, InventoryItem> {
    return this.#items;
  }

  /** Stores updated items and records one change event each, at the item's `updatedAt`. */
  writeSync(items: readonly InventoryItem[]): void {
    for (const item of items) {
      this.#items.set(item.sku, freeze(item));
      this.log.append("inventory", item.sku, item.updatedAt);
    }
  }

  get(sku: string): Promise<InventoryItem | null> {
    const item = this.#items.get(sku);
    return Promise.resolve(item ? copy(item) : null);
  }

  getMany(skus: readonly string[]): Promise<InventoryItem[]> {
    const found = [...new Set(skus)].flatMap((sku) => this.#items.get(sku) ?? []);
    return Promise.resolve(found.sort(bySku).map(copy));
  }

  list(query: InventoryListQuery): Promise<Page<InventoryItem>> {
    const { lowStock } = query;
    const all = [...this.#items.values()]
      .filter((item) => lowStock === undefined || available(item) <= lowStock)
      .sort(bySku);
    const page = pageOf(all, query);
    return Promise.resolve({ ...page, items: page.items.map(copy) });
  }

  create(item: InventoryItem): Promise<InventoryItem> {
    if (this.#items.has(item.sku)) {
      return Promise.reject(new AlreadyExists("inventory item", "sku", item.sku));
    }
    if (!isValidLevel(item.stock, item.reserved)) {
      return Promise.reject(new InvalidStockLevel(item.sku, item.stock, item.reserved));
    }
    this.writeSync([item]);
    return this.get(item.sku) as Promise<InventoryItem>;
  }

  adjust(sku: string, change: InventoryChange, at: Date): Promise<InventoryItem> {
    return this.#update(sku, (item) => applyChange(item, change, at));
  }

  discontinue(sku: string, at: Date): Promise<InventoryItem> {
    return this.#update(sku, (item) => discontinue(item, at));
  }

  #update(sku: string, change: (item: InventoryItem) => InventoryItem): Promise<InventoryItem> {
    try {
      const item = this.#items.get(sku);
      if (!item) throw new NotFound("inventory item", sku);
      const next = change(item);
      this.writeSync([next]);
      return Promise.resolve(copy(next));
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

function bySku(a: InventoryItem, b: InventoryItem): number {
  return a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0;
}

function freeze(item: InventoryItem): InventoryItem {
  return Object.freeze(copy(item));
}

function copy(item: InventoryItem): InventoryItem {
  return {
    ...item,
    publishedAt: item.publishedAt === null ? null : new Date(item.publishedAt),
    updatedAt: new Date(item.updatedAt),
  };
}

import { AlreadyExists, InvalidStockLevel, NotFound } from "../../domain/errors.ts";
import {
  applyChange,
  discontinue,
  type InventoryChange,
  type InventoryItem,
  isValidLevel,
  touch,
} from "../../domain/inventory/stock.ts";
import {
  applyLevelChange,
  applyWarehouseChange,
  byLevelKey,
  byPriority,
  DEFAULT_WAREHOUSE,
  emptyLevel,
  isLowStock,
  levelKey,
  type StockLevel,
  totalsOf,
  type Warehouse,
  type WarehouseChange,
} from "../../domain/inventory/warehouse.ts";
import { type Page, pageOf } from "../../domain/pagination.ts";
import type {
  InventoryStore,
  StockLevelQuery,
  WarehouseStore,
} from "../../ports/inventory/inventory.ts";
import { MemoryChangeLog } from "./change_feed.ts";

export interface MemoryInventoryOptions {
  /** Receives `{source: "inventory"}` events in the same step as each change (the outbox). */
  readonly log?: MemoryChangeLog;
}

/** The warehouse every store starts with, as migration 0007 creates it. */
export const MAIN_WAREHOUSE: Warehouse = {
  code: DEFAULT_WAREHOUSE,
  name: "Main warehouse",
  country: "US",
  priority: 100,
  active: true,
};

/**
 * Stock, prices and warehouses in memory. `MemoryOrderStore` shares this state through the
 * `...Sync` methods; callers keep atomicity by doing their reads and writes with no `await`
 * between. Items carry their totals over active warehouses, recomputed on every write.
 */
export class MemoryInventoryStore implements InventoryStore, WarehouseStore {
  readonly log: MemoryChangeLog;
  readonly #items = new Map<string, InventoryItem>();
  readonly #levels = new Map<string, Map<string, StockLevel>>();
  readonly #warehouses = new Map<string, Warehouse>([[MAIN_WAREHOUSE.code, MAIN_WAREHOUSE]]);

  constructor(options: MemoryInventoryOptions = {}) {
    this.log = options.log ?? new MemoryChangeLog("inventory");
  }

  /** The live items, read-only; valid until the next `await`. */
  readSync(): ReadonlyMap<string, InventoryItem> {
    return this.#items;
  }

  /** The rows of `skus`, keyed by `levelKey`; valid until the next `await`. */
  levelsSync(skus: Iterable<string>): Map<string, StockLevel> {
    const found = new Map<string, StockLevel>();
    for (const sku of skus) {
      for (const level of this.#levels.get(sku)?.values() ?? []) {
        found.set(levelKey(sku, level.warehouse), level);
      }
    }
    return found;
  }

  warehousesSync(): readonly Warehouse[] {
    return [...this.#warehouses.values()];
  }

  /**
   * Stores changed rows and, per SKU touched, the item with its new totals and version at
   * `at`, recording one change event each.
   */
  writeLevelsSync(levels: readonly StockLevel[], at: Date): void {
    for (const level of levels) this.#setLevel(level);
    this.#touch(new Set(levels.map((l) => l.sku)), at);
  }

  get(sku: string): Promise<InventoryItem | null> {
    const item = this.#items.get(sku);
    return Promise.resolve(item ? copy(item) : null);
  }

  getMany(skus: readonly string[]): Promise<InventoryItem[]> {
    const found = [...new Set(skus)].flatMap((sku) => this.#items.get(sku) ?? []);
    return Promise.resolve(found.sort(bySku).map(copy));
  }

  levels(query: StockLevelQuery): Promise<Page<StockLevel>> {
    const all = [...this.#levels.values()].flatMap((m) => [...m.values()])
      .filter((l) => query.sku === undefined || l.sku === query.sku)
      .filter((l) => query.warehouse === undefined || l.warehouse === query.warehouse)
      .filter((l) => !query.lowStock || isLowStock(l))
      .sort(byLevelKey);
    const page = pageOf(all, query);
    return Promise.resolve({ ...page, items: page.items.map((l) => ({ ...l })) });
  }

  create(item: InventoryItem): Promise<InventoryItem> {
    if (this.#items.has(item.sku)) {
      return Promise.reject(new AlreadyExists("inventory item", "sku", item.sku));
    }
    if (!isValidLevel(item.stock, item.reserved)) {
      return Promise.reject(new InvalidStockLevel(item.sku, item.stock, item.reserved));
    }
    this.#setLevel({ ...emptyLevel(item.sku, DEFAULT_WAREHOUSE), ...pick(item) });
    this.#store(item);
    return this.get(item.sku) as Promise<InventoryItem>;
  }

  adjust(sku: string, change: InventoryChange, at: Date): Promise<InventoryItem> {
    return attempt(() => {
      const item = this.#require(sku);
      const touchesLevel = change.stock !== undefined || change.delta !== undefined ||
        change.lowStockThreshold !== undefined;
      let level: StockLevel | null = null;
      if (touchesLevel) {
        const code = change.warehouse ?? DEFAULT_WAREHOUSE;
        if (!this.#warehouses.has(code)) throw new NotFound("warehouse", code);
        level = applyLevelChange(
          this.#levels.get(sku)?.get(code) ?? emptyLevel(sku, code),
          change,
        );
      }
      const next = applyChange(item, change, at);
      if (level) this.#setLevel(level);
      return copy(this.#store({ ...next, ...this.#totals(sku) }));
    });
  }

  discontinue(sku: string, at: Date): Promise<InventoryItem> {
    return attempt(() => copy(this.#store(discontinue(this.#require(sku), at))));
  }

  listWarehouses(): Promise<Warehouse[]> {
    const all = [...this.#warehouses.values()].sort(byPriority);
    return Promise.resolve(all.map((w) => ({ ...w })));
  }

  createWarehouse(warehouse: Warehouse, _at: Date): Promise<Warehouse> {
    if (this.#warehouses.has(warehouse.code)) {
      return Promise.reject(new AlreadyExists("warehouse", "code", warehouse.code));
    }
    this.#warehouses.set(warehouse.code, Object.freeze({ ...warehouse }));
    return Promise.resolve({ ...warehouse });
  }

  updateWarehouse(code: string, change: WarehouseChange, at: Date): Promise<Warehouse> {
    return attempt(() => {
      const current = this.#warehouses.get(code);
      if (!current) throw new NotFound("warehouse", code);
      const next = applyWarehouseChange(current, change);
      this.#warehouses.set(code, Object.freeze(next));
      if (next.active !== current.active) {
        const skus = [...this.#levels].filter(([, m]) => m.has(code)).map(([sku]) => sku);
        this.#touch(new Set(skus), at);
      }
      return { ...next };
    });
  }

  #require(sku: string): InventoryItem {
    const item = this.#items.get(sku);
    if (!item) throw new NotFound("inventory item", sku);
    return item;
  }

  #setLevel(level: StockLevel): void {
    const rows = this.#levels.get(level.sku) ?? new Map<string, StockLevel>();
    rows.set(level.warehouse, Object.freeze({ ...level }));
    this.#levels.set(level.sku, rows);
  }

  #totals(sku: string): { stock: number; reserved: number } {
    const active = (code: string) => this.#warehouses.get(code)?.active === true;
    return totalsOf(this.#levels.get(sku)?.values() ?? [], active);
  }

  #touch(skus: ReadonlySet<string>, at: Date): void {
    for (const sku of [...skus].sort()) {
      const item = this.#items.get(sku);
      if (item) this.#store(touch(item, at, this.#totals(sku)));
    }
  }

  /** Stores the item with its current totals and records one change event. */
  #store(item: InventoryItem): InventoryItem {
    const stored = freeze({ ...item, ...this.#totals(item.sku) });
    this.#items.set(item.sku, stored);
    this.log.append("inventory", item.sku, item.updatedAt);
    return stored;
  }
}

function pick(item: InventoryItem): { stock: number; reserved: number } {
  return { stock: item.stock, reserved: item.reserved };
}

function attempt<T>(step: () => T): Promise<T> {
  try {
    return Promise.resolve(step());
  } catch (error) {
    return Promise.reject(error);
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

import type { InventoryChange, InventoryItem } from "../../domain/inventory/stock.ts";
import type { StockLevel, Warehouse, WarehouseChange } from "../../domain/inventory/warehouse.ts";
import type { Page, PageRequest } from "../../domain/pagination.ts";

export interface StockLevelQuery extends PageRequest {
  readonly sku?: string;
  readonly warehouse?: string;
  /** Only rows whose available units are at or below the row's own `lowStockThreshold`. */
  readonly lowStock?: boolean;
}

/**
 * Stock and prices (PostgreSQL owns them). Price, name and publication are per SKU; stock,
 * reserved and the low-stock threshold per (SKU, warehouse). An `InventoryItem`'s `stock` and
 * `reserved` are the sums over ACTIVE warehouses. Every change that alters price, stock,
 * reserved or active (including a warehouse's activation) also records a change event per
 * affected SKU for the search sync and the availability cache, in the same atomic step.
 */
export interface InventoryStore {
  get(sku: string): Promise<InventoryItem | null>;
  getMany(skus: readonly string[]): Promise<InventoryItem[]>;
  /** Stock rows by SKU then warehouse, optionally of one SKU and/or warehouse. */
  levels(query: StockLevelQuery): Promise<Page<StockLevel>>;
  /**
   * Creates the SKU with `item.stock` units in the `main` warehouse. Throws `AlreadyExists`
   * for a known SKU.
   */
  create(item: InventoryItem): Promise<InventoryItem>;
  /**
   * Changes price/name/publication, and/or one warehouse's row (`change.warehouse`, default
   * `main`; a missing row starts at 0). Throws `NotFound` for an unknown SKU or warehouse,
   * `InvalidStockLevel` when the row's stock would drop below 0 or below its reserved units.
   */
  adjust(sku: string, change: InventoryChange, at: Date): Promise<InventoryItem>;
  /** Marks the SKU as no longer sold; keeps the row for order history. Throws `NotFound`. */
  discontinue(sku: string, at: Date): Promise<InventoryItem>;
}

/** The warehouses stock lives in; they are never deleted, only deactivated. */
export interface WarehouseStore {
  /** Every warehouse in allocation order (priority, then code). */
  listWarehouses(): Promise<Warehouse[]>;
  /** Throws `AlreadyExists` for a known code. */
  createWarehouse(warehouse: Warehouse, at: Date): Promise<Warehouse>;
  /**
   * Throws `NotFound`. Changing `active` changes every SKU's availability there, so each SKU
   * with a row in the warehouse gets a change event.
   */
  updateWarehouse(code: string, change: WarehouseChange, at: Date): Promise<Warehouse>;
}

import type { InventoryChange, InventoryItem } from "../../domain/inventory/stock.ts";
import type { Page, PageRequest } from "../../domain/pagination.ts";

export interface InventoryListQuery extends PageRequest {
  /** Only items whose available quantity is at or below this. */
  readonly lowStock?: number;
}

/**
 * Stock and prices (PostgreSQL owns them). Every change that alters price, stock, reserved
 * or active also records a change event for the search sync in the same atomic step.
 */
export interface InventoryStore {
  get(sku: string): Promise<InventoryItem | null>;
  getMany(skus: readonly string[]): Promise<InventoryItem[]>;
  list(query: InventoryListQuery): Promise<Page<InventoryItem>>;
  /** Throws `AlreadyExists` for a known SKU. */
  create(item: InventoryItem): Promise<InventoryItem>;
  /** Throws `NotFound`, or `InvalidStockLevel` when stock would drop below 0 or reserved. */
  adjust(sku: string, change: InventoryChange, at: Date): Promise<InventoryItem>;
  /** Marks the SKU as no longer sold; keeps the row for order history. Throws `NotFound`. */
  discontinue(sku: string, at: Date): Promise<InventoryItem>;
}

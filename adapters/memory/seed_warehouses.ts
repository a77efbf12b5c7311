/** Demo warehouses and how the seed splits stock between them. */
import type { InventoryItem } from "../../domain/inventory/stock.ts";
import type { Warehouse } from "../../domain/inventory/warehouse.ts";

/** The demo warehouses: `main` (tried first) and `east`. */
export const SEED_WAREHOUSES: readonly Warehouse[] = [
  { code: "main", name: "Main warehouse", country: "US", priority: 100, active: true },
  { code: "east", name: "East coast", country: "US", priority: 200, active: true },
];

/** The seed's low-stock threshold of a row in `east`. */
export const SEED_EAST_THRESHOLD = 3;

/**
 * Units of a seed SKU kept in `east` (the rest stay in `main`): half of the monitors',
 * shoes' and t-shirt variants' stock when they hold 10 or more, so an order of more than what
 * `main` holds is allocated from both warehouses.
 */
export function seedEastStock(item: Pick<InventoryItem, "sku" | "stock">): number {
  const split = ["MON-", "SHO-", "TSH-"].some((prefix) => item.sku.startsWith(prefix));
  return split && item.stock >= 10 ? Math.floor(item.stock / 2) : 0;
}

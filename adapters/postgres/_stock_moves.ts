/** Stock moves of the order store: exactly the allocated rows, under the one lock order. */
import { NotFound } from "../../domain/errors.ts";
import {
  type Allocation,
  moveAllocated,
  type StockMove,
} from "../../domain/inventory/allocation.ts";
import { type InventoryItem, touch } from "../../domain/inventory/stock.ts";
import { levelKey, type StockLevel, type Warehouse } from "../../domain/inventory/warehouse.ts";
import type { Order } from "../../domain/ordering/order.ts";
import type { Tx } from "./_db.ts";
import { lockInventory, writeInventory } from "./_rows.ts";
import {
  lockLevels,
  readAllocations,
  readWarehouses,
  totalsFrom,
  writeLevels,
} from "./_stock_rows.ts";

/**
 * Moves exactly the allocated rows of each of `orders`: locks the SKUs' inventory rows, then
 * their stock rows (the lock order), applies `move` order by order (so each SKU's version grows
 * once per order, as in the in-memory store) and writes the changed rows and items. Computes
 * everything before writing, so a failure leaves all stock untouched.
 */
export async function moveStock(
  tx: Tx,
  orders: readonly Order[],
  move: StockMove,
  at: Date,
): Promise<void> {
  const allocations = await readAllocations(tx, orders.map((o) => o.id));
  const skus = [...new Set([...allocations.values()].flat().map((a) => a.sku))];
  const [items, levels, warehouses] = await Promise.all([
    lockInventory(tx, skus, { totals: false }),
    lockLevels(tx, skus),
    readWarehouses(tx),
  ]);
  const touched = new Map<string, InventoryItem>();
  const moved = new Map<string, StockLevel>();
  for (const order of orders) {
    const step = applyMove(items, levels, warehouses, allocations.get(order.id) ?? [], move, at);
    for (const item of step.touched) touched.set(item.sku, item);
    for (const level of step.moved) moved.set(levelKey(level.sku, level.warehouse), level);
  }
  await Promise.all([
    writeInventory(tx, [...touched.values()]),
    writeLevels(tx, [...moved.values()]),
  ]);
}

/**
 * Applies `move` to the allocated rows, updating `levels` and `items` in place (new totals,
 * version + 1 at `at` per SKU touched); returns what changed.
 */
export function applyMove(
  items: Map<string, InventoryItem>,
  levels: Map<string, StockLevel>,
  warehouses: readonly Warehouse[],
  allocations: readonly Allocation[],
  move: StockMove,
  at: Date,
): { touched: InventoryItem[]; moved: StockLevel[] } {
  const moved = moveAllocated(levels, allocations, move);
  for (const level of moved) levels.set(levelKey(level.sku, level.warehouse), level);
  const touched = [...new Set(moved.map((l) => l.sku))].map((sku) => {
    const item = items.get(sku);
    if (!item) throw new NotFound("inventory item", sku);
    const next = touch(item, at, totalsFrom(sku, levels, warehouses));
    items.set(sku, next);
    return next;
  });
  return { touched, moved };
}

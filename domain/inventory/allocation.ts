/**
 * Which warehouses serve an order. Pure: both order stores call it under their locks and then
 * apply the result with `moveAllocated`, so the fake and PostgreSQL follow one rule.
 */
import { InsufficientStock } from "../errors.ts";
import { type InventoryItem, isSellable, type StockLine } from "./stock.ts";
import {
  allocationOrder,
  byLevelKey,
  checkedLevel,
  levelAvailable,
  levelKey,
  type StockLevel,
  type Warehouse,
} from "./warehouse.ts";

/** `qty` units of `sku` held (then shipped) from `warehouse` for one order. */
export interface Allocation {
  readonly sku: string;
  readonly warehouse: string;
  readonly qty: number;
}

/**
 * Allocates merged `lines` to active warehouses:
 * 1. one warehouse that can fill the whole order, the first in priority order;
 * 2. otherwise each line from the first warehouse (priority order) that can fill that line;
 * 3. a line no single warehouse can fill is split over warehouses in priority order.
 * Throws `InsufficientStock` naming every SKU that is unknown, not on sale at `at`, or short
 * over all active warehouses. Returns allocations sorted by SKU, then warehouse.
 */
export function allocate(
  lines: readonly StockLine[],
  items: ReadonlyMap<string, Pick<InventoryItem, "active" | "publishedAt">>,
  levels: Iterable<StockLevel>,
  warehouses: Iterable<Warehouse>,
  at: Date,
): Allocation[] {
  const order = allocationOrder(warehouses);
  const free = new Map<string, number>();
  for (const l of levels) free.set(levelKey(l.sku, l.warehouse), levelAvailable(l));
  const freeIn = (sku: string, w: Warehouse) => free.get(levelKey(sku, w.code)) ?? 0;

  const short = lines.filter(({ sku, qty }) => {
    const item = items.get(sku);
    if (!item || !isSellable(item, at)) return true;
    return order.reduce((sum, w) => sum + freeIn(sku, w), 0) < qty;
  }).map((l) => l.sku);
  if (short.length > 0) throw new InsufficientStock(short);

  const whole = order.find((w) => lines.every(({ sku, qty }) => freeIn(sku, w) >= qty));
  if (whole) return lines.map(({ sku, qty }) => ({ sku, warehouse: whole.code, qty }));

  const result: Allocation[] = [];
  for (const { sku, qty } of lines) {
    const one = order.find((w) => freeIn(sku, w) >= qty);
    if (one) {
      result.push({ sku, warehouse: one.code, qty });
      continue;
    }
    let left = qty;
    for (const w of order) {
      const take = Math.min(left, freeIn(sku, w));
      if (take <= 0) continue;
      result.push({ sku, warehouse: w.code, qty: take });
      left -= take;
      if (left === 0) break;
    }
  }
  return result.sort(byLevelKey);
}

/** What happens to allocated units: held, let go, shipped, or returned after shipping. */
export type StockMove = "reserve" | "release" | "deduct" | "restock";

/**
 * Applies `move` to exactly the allocated rows and returns the changed levels (one per row,
 * sorted by SKU and warehouse). Throws `InvalidStockLevel` when a row would
 * break `0 <= reserved <= stock`, and `RangeError` when a row is missing; computes everything
 * first, so a failure changes nothing.
 */
export function moveAllocated(
  levels: ReadonlyMap<string, StockLevel>,
  allocations: readonly Allocation[],
  move: StockMove,
): StockLevel[] {
  const next = new Map<string, StockLevel>();
  for (const a of allocations) {
    const key = levelKey(a.sku, a.warehouse);
    const level = next.get(key) ?? levels.get(key);
    if (!level) throw new RangeError(`no stock row for ${a.sku} in ${a.warehouse}`);
    next.set(key, checkedLevel(level, MOVES[move](level, a.qty)));
  }
  return [...next.values()].sort(byLevelKey);
}

const MOVES: Record<StockMove, (l: StockLevel, qty: number) => Partial<StockLevel>> = {
  reserve: (l, qty) => ({ reserved: l.reserved + qty }),
  release: (l, qty) => ({ reserved: l.reserved - qty }),
  deduct: (l, qty) => ({ stock: l.stock - qty, reserved: l.reserved - qty }),
  restock: (l, qty) => ({ stock: l.stock + qty }),
};

/** Warehouses, stock levels and allocations as PostgreSQL rows (see migration 0007). */
import { z } from "zod";
import type { Allocation } from "../../domain/inventory/allocation.ts";
import {
  levelKey,
  type StockLevel,
  totalsOf,
  type Warehouse,
} from "../../domain/inventory/warehouse.ts";
import { type Db, int, parseRow, type Tx } from "./_db.ts";

const WarehouseRow = z.object({
  code: z.string(),
  name: z.string(),
  country: z.string(),
  priority: int,
  active: z.boolean(),
});

export function toWarehouse(row: unknown): Warehouse {
  return parseRow(WarehouseRow, row, "warehouses");
}

export async function readWarehouses(db: Db): Promise<Warehouse[]> {
  const rows = await db`
    SELECT code, name, country, priority, active FROM warehouses ORDER BY priority, code`;
  return rows.map(toWarehouse);
}

const LevelRow = z.object({
  sku: z.string(),
  warehouse: z.string(),
  stock: int,
  reserved: int,
  low_stock_threshold: int,
});

export function toStockLevel(row: unknown): StockLevel {
  const r = parseRow(LevelRow, row, "stock_levels");
  return {
    sku: r.sku,
    warehouse: r.warehouse,
    stock: r.stock,
    reserved: r.reserved,
    lowStockThreshold: r.low_stock_threshold,
  };
}

/**
 * Every warehouse row of `skus`, locked FOR UPDATE in (sku, warehouse) order: the lock order
 * of stock rows, taken after the SKUs' inventory rows.
 */
export async function lockLevels(
  tx: Tx,
  skus: readonly string[],
): Promise<Map<string, StockLevel>> {
  if (skus.length === 0) return new Map();
  const rows = await tx`
    SELECT sku, warehouse, stock, reserved, low_stock_threshold FROM stock_levels
    WHERE sku = ANY(${[...new Set(skus)]}::text[])
    ORDER BY sku, warehouse
    FOR UPDATE`;
  return new Map(rows.map((r) => {
    const level = toStockLevel(r);
    return [levelKey(level.sku, level.warehouse), level];
  }));
}

/** Inserts or overwrites rows (already locked when they exist). */
export async function writeLevels(tx: Tx, levels: readonly StockLevel[]): Promise<void> {
  if (levels.length === 0) return;
  await levelsUpsert(tx, levels);
}

/** The statement `writeLevels` runs, also usable inside a `WITH`. */
export function levelsUpsert(db: Db, levels: readonly StockLevel[]) {
  return db`
    INSERT INTO stock_levels (sku, warehouse, stock, reserved, low_stock_threshold)
    SELECT * FROM unnest(
      ${levels.map((l) => l.sku)}::text[],
      ${levels.map((l) => l.warehouse)}::text[],
      ${levels.map((l) => l.stock)}::int[],
      ${levels.map((l) => l.reserved)}::int[],
      ${levels.map((l) => l.lowStockThreshold)}::int[]
    )
    ON CONFLICT (sku, warehouse) DO UPDATE SET stock = excluded.stock,
      reserved = excluded.reserved, low_stock_threshold = excluded.low_stock_threshold`;
}

/** The insert of an order's allocations, a statement of its own or inside a `WITH`. */
export function allocationsInsert(db: Db, orderId: string, allocations: readonly Allocation[]) {
  return db`
    INSERT INTO order_allocations (order_id, sku, warehouse, qty)
    SELECT ${orderId}, v.* FROM unnest(
      ${allocations.map((a) => a.sku)}::text[],
      ${allocations.map((a) => a.warehouse)}::text[],
      ${allocations.map((a) => a.qty)}::int[]
    ) AS v`;
}

const AllocationRow = z.object({
  order_id: z.string(),
  sku: z.string(),
  warehouse: z.string(),
  qty: int,
});

/** Allocations of `orderIds`, per order, by SKU then warehouse. */
export async function readAllocations(
  db: Db,
  orderIds: readonly string[],
): Promise<Map<string, Allocation[]>> {
  const byOrder = new Map<string, Allocation[]>(orderIds.map((id) => [id, []]));
  if (orderIds.length === 0) return byOrder;
  const rows = await db`
    SELECT order_id, sku, warehouse, qty FROM order_allocations
    WHERE order_id = ANY(${[...orderIds]}::text[])
    ORDER BY order_id, sku, warehouse`;
  for (const row of rows) {
    const r = parseRow(AllocationRow, row, "order_allocations");
    byOrder.get(r.order_id)?.push({ sku: r.sku, warehouse: r.warehouse, qty: r.qty });
  }
  return byOrder;
}

/** A SKU's totals over active warehouses, from its (locked) rows. */
export function totalsFrom(
  sku: string,
  levels: ReadonlyMap<string, StockLevel>,
  warehouses: readonly Warehouse[],
): { stock: number; reserved: number } {
  const active = new Set(warehouses.filter((w) => w.active).map((w) => w.code));
  return totalsOf([...levels.values()].filter((l) => l.sku === sku), (c) => active.has(c));
}

/**
 * Warehouses hold stock. Stock, reserved units and the low-stock threshold are kept per
 * (SKU, warehouse) in a `StockLevel`; price, name and publication stay per SKU.
 */
import { InvalidStockLevel } from "../errors.ts";

/** Where existing stock lives after the move to warehouses, and where a new SKU's stock goes. */
export const DEFAULT_WAREHOUSE = "main";

export interface Warehouse {
  /** Lowercase letters, digits, `-` and `_`; never changes. */
  readonly code: string;
  readonly name: string;
  /** ISO 3166-1 alpha-2 (`US`, `DE`). */
  readonly country: string;
  /** Allocation order: a smaller number is tried first (ties by code). */
  readonly priority: number;
  /** An inactive warehouse keeps its rows but sells nothing and counts for no availability. */
  readonly active: boolean;
}

export interface WarehouseChange {
  readonly name?: string;
  readonly country?: string;
  readonly priority?: number;
  readonly active?: boolean;
}

export function applyWarehouseChange(w: Warehouse, change: WarehouseChange): Warehouse {
  return {
    code: w.code,
    name: change.name ?? w.name,
    country: change.country ?? w.country,
    priority: change.priority ?? w.priority,
    active: change.active ?? w.active,
  };
}

/** Priority, then code: allocation order, and the order warehouses are listed in. */
export function byPriority(a: Warehouse, b: Warehouse): number {
  return a.priority - b.priority || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

/** Active warehouses in allocation order. */
export function allocationOrder(warehouses: Iterable<Warehouse>): Warehouse[] {
  return [...warehouses].filter((w) => w.active).sort(byPriority);
}

/** Stock of one SKU in one warehouse; `0 <= reserved <= stock`. */
export interface StockLevel {
  readonly sku: string;
  readonly warehouse: string;
  readonly stock: number;
  readonly reserved: number;
  /** `lowStock=true` listings show the row when `available <= lowStockThreshold`. */
  readonly lowStockThreshold: number;
}

export function levelKey(sku: string, warehouse: string): string {
  return `${sku}\u0000${warehouse}`;
}

export function levelAvailable(level: Pick<StockLevel, "stock" | "reserved">): number {
  return level.stock - level.reserved;
}

export function isLowStock(level: StockLevel): boolean {
  return levelAvailable(level) <= level.lowStockThreshold;
}

/** Sorts by SKU, then warehouse code: the one lock order of stock rows. */
export function byLevelKey(
  a: Pick<StockLevel, "sku" | "warehouse">,
  b: Pick<StockLevel, "sku" | "warehouse">,
): number {
  if (a.sku !== b.sku) return a.sku < b.sku ? -1 : 1;
  return a.warehouse < b.warehouse ? -1 : a.warehouse > b.warehouse ? 1 : 0;
}

export function emptyLevel(sku: string, warehouse: string): StockLevel {
  return { sku, warehouse, stock: 0, reserved: 0, lowStockThreshold: 0 };
}

/** A level with new figures; throws `InvalidStockLevel` unless `0 <= reserved <= stock`. */
export function checkedLevel(level: StockLevel, patch: Partial<StockLevel>): StockLevel {
  const next = { ...level, ...patch };
  const { stock, reserved, lowStockThreshold } = next;
  if (
    !Number.isSafeInteger(stock) || !Number.isSafeInteger(reserved) || reserved < 0 ||
    reserved > stock
  ) {
    throw new InvalidStockLevel(level.sku, stock, reserved);
  }
  if (!Number.isSafeInteger(lowStockThreshold) || lowStockThreshold < 0) {
    throw new RangeError(`lowStockThreshold must be a non-negative integer`);
  }
  return next;
}

/** Admin change of one row: absolute `stock` or relative `delta`, and the threshold. */
export interface LevelChange {
  readonly stock?: number;
  readonly delta?: number;
  readonly lowStockThreshold?: number;
}

export function applyLevelChange(level: StockLevel, change: LevelChange): StockLevel {
  return checkedLevel(level, {
    stock: change.stock ?? level.stock + (change.delta ?? 0),
    lowStockThreshold: change.lowStockThreshold ?? level.lowStockThreshold,
  });
}

/**
 * What shoppers see for one SKU: stock and reserved summed over ACTIVE warehouses.
 * `active` maps a warehouse code to whether it is active (unknown codes count as inactive).
 */
export function totalsOf(
  levels: Iterable<StockLevel>,
  active: (warehouse: string) => boolean,
): { stock: number; reserved: number } {
  let stock = 0;
  let reserved = 0;
  for (const l of levels) {
    if (!active(l.warehouse)) continue;
    stock += l.stock;
    reserved += l.reserved;
  }
  return { stock, reserved };
}

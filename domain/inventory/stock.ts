import { InsufficientStock, InvalidStockLevel } from "../errors.ts";

/**
 * Stock for one SKU. `reserved` units are held by pending orders;
 * `0 <= reserved <= stock` always holds, so `available` is never negative.
 */
export interface InventoryItem {
  readonly sku: string;
  readonly name: string;
  readonly unitPriceCents: number;
  readonly currency: string;
  readonly stock: number;
  readonly reserved: number;
  /** False once the product is deleted: kept for order history, no longer sold. */
  readonly active: boolean;
  /** Increments on every change; orders derived copies (search, caches). */
  readonly version: number;
  readonly updatedAt: Date;
}

export interface StockLine {
  readonly sku: string;
  readonly qty: number;
}

export interface InventoryChange {
  readonly stock?: number;
  readonly delta?: number;
  readonly unitPriceCents?: number;
  readonly name?: string;
}

export function available(item: Pick<InventoryItem, "stock" | "reserved">): number {
  return item.stock - item.reserved;
}

export function isValidLevel(stock: number, reserved: number): boolean {
  return Number.isSafeInteger(stock) && Number.isSafeInteger(reserved) && reserved >= 0 &&
    reserved <= stock;
}

function bump(item: InventoryItem, at: Date, patch: Partial<InventoryItem>): InventoryItem {
  const next = { ...item, ...patch, version: item.version + 1, updatedAt: at };
  if (!isValidLevel(next.stock, next.reserved)) {
    throw new InvalidStockLevel(item.sku, next.stock, next.reserved);
  }
  return next;
}

/** Merges repeated SKUs and drops nothing: `[{a,1},{a,2}]` becomes `[{a,3}]`, sorted by SKU. */
export function mergeLines(lines: readonly StockLine[]): StockLine[] {
  const bySku = new Map<string, number>();
  for (const { sku, qty } of lines) bySku.set(sku, (bySku.get(sku) ?? 0) + qty);
  return [...bySku].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([sku, qty]) => ({
    sku,
    qty,
  }));
}

/**
 * Reserves every line or none: returns the updated items, or throws `InsufficientStock`
 * naming every SKU that cannot be served. Lines must already be merged.
 */
export function reserveAll(
  items: ReadonlyMap<string, InventoryItem>,
  lines: readonly StockLine[],
  at: Date,
): InventoryItem[] {
  const short = lines.filter(({ sku, qty }) => {
    const item = items.get(sku);
    return !item || !item.active || available(item) < qty;
  }).map((l) => l.sku);
  if (short.length > 0) throw new InsufficientStock(short);
  return lines.map(({ sku, qty }) => {
    const item = items.get(sku)!;
    return bump(item, at, { reserved: item.reserved + qty });
  });
}

/** A pending order is cancelled or expired: its units become available again. */
export function release(item: InventoryItem, qty: number, at: Date): InventoryItem {
  return bump(item, at, { reserved: item.reserved - qty });
}

/** A pending order is paid: its reserved units leave the warehouse. */
export function deduct(item: InventoryItem, qty: number, at: Date): InventoryItem {
  return bump(item, at, { stock: item.stock - qty, reserved: item.reserved - qty });
}

/** A paid order is refunded: its units return to stock. */
export function restock(item: InventoryItem, qty: number, at: Date): InventoryItem {
  return bump(item, at, { stock: item.stock + qty });
}

/** Admin change: absolute `stock` or relative `delta`, price and name. */
export function applyChange(item: InventoryItem, change: InventoryChange, at: Date): InventoryItem {
  const stock = change.stock ?? item.stock + (change.delta ?? 0);
  return bump(item, at, {
    stock,
    unitPriceCents: change.unitPriceCents ?? item.unitPriceCents,
    name: change.name ?? item.name,
  });
}

export function discontinue(item: InventoryItem, at: Date): InventoryItem {
  return bump(item, at, { active: false });
}

export function newInventoryItem(
  input: Pick<InventoryItem, "sku" | "name" | "unitPriceCents" | "currency" | "stock">,
  at: Date,
): InventoryItem {
  if (!isValidLevel(input.stock, 0)) throw new InvalidStockLevel(input.sku, input.stock, 0);
  return { ...input, reserved: 0, active: true, version: 1, updatedAt: at };
}

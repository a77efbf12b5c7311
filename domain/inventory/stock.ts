import { isPublished } from "../catalog/publication.ts";
import { InsufficientStock, InvalidStockLevel } from "../errors.ts";

/**
 * Stock for one SKU. `reserved` units are held by pending orders;
 * `0 <= reserved <= stock` always holds, so `available` is never negative.
 */
export interface InventoryItem {
  readonly sku: string;
  /** The product this SKU sells: `sku` itself for a product sold under its own SKU. */
  readonly productSku: string;
  /** The variant's label ("Blue / L"); null for a product sold under its own SKU. */
  readonly variantLabel: string | null;
  readonly name: string;
  readonly unitPriceCents: number;
  readonly currency: string;
  readonly stock: number;
  readonly reserved: number;
  /** False once the product is deleted: kept for order history, no longer sold. */
  readonly active: boolean;
  /**
   * Copy of the catalog's `publishedAt`, written by the catalog use cases with the name and
   * price, so checkout decides "is it on sale" from PostgreSQL alone. Null: a draft.
   */
  readonly publishedAt: Date | null;
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
  /** Absent: unchanged; null unpublishes. */
  readonly publishedAt?: Date | null;
  /** A variant's new label (the catalog renamed it); absent: unchanged. */
  readonly variantLabel?: string;
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

/** On sale at `at`: not deleted, and published (not a draft, not scheduled for later). */
export function isSellable(item: Pick<InventoryItem, "active" | "publishedAt">, at: Date): boolean {
  return item.active && isPublished(item.publishedAt, at);
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
 * naming every SKU that cannot be served (unknown, deleted, not yet published at `at`, or
 * short). Lines must already be merged.
 */
export function reserveAll(
  items: ReadonlyMap<string, InventoryItem>,
  lines: readonly StockLine[],
  at: Date,
): InventoryItem[] {
  const short = lines.filter(({ sku, qty }) => {
    const item = items.get(sku);
    return !item || !isSellable(item, at) || available(item) < qty;
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

/** Admin change: absolute `stock` or relative `delta`, price, name and publication time. */
export function applyChange(item: InventoryItem, change: InventoryChange, at: Date): InventoryItem {
  const stock = change.stock ?? item.stock + (change.delta ?? 0);
  return bump(item, at, {
    stock,
    unitPriceCents: change.unitPriceCents ?? item.unitPriceCents,
    name: change.name ?? item.name,
    publishedAt: change.publishedAt === undefined ? item.publishedAt : change.publishedAt,
    variantLabel: change.variantLabel ?? item.variantLabel,
  });
}

export function discontinue(item: InventoryItem, at: Date): InventoryItem {
  return bump(item, at, { active: false });
}

/**
 * `publishedAt` defaults to `at`: on sale from its creation, as a new product is. `productSku`
 * defaults to `sku` and `variantLabel` to null: a product sold under its own SKU.
 */
export function newInventoryItem(
  input:
    & Pick<InventoryItem, "sku" | "name" | "unitPriceCents" | "currency" | "stock">
    & {
      readonly publishedAt?: Date | null;
      readonly productSku?: string;
      readonly variantLabel?: string | null;
    },
  at: Date,
): InventoryItem {
  if (!isValidLevel(input.stock, 0)) throw new InvalidStockLevel(input.sku, input.stock, 0);
  return {
    ...input,
    productSku: input.productSku ?? input.sku,
    variantLabel: input.variantLabel ?? null,
    publishedAt: input.publishedAt === undefined ? at : input.publishedAt,
    reserved: 0,
    active: true,
    version: 1,
    updatedAt: at,
  };
}

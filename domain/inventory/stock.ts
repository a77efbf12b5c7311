import { isPublished } from "../catalog/publication.ts";
import { InvalidStockLevel } from "../errors.ts";

/**
 * One SKU: price, name, publication, and its stock summed over active warehouses. `reserved`
 * units are held by pending orders; `0 <= reserved <= stock` holds per warehouse row (see
 * `StockLevel`), so it holds for the sums and `available` is never negative.
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

/**
 * An admin change: `stock`/`delta`/`lowStockThreshold` apply to one warehouse's row
 * (`warehouse`, default `main`); price, name and publication to the SKU.
 */
export interface InventoryChange {
  readonly warehouse?: string;
  readonly stock?: number;
  readonly delta?: number;
  readonly lowStockThreshold?: number;
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
 * A change of stock in some warehouse, or of the SKU itself: the new version, at `at`. The
 * levels live in `StockLevel` rows; `stock` and `reserved` are the totals over active
 * warehouses, recomputed by the stores.
 */
export function touch(
  item: InventoryItem,
  at: Date,
  totals: Pick<InventoryItem, "stock" | "reserved"> = item,
): InventoryItem {
  return bump(item, at, { stock: totals.stock, reserved: totals.reserved });
}

/** Admin change of the SKU: price, name and publication time (stock lives per warehouse). */
export function applyChange(item: InventoryItem, change: InventoryChange, at: Date): InventoryItem {
  return bump(item, at, {
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

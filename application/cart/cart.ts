import type { CartLines } from "../../domain/cart/cart.ts";
import { CurrencyMismatch, InsufficientStock, NotFound } from "../../domain/errors.ts";
import { available, isSellable } from "../../domain/inventory/stock.ts";
import type { InventoryItem } from "../../domain/inventory/stock.ts";
import { DEFAULT_CURRENCY, lineTotalCents, sumCents } from "../../domain/money.ts";
import type { CartStore } from "../../ports/cart/carts.ts";
import type { Clock } from "../../ports/clock.ts";
import type { InventoryStore } from "../../ports/inventory/inventory.ts";
import type { Catalog } from "../../ports/catalog/catalog.ts";
import { assertNotSoldInVariants } from "../catalog/variant_required.ts";

export interface CartDeps {
  readonly carts: CartStore;
  readonly inventory: InventoryStore;
  /** Read only when a SKU is refused, to tell a product sold in variants (`VariantRequired`). */
  readonly catalog: Pick<Catalog, "get">;
  readonly clock: Clock;
}

export interface CartItemView {
  readonly sku: string;
  /** The product the SKU sells, and the variant's label (null without variants). */
  readonly productSku: string;
  readonly variantLabel: string | null;
  readonly name: string;
  readonly qty: number;
  readonly unitPriceCents: number;
  readonly lineTotalCents: number;
  readonly available: number;
}

export interface CartView {
  readonly items: readonly CartItemView[];
  readonly totalCents: number;
  readonly currency: string;
}

type InventoryBySku = ReadonlyMap<string, InventoryItem>;

async function inventoryOf(deps: CartDeps, skus: readonly string[]): Promise<InventoryBySku> {
  if (skus.length === 0) return new Map();
  return new Map((await deps.inventory.getMany(skus)).map((i) => [i.sku, i]));
}

/** `known` saves reading again what the caller just read; only other SKUs are fetched. */
async function viewOf(
  deps: CartDeps,
  lines: CartLines,
  known: InventoryBySku = new Map(),
): Promise<CartView> {
  const skus = Object.keys(lines).sort();
  const missing = skus.filter((sku) => !known.has(sku));
  const bySku = new Map([...known, ...await inventoryOf(deps, missing)]);
  const items = skus.map((sku): CartItemView => {
    const item = bySku.get(sku);
    const unitPriceCents = item?.unitPriceCents ?? 0;
    return {
      sku,
      productSku: item?.productSku ?? sku,
      variantLabel: item?.variantLabel ?? null,
      name: item?.name ?? "Product unavailable",
      qty: lines[sku],
      unitPriceCents,
      lineTotalCents: lineTotalCents(unitPriceCents, lines[sku]),
      available: item?.active ? available(item) : 0,
    };
  });
  const currency = bySku.values().next().value?.currency ?? DEFAULT_CURRENCY;
  return { items, totalCents: sumCents(items.map((i) => i.lineTotalCents)), currency };
}

/**
 * The item, if it is on sale now; a product sold in variants is `VariantRequired`, anything
 * else not on sale (deleted, draft, scheduled, retired) counts as unknown.
 */
async function sellable(
  deps: CartDeps,
  item: InventoryItem | null | undefined,
  sku: string,
): Promise<InventoryItem> {
  if (item && isSellable(item, deps.clock.now())) return item;
  if (item) await assertNotSoldInVariants(deps.catalog, sku);
  throw new NotFound("product", sku);
}

/**
 * A cart holds one currency: `item` must be priced like the lines already in it, or the write
 * is `CurrencyMismatch`. (Two racing writes may still mix; placing the order refuses that.)
 */
function assertCartCurrency(lines: CartLines, known: InventoryBySku, item: InventoryItem): void {
  for (const sku of Object.keys(lines)) {
    const other = known.get(sku);
    if (sku !== item.sku && other && other.currency !== item.currency) {
      throw new CurrencyMismatch(item.sku, other.currency, item.currency);
    }
  }
}

export async function getCart(deps: CartDeps, userId: string): Promise<CartView> {
  return viewOf(deps, await deps.carts.get(userId));
}

/**
 * Adds `qty` to the line. The cart may not ask for more than is available now. One inventory
 * read serves both the check and the reply (this is the busiest write a shop takes).
 */
export async function addToCart(
  deps: CartDeps,
  userId: string,
  input: { sku: string; qty: number },
): Promise<CartView> {
  const lines = await deps.carts.get(userId);
  const known = await inventoryOf(deps, [...new Set([...Object.keys(lines), input.sku])]);
  const item = await sellable(deps, known.get(input.sku), input.sku);
  assertCartCurrency(lines, known, item);
  const current = lines[input.sku] ?? 0;
  if (current + input.qty > available(item)) throw new InsufficientStock([input.sku]);
  return viewOf(deps, await deps.carts.add(userId, input.sku, input.qty), known);
}

/** Sets the line's quantity; 0 removes it. */
export async function setCartItem(
  deps: CartDeps,
  userId: string,
  input: { sku: string; qty: number },
): Promise<CartView> {
  if (input.qty === 0) return viewOf(deps, await deps.carts.remove(userId, input.sku));
  const item = await sellable(deps, await deps.inventory.get(input.sku), input.sku);
  const lines = await deps.carts.get(userId);
  assertCartCurrency(lines, await inventoryOf(deps, Object.keys(lines)), item);
  if (input.qty > available(item)) throw new InsufficientStock([input.sku]);
  return viewOf(deps, await deps.carts.set(userId, input.sku, input.qty));
}

export async function removeCartItem(
  deps: CartDeps,
  userId: string,
  sku: string,
): Promise<CartView> {
  const lines = await deps.carts.get(userId);
  if (lines[sku] === undefined) throw new NotFound("cart item", sku);
  return viewOf(deps, await deps.carts.remove(userId, sku));
}

export async function clearCart(deps: Pick<CartDeps, "carts">, userId: string): Promise<void> {
  await deps.carts.clear(userId);
}

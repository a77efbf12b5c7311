import type { CartLines } from "../../domain/cart/cart.ts";
import {
  CurrencyMismatch,
  InsufficientStock,
  NotFound,
  PreconditionFailed,
} from "../../domain/errors.ts";
import { available, isSellable } from "../../domain/inventory/stock.ts";
import type { InventoryItem } from "../../domain/inventory/stock.ts";
import { DEFAULT_CURRENCY, lineTotalCents, sumCents } from "../../domain/money.ts";
import {
  type CartOwner,
  type CartStore,
  userCart,
  type VersionedCart,
  type WriteCondition,
} from "../../ports/cart/carts.ts";
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
  /** The cart's version (the HTTP adapter's ETag); 0 for a user cart never written. */
  readonly version: number;
}

/** Whose cart: a `CartOwner`, or a user id (the signed-in user's cart). */
export type CartRef = CartOwner | string;

export function ownerOf(ref: CartRef): CartOwner {
  return typeof ref === "string" ? userCart(ref) : ref;
}

export type InventoryBySku = ReadonlyMap<string, InventoryItem>;

export async function inventoryOf(
  deps: CartDeps,
  skus: readonly string[],
): Promise<InventoryBySku> {
  if (skus.length === 0) return new Map();
  return new Map((await deps.inventory.getMany(skus)).map((i) => [i.sku, i]));
}

/** `known` saves reading again what the caller just read; only other SKUs are fetched. */
export async function viewOf(
  deps: CartDeps,
  cart: VersionedCart,
  known: InventoryBySku = new Map(),
): Promise<CartView> {
  const { lines, version } = cart;
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
  return { items, totalCents: sumCents(items.map((i) => i.lineTotalCents)), currency, version };
}

/**
 * The item, if it is on sale now; a product sold in variants is `VariantRequired`, anything
 * else not on sale (deleted, draft, scheduled, retired) counts as unknown.
 */
export async function sellable(
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
export function assertCartCurrency(
  lines: CartLines,
  known: InventoryBySku,
  item: InventoryItem,
): void {
  for (const sku of Object.keys(lines)) {
    const other = known.get(sku);
    if (sku !== item.sku && other && other.currency !== item.currency) {
      throw new CurrencyMismatch(item.sku, other.currency, item.currency);
    }
  }
}

export async function getCart(deps: CartDeps, ref: CartRef): Promise<CartView> {
  return viewOf(deps, await deps.carts.get(ownerOf(ref)));
}

/**
 * Runs a write. A cart that moved past `when.ifVersion` (seen on the read before the write, or
 * by the store's atomic check) is `PreconditionFailed` carrying the current cart's view.
 */
async function conditional(
  deps: CartDeps,
  when: WriteCondition,
  read: VersionedCart,
  write: () => Promise<VersionedCart>,
  known?: InventoryBySku,
): Promise<CartView> {
  if (when.ifVersion !== undefined && when.ifVersion !== read.version) {
    return stale(deps, read, known);
  }
  try {
    return await viewOf(deps, await write(), known);
  } catch (error) {
    if (!(error instanceof PreconditionFailed)) throw error;
    return stale(deps, error.current as VersionedCart, known);
  }
}

async function stale(
  deps: CartDeps,
  current: VersionedCart,
  known?: InventoryBySku,
): Promise<never> {
  throw new PreconditionFailed("cart", current.version, await viewOf(deps, current, known));
}

/**
 * Adds `qty` to the line. The cart may not ask for more than is available now. One inventory
 * read serves both the check and the reply (this is the busiest write a shop takes).
 */
export async function addToCart(
  deps: CartDeps,
  ref: CartRef,
  input: { sku: string; qty: number },
  when: WriteCondition = {},
): Promise<CartView> {
  const owner = ownerOf(ref);
  const cart = await deps.carts.get(owner);
  const { lines } = cart;
  const known = await inventoryOf(deps, [...new Set([...Object.keys(lines), input.sku])]);
  if (when.ifVersion !== undefined && when.ifVersion !== cart.version) {
    return stale(deps, cart, known);
  }
  const item = await sellable(deps, known.get(input.sku), input.sku);
  assertCartCurrency(lines, known, item);
  const current = lines[input.sku] ?? 0;
  if (current + input.qty > available(item)) throw new InsufficientStock([input.sku]);
  const write = () => deps.carts.add(owner, input.sku, input.qty, when);
  return conditional(deps, when, cart, write, known);
}

/** Sets the line's quantity; 0 removes it. */
export async function setCartItem(
  deps: CartDeps,
  ref: CartRef,
  input: { sku: string; qty: number },
  when: WriteCondition = {},
): Promise<CartView> {
  const owner = ownerOf(ref);
  if (input.qty === 0) {
    const cart = await deps.carts.get(owner);
    return conditional(deps, when, cart, () => deps.carts.remove(owner, input.sku, when));
  }
  const item = await sellable(deps, await deps.inventory.get(input.sku), input.sku);
  const cart = await deps.carts.get(owner);
  if (when.ifVersion === undefined || when.ifVersion === cart.version) {
    assertCartCurrency(cart.lines, await inventoryOf(deps, Object.keys(cart.lines)), item);
    if (input.qty > available(item)) throw new InsufficientStock([input.sku]);
  }
  return conditional(deps, when, cart, () => deps.carts.set(owner, input.sku, input.qty, when));
}

export async function removeCartItem(
  deps: CartDeps,
  ref: CartRef,
  sku: string,
  when: WriteCondition = {},
): Promise<CartView> {
  const owner = ownerOf(ref);
  const cart = await deps.carts.get(owner);
  const stale = when.ifVersion !== undefined && when.ifVersion !== cart.version;
  if (!stale && cart.lines[sku] === undefined) throw new NotFound("cart item", sku);
  return conditional(deps, when, cart, () => deps.carts.remove(owner, sku, when));
}

/** Empties the cart; answers its new version. */
export async function clearCart(
  deps: CartDeps,
  ref: CartRef,
  when: WriteCondition = {},
): Promise<CartView> {
  const owner = ownerOf(ref);
  if (when.ifVersion === undefined) return viewOf(deps, await deps.carts.clear(owner));
  const cart = await deps.carts.get(owner);
  return conditional(deps, when, cart, () => deps.carts.clear(owner, when));
}

import type { StockLine } from "../inventory/stock.ts";

export const CART_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** A cart is SKU -> quantity; a quantity of 0 never appears. */
export type CartLines = Readonly<Record<string, number>>;

export function setLine(cart: CartLines, sku: string, qty: number): CartLines {
  const next = { ...cart };
  if (qty <= 0) delete next[sku];
  else next[sku] = qty;
  return next;
}

export function addLine(cart: CartLines, sku: string, qty: number): CartLines {
  return setLine(cart, sku, (cart[sku] ?? 0) + qty);
}

export function cartToLines(cart: CartLines): StockLine[] {
  return Object.entries(cart).map(([sku, qty]) => ({ sku, qty }));
}

/** Takes `lines` out of the cart; a line never goes below 0 and a missing SKU is ignored. */
export function subtractLines(cart: CartLines, lines: readonly StockLine[]): CartLines {
  let next = cart;
  for (const { sku, qty } of lines) {
    if (next[sku] !== undefined) next = setLine(next, sku, next[sku] - qty);
  }
  return next;
}

/** A guest cart (no account, a cart token) expires 7 days after its last change. */
export const GUEST_CART_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** No cart line holds more units than this (requests are limited to it; merges cap at it). */
export const MAX_LINE_QTY = 1_000;

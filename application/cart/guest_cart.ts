/** Guest carts: made by a first add without an account, merged into the user's cart at sign-in. */
import { MAX_LINE_QTY } from "../../domain/cart/cart.ts";
import { DependencyUnavailable, InsufficientStock } from "../../domain/errors.ts";
import { available, isSellable } from "../../domain/inventory/stock.ts";
import { guestCart, type MergeLine, userCart } from "../../ports/cart/carts.ts";
import type { CartOwner } from "../../ports/cart/carts.ts";
import type { IdGenerator } from "../../ports/ids.ts";
import { type CartDeps, type CartView, inventoryOf, sellable, viewOf } from "./cart.ts";

export interface GuestCartDeps extends CartDeps {
  readonly ids: IdGenerator;
}

/**
 * The store keys a guest cart by a SHA-256 of its token, so a dump of the store yields no
 * usable tokens (as sessions keep only a hash of theirs).
 */
export async function guestOwner(token: string): Promise<CartOwner> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return guestCart(
    Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join(""),
  );
}

/** A new guest cart holding one line, and the token that names it from now on. */
export async function createGuestCart(
  deps: GuestCartDeps,
  input: { sku: string; qty: number },
): Promise<{ readonly token: string; readonly cart: CartView }> {
  const item = await sellable(deps, await deps.inventory.get(input.sku), input.sku);
  if (input.qty > available(item)) throw new InsufficientStock([input.sku]);
  const token = deps.ids.token();
  const owner = await guestOwner(token);
  const created = await deps.carts.createGuest(owner.id, input.sku, input.qty);
  return { token, cart: await viewOf(deps, created, new Map([[item.sku, item]])) };
}

export type DropReason = "unavailable" | "out_of_stock" | "currency_mismatch";

/**
 * What a sign-in did with a guest cart. `merged`: lines added in full; `capped`: lines added
 * only up to `limit` (what is available, at most `MAX_LINE_QTY`), `merged` units of
 * `requested`; `dropped`: lines that cannot be sold now. `result` is `cart_not_found` for a
 * token that names no live guest cart (unknown, expired, used by another account),
 * `already_merged` when this account merged it before, `cart_unavailable` when the cart store
 * is down (the guest cart is kept; signing in again with the token retries).
 */
export interface CartMerge {
  readonly result: "merged" | "already_merged" | "cart_not_found" | "cart_unavailable";
  readonly merged: readonly { readonly sku: string; readonly qty: number }[];
  readonly capped: readonly {
    readonly sku: string;
    readonly requested: number;
    readonly merged: number;
    readonly limit: number;
  }[];
  readonly dropped: readonly {
    readonly sku: string;
    readonly qty: number;
    readonly reason: DropReason;
  }[];
}

const NOTHING = { merged: [], capped: [], dropped: [] } as const;

/**
 * Merges the guest cart named by `token` into the user's cart, once: the guest cart is claimed
 * for this user (atomic on its own key: of several sign-ins with one token, one account gets
 * it), then its lines are added to the user's cart in one atomic step that a second call for
 * the same guest cart skips, then the guest cart is deleted. Quantities add up, each capped at
 * what is available and at `MAX_LINE_QTY`; lines that cannot be sold now (unpublished, out of
 * stock, priced in another currency than the user's cart) are dropped. Never throws for a
 * missing cart or a store outage: signing in must not fail because of a cart.
 */
export async function mergeGuestCart(
  deps: CartDeps,
  userId: string,
  token: string,
): Promise<CartMerge> {
  try {
    return await merge(deps, userId, (await guestOwner(token)).id);
  } catch (error) {
    if (error instanceof DependencyUnavailable) return { result: "cart_unavailable", ...NOTHING };
    throw error;
  }
}

async function merge(deps: CartDeps, userId: string, guestId: string): Promise<CartMerge> {
  const guest = await deps.carts.claimGuest(guestId, userId);
  if (guest === null) return { result: "cart_not_found", ...NOTHING };
  const mine = (await deps.carts.get(userCart(userId))).lines;
  const known = await inventoryOf(deps, [
    ...new Set([...Object.keys(mine), ...Object.keys(guest)]),
  ]);
  const now = deps.clock.now();
  const guestSkus = Object.keys(guest).sort();
  const currency = Object.keys(mine).sort().map((sku) => known.get(sku)?.currency)
    .find((c) => c !== undefined) ??
    guestSkus.map((sku) => known.get(sku)).find((i) => i && isSellable(i, now))?.currency;
  const lines: MergeLine[] = [];
  const merged: { sku: string; qty: number }[] = [];
  const capped: { sku: string; requested: number; merged: number; limit: number }[] = [];
  const dropped: { sku: string; qty: number; reason: DropReason }[] = [];
  for (const sku of guestSkus) {
    const qty = guest[sku];
    const item = known.get(sku);
    if (!item || !isSellable(item, now)) {
      dropped.push({ sku, qty, reason: "unavailable" });
    } else if (item.currency !== currency) {
      dropped.push({ sku, qty, reason: "currency_mismatch" });
    } else if (available(item) <= 0) {
      dropped.push({ sku, qty, reason: "out_of_stock" });
    } else {
      const limit = Math.min(available(item), MAX_LINE_QTY);
      const before = mine[sku] ?? 0;
      lines.push({ sku, qty, max: limit });
      if (before + qty <= limit) merged.push({ sku, qty });
      else capped.push({ sku, requested: qty, merged: Math.max(0, limit - before), limit });
    }
  }
  const { applied } = await deps.carts.mergeInto(userId, guestId, lines);
  await deps.carts.discardGuest(guestId);
  return applied ? { result: "merged", merged, capped, dropped } : {
    result: "already_merged",
    ...NOTHING,
  };
}

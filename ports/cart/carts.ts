import type { CartLines } from "../../domain/cart/cart.ts";
import type { StockLine } from "../../domain/inventory/stock.ts";

/**
 * Whose cart: a signed-in user's (by user id, 30-day expiry) or a guest's (by an id derived
 * from the guest's cart token, 7-day expiry). Both expire after their last change.
 */
export type CartOwner =
  | { readonly kind: "user"; readonly id: string }
  | { readonly kind: "guest"; readonly id: string };

export function userCart(id: string): CartOwner {
  return { kind: "user", id };
}

export function guestCart(id: string): CartOwner {
  return { kind: "guest", id };
}

/**
 * A cart and its version. Every change (add, set, remove, clear, a subtract that takes
 * something, a merge) makes a new, higher version; a user cart never written has version 0.
 */
export interface VersionedCart {
  readonly lines: CartLines;
  readonly version: number;
}

/** A conditional write: applied only while the cart is still at `ifVersion`. */
export interface WriteCondition {
  readonly ifVersion?: number;
}

/** A guest line to merge: the user's line ends at min(current + qty, max), never below current. */
export interface MergeLine {
  readonly sku: string;
  readonly qty: number;
  readonly max: number;
}

/**
 * Carts (Redis in production). A user's cart exists implicitly (empty at version 0). A guest
 * cart exists only once `createGuest` made it: every other call on a guest cart that is unknown,
 * expired or claimed throws `CartNotFound`. A write whose `ifVersion` is not the cart's version
 * changes nothing and throws `PreconditionFailed("cart", version, current: VersionedCart)`; the
 * check and the write are one atomic step. Adapters throw `DependencyUnavailable` when down.
 */
export interface CartStore {
  get(owner: CartOwner): Promise<VersionedCart>;
  /** Atomically adds `qty` to the line and returns the cart. */
  add(owner: CartOwner, sku: string, qty: number, when?: WriteCondition): Promise<VersionedCart>;
  /** Sets the line; 0 removes it. */
  set(owner: CartOwner, sku: string, qty: number, when?: WriteCondition): Promise<VersionedCart>;
  remove(owner: CartOwner, sku: string, when?: WriteCondition): Promise<VersionedCart>;
  /** Empties the cart; a guest cart stays (its token still works), empty. */
  clear(owner: CartOwner, when?: WriteCondition): Promise<VersionedCart>;
  /**
   * Atomically takes `lines` out of the cart: each line's quantity drops by at most what it
   * holds (a line reaching 0 goes), lines not named stay, SKUs not in the cart are ignored.
   * Returns the cart.
   */
  subtract(owner: CartOwner, lines: readonly StockLine[]): Promise<VersionedCart>;
  /** Makes a new guest cart holding one line (version 1). */
  createGuest(guestId: string, sku: string, qty: number): Promise<VersionedCart>;
  /**
   * Atomically marks the guest cart as taken by `userId` and returns its lines: from then on
   * it answers no guest call. Null when it is unknown, expired or taken by another user; the
   * same user may take it again (a retried login) and gets the same lines.
   */
  claimGuest(guestId: string, userId: string): Promise<CartLines | null>;
  /**
   * Adds a claimed guest cart's lines to the user's cart in one atomic step, once per
   * `guestId`: a second call for the same guest changes nothing and answers `applied: false`.
   */
  mergeInto(
    userId: string,
    guestId: string,
    lines: readonly MergeLine[],
  ): Promise<{ readonly cart: VersionedCart; readonly applied: boolean }>;
  /** Deletes a guest cart (after its merge); harmless when already gone. */
  discardGuest(guestId: string): Promise<void>;
}

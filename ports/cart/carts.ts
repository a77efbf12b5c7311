import type { CartLines } from "../../domain/cart/cart.ts";
import type { StockLine } from "../../domain/inventory/stock.ts";

/**
 * One cart per user (Redis in production). Every write refreshes the 30-day expiry.
 * Adapters throw `DependencyUnavailable` when their store is down.
 */
export interface CartStore {
  get(userId: string): Promise<CartLines>;
  /** Atomically adds `qty` to the line and returns the cart. */
  add(userId: string, sku: string, qty: number): Promise<CartLines>;
  /** Sets the line; 0 removes it. */
  set(userId: string, sku: string, qty: number): Promise<CartLines>;
  remove(userId: string, sku: string): Promise<CartLines>;
  clear(userId: string): Promise<void>;
  /**
   * Atomically takes `lines` out of the cart: each line's quantity drops by at most what it
   * holds (a line reaching 0 goes), lines not named stay, SKUs not in the cart are ignored.
   * Returns the cart.
   */
  subtract(userId: string, lines: readonly StockLine[]): Promise<CartLines>;
}

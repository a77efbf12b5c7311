import type { CartLines } from "../domain/cart/cart.ts";

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
}

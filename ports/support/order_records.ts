import type { OrderRecord } from "../../domain/support/order_document.ts";

/**
 * Orders as the support index is built from them: each order with its payments, its customer
 * and its version, read in one snapshot (PostgreSQL; memory in tests and `deno task dev`).
 */
export interface OrderRecords {
  /** Null for an unknown order. */
  record(orderId: string): Promise<OrderRecord | null>;
  /** Every order, in chunks, for a rebuild; memory stays flat. */
  all(): AsyncIterable<OrderRecord>;
  /** How many orders `all` will yield (a rebuild's progress bar). */
  count(): Promise<number>;
}

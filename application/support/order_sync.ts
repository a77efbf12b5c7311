/**
 * Keeps the support `orders` index in step with PostgreSQL: an `order` outbox event re-reads
 * the order (with its payments, customer and version, in one snapshot) and writes its whole
 * document with that version, so replays and late events are harmless; a rebuild reads every
 * order. The sync (sync_catalog.ts) and the rebuild (reindex.ts) call these.
 */
import { toOrderDocument } from "../../domain/support/order_document.ts";
import type { OrderDocument } from "../../domain/support/order_document.ts";
import type { OrderIndex } from "../../ports/support/order_index.ts";
import type { OrderRecords } from "../../ports/support/order_records.ts";

export interface OrderSyncDeps {
  readonly orderRecords: OrderRecords;
  readonly orderIndex: OrderIndex;
}

/**
 * Writes the current document of `orderId`. An order that does not exist (orders are never
 * deleted; an event for one is a bug upstream) is an error, so the event gets parked.
 */
export async function applyOrderChange(deps: OrderSyncDeps, orderId: string): Promise<void> {
  const record = await deps.orderRecords.record(orderId);
  if (!record) throw new Error(`order ${orderId} changed but cannot be read`);
  await deps.orderIndex.put(toOrderDocument(record));
}

export async function* orderDocuments(deps: OrderSyncDeps): AsyncIterable<OrderDocument> {
  for await (const record of deps.orderRecords.all()) yield toOrderDocument(record);
}

/** Rebuilds the orders index from PostgreSQL and swaps it in (searches keep answering). */
export function rebuildOrderIndex(
  deps: OrderSyncDeps,
  onProgress?: (indexed: number) => void,
): Promise<{ indexed: number }> {
  return deps.orderIndex.rebuild(orderDocuments(deps), onProgress);
}

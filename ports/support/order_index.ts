import type {
  OrderDocument,
  OrderSearchQuery,
  OrderSearchResult,
} from "../../domain/support/order_document.ts";

/**
 * The support team's order search (Elasticsearch in production), derived from PostgreSQL
 * through the outbox. Writes are versioned: a document whose `version` is older than what the
 * index holds is ignored (an equal one replaces it: the same order state, read again), so
 * replays and late deliveries never bring back an older state. Adapters throw
 * `DependencyUnavailable` when down.
 */
export interface OrderIndex {
  search(query: OrderSearchQuery): Promise<OrderSearchResult>;
  put(doc: OrderDocument): Promise<void>;
  /**
   * Builds a fresh index from `docs` and atomically makes it the one searched; searches keep
   * answering from the old one meanwhile, and writes that arrive during the rebuild are kept.
   */
  rebuild(
    docs: AsyncIterable<OrderDocument>,
    onProgress?: (indexed: number) => void,
  ): Promise<{ indexed: number }>;
}

import type { Client } from "@elastic/elasticsearch";
import type {
  OrderDocument,
  OrderSearchQuery,
  OrderSearchResult,
} from "../../domain/support/order_document.ts";
import type { OrderIndex } from "../../ports/support/order_index.ts";
import { AliasedIndex } from "./_aliased_index.ts";
import {
  fromOrderSource,
  orderSearchBody,
  ordersIndexBody,
  type OrderSource,
  toOrderSource,
} from "./_order_mapping.ts";

export interface ElasticsearchOrderIndexOptions {
  /** The alias (`<alias>_v<N>` behind it). Default `orders`; tests use a unique one. */
  readonly alias?: string;
  readonly shards?: number;
  readonly replicas?: number;
  readonly rebuildDiscoveryMs?: number;
  readonly oldIndexGraceMs?: number;
}

/**
 * `OrderIndex` on Elasticsearch 8: one document per order, written with the order's version
 * (`external_gte`), rebuilt into a new versioned index and swapped in atomically. Unreachable
 * server, timeouts, 429 and 5xx: `DependencyUnavailable("elasticsearch")`.
 */
export class ElasticsearchOrderIndex implements OrderIndex {
  readonly #index: AliasedIndex;

  constructor(private readonly client: Client, options: ElasticsearchOrderIndexOptions = {}) {
    const shape = { shards: options.shards ?? 1, replicas: options.replicas ?? 0 };
    this.#index = new AliasedIndex(client, {
      alias: options.alias ?? "orders",
      body: () => ordersIndexBody(shape),
      rebuildDiscoveryMs: options.rebuildDiscoveryMs,
      oldIndexGraceMs: options.oldIndexGraceMs,
    });
  }

  get alias(): string {
    return this.#index.alias;
  }

  search(query: OrderSearchQuery): Promise<OrderSearchResult> {
    return this.#index.read(async (index) => {
      const response = await this.client.search<OrderSource>({
        index,
        ...orderSearchBody(query),
      } as never);
      const total = response.hits.total;
      return {
        items: response.hits.hits.map((hit) =>
          fromOrderSource(hit._source as OrderSource, Number(hit._version ?? 0))
        ),
        page: query.page,
        size: query.size,
        total: typeof total === "number" ? total : total?.value ?? 0,
      };
    });
  }

  put(doc: OrderDocument): Promise<void> {
    return this.#index.write({ id: doc.id, version: doc.version, document: toOrderSource(doc) });
  }

  rebuild(
    docs: AsyncIterable<OrderDocument>,
    onProgress?: (indexed: number) => void,
  ): Promise<{ indexed: number }> {
    return this.#index.rebuild(writesOf(docs), onProgress);
  }

  /** Deletes the index (tests). */
  dispose(): Promise<void> {
    return this.#index.dispose();
  }
}

async function* writesOf(docs: AsyncIterable<OrderDocument>) {
  for await (const doc of docs) {
    yield { id: doc.id, version: doc.version, document: toOrderSource(doc) };
  }
}

/**
 * Elasticsearch: derived search data (products, the support team's orders, vendors), or the
 * memory stand-ins when ELASTICSEARCH_URL is unset. It adds no feed: the sync fills it.
 */
import type { Config } from "../config.ts";
import type { Ports } from "../application/use_cases.ts";
import { MemoryOrderIndex } from "../adapters/memory/order_index.ts";
import { MemorySearchIndex } from "../adapters/memory/search_index.ts";
import { MemoryVendorIndex } from "../adapters/memory/vendor_index.ts";
import { createElasticsearchClient } from "../adapters/elasticsearch/client.ts";
import { ElasticsearchHealthCheck } from "../adapters/elasticsearch/health.ts";
import { ElasticsearchOrderIndex } from "../adapters/elasticsearch/order_index.ts";
import { ElasticsearchSearchIndex } from "../adapters/elasticsearch/search_index.ts";
import { ElasticsearchVendorIndex } from "../adapters/elasticsearch/vendor_index.ts";
import type { Contribution } from "./contribution.ts";

/** The ports Elasticsearch (or its stand-in) serves. */
export type ElasticsearchPorts = Pick<Ports, "index" | "orderIndex" | "vendorIndex">;

export function elasticsearchWiring(config: Config): Contribution<ElasticsearchPorts> {
  if (!config.ELASTICSEARCH_URL) {
    const ports = {
      index: new MemorySearchIndex(),
      orderIndex: new MemoryOrderIndex(),
      vendorIndex: new MemoryVendorIndex(),
    };
    return {
      ports,
      feeds: [],
      health: [],
      closers: [],
      adapters: { elasticsearchStandIn: "memory: search, support orders, vendors" },
    };
  }
  const client = createElasticsearchClient(config.ELASTICSEARCH_URL);
  const ordersAlias = config.ES_ORDERS_INDEX ?? `${config.ES_INDEX_PREFIX}_orders`;
  const ports = {
    index: new ElasticsearchSearchIndex(client, {
      prefix: config.ES_INDEX_PREFIX,
      shards: config.ES_SHARDS,
      replicas: config.ES_REPLICAS,
    }),
    orderIndex: new ElasticsearchOrderIndex(client, {
      alias: ordersAlias,
      shards: config.ES_SHARDS,
      replicas: config.ES_REPLICAS,
    }),
    // The vendor index beside it: `<ES_INDEX_PREFIX>-vendors` (outside the `<prefix>_v*` names).
    vendorIndex: new ElasticsearchVendorIndex(client, {
      name: `${config.ES_INDEX_PREFIX}-vendors`,
    }),
  };
  return {
    ports,
    feeds: [],
    health: [new ElasticsearchHealthCheck(client)],
    closers: [() => client.close()],
    adapters: {
      elasticsearch: `search (alias ${config.ES_INDEX_PREFIX}), support orders ` +
        `(alias ${ordersAlias}), vendors (${config.ES_INDEX_PREFIX}-vendors)`,
    },
  };
}

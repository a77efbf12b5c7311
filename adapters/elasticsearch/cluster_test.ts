/**
 * Two Elasticsearch nodes forming one cluster (CI: `.ci/start_elasticsearch.sh` with
 * ES_SECOND_PORT). With one replica per index, each shard has a copy on both nodes, and the
 * client that lists both answers through either. (A node crashing and returning is proved on
 * a private cluster in reliability/failover.ts: the shared one must stay up.)
 */
import assert from "node:assert/strict";
import type { SearchDocument } from "../../domain/search/search.ts";
import { integrationUrl, uniqueName } from "../../testing/integration.ts";
import { createElasticsearchClient, elasticsearchNodes } from "./client.ts";
import { ElasticsearchSearchIndex } from "./search_index.ts";

const url = integrationUrl("ELASTICSEARCH_CLUSTER_URL");

const doc = (sku: string, version: number): SearchDocument => ({
  sku,
  name: `Cluster item ${sku}`,
  slug: sku,
  description: "one copy on each node",
  category: "cluster",
  brand: "polycart",
  tags: [],
  attrs: {},
  facetAttrs: {},
  facetNames: [],
  priceCents: 100,
  currency: "USD",
  rating: 0,
  ratingCount: 0,
  inStock: true,
  publishedAt: new Date(0),
  updatedAt: new Date(),
  version,
});

Deno.test({
  name: "with one replica per index, every shard has a copy on each of the two nodes",
  ignore: !url,
  fn: async () => {
    const client = createElasticsearchClient(url!, { requestTimeoutMs: 30_000 });
    const prefix = uniqueName("cluster");
    const index = new ElasticsearchSearchIndex(client, { prefix, replicas: 1 });
    try {
      assert.equal(elasticsearchNodes(url!).length, 2);
      await index.rebuild((async function* () {
        for (let i = 0; i < 20; i++) yield doc(`c-${i}`, 1);
      })());
      await index.put(doc("c-0", 2));
      const health = await client.cluster.health({
        index: index.alias,
        wait_for_status: "green",
        timeout: "20s",
      });
      assert.equal(health.status, "green");
      const shards = await client.cat.shards({ index: index.alias, format: "json" });
      const nodes = new Set(shards.map((s) => s.node));
      assert.equal(shards.length, 2, "a primary and a replica");
      assert.equal(nodes.size, 2, "on different nodes");
      // Either node answers the same (the client alternates between them).
      for (let i = 0; i < 4; i++) {
        await client.indices.refresh({ index: index.alias });
        const result = await index.search({ q: "", sort: "relevance", page: 1, size: 1 });
        assert.equal(result.total, 20);
      }
    } finally {
      await client.indices.delete({ index: `${prefix}_v*` }).catch(() => {});
      await client.close();
    }
  },
});

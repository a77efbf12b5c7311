import assert from "node:assert/strict";
import { integrationUrl } from "../../testing/integration.ts";
import { createElasticsearchClient, elasticsearchNodes } from "./client.ts";

const url = integrationUrl("ELASTICSEARCH_URL");

Deno.test("ELASTICSEARCH_URL names one node or several, comma-separated", () => {
  assert.deepEqual(elasticsearchNodes("http://127.0.0.1:9200"), ["http://127.0.0.1:9200"]);
  assert.deepEqual(elasticsearchNodes("http://a:9200, http://b:9200,"), [
    "http://a:9200",
    "http://b:9200",
  ]);
});

Deno.test({
  name: "a request that meets a node gone is answered by another node at once",
  ignore: !url,
  fn: async () => {
    // Port 9 of loopback refuses connections: a node that left. Listed first, so the first
    // request goes there.
    const client = createElasticsearchClient(`http://127.0.0.1:9,${url}`);
    try {
      const started = performance.now();
      for (let i = 0; i < 4; i++) {
        const health = await client.cluster.health();
        assert.ok(["green", "yellow"].includes(health.status));
      }
      assert.ok(performance.now() - started < 1_000, "no backoff before the other node");
    } finally {
      await client.close();
    }
  },
});

import { orderIndexContract } from "../../ports/contracts/order_index_contract.ts";
import { integrationUrl, uniqueName } from "../../testing/integration.ts";
import { createElasticsearchClient } from "./client.ts";
import { ElasticsearchOrderIndex } from "./order_index.ts";

const url = integrationUrl("ELASTICSEARCH_URL");

orderIndexContract("ElasticsearchOrderIndex", () => {
  const client = createElasticsearchClient(url!);
  const index = new ElasticsearchOrderIndex(client, {
    alias: uniqueName("polycart_test_orders").toLowerCase(),
    rebuildDiscoveryMs: 200,
    oldIndexGraceMs: 100,
  });
  return Promise.resolve({
    subject: index,
    close: async () => {
      try {
        await index.dispose();
      } finally {
        await client.close();
      }
    },
  });
}, { ignore: !url });

import { vendorIndexContract } from "../../ports/contracts/vendor_index_contract.ts";
import { integrationUrl, uniqueName } from "../../testing/integration.ts";
import { createElasticsearchClient } from "./client.ts";
import { ElasticsearchVendorIndex } from "./vendor_index.ts";

const url = integrationUrl("ELASTICSEARCH_URL");

vendorIndexContract("ElasticsearchVendorIndex", () => {
  const name = uniqueName("polycart_test_vendors").toLowerCase();
  const client = createElasticsearchClient(url!);
  return Promise.resolve({
    subject: new ElasticsearchVendorIndex(client, { name }),
    async close() {
      try {
        const { indices } = await client.indices.resolveIndex({ name: `${name}_v*` });
        const names = indices.map((i) => i.name);
        if (names.length > 0) await client.indices.delete({ index: names.join(",") });
      } finally {
        await client.close();
      }
    },
  });
}, { ignore: url === undefined });

import assert from "node:assert/strict";
import { testDatabase } from "../adapters/postgres/_testing.ts";
import { migrate } from "../migrations/migrate.ts";
import { integrationUrl } from "../testing/integration.ts";
import { captureCheckout } from "./checkout_capture.ts";
import { pgbenchScript } from "./pgbench_script.ts";

const url = integrationUrl("DATABASE_URL");

Deno.test({
  name: "the statements PostgresOrderStore.place sends today make a pgbench script",
  ignore: !url,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const db = await testDatabase(url!, migrate);
    try {
      const captured = await captureCheckout(url!, db.schema);
      const script = pgbenchScript(captured);
      assert.ok(
        script.includes("INSERT INTO outbox (source, sku, at) VALUES ('order', :oid, now())"),
      );
      assert.ok(script.includes("INSERT INTO order_allocations"));
    } finally {
      await db.close();
    }
  },
});

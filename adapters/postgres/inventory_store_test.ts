import { migrate } from "../../migrations/migrate.ts";
import { inventoryStoreContract } from "../../ports/contracts/inventory_store_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { testDatabase } from "./_testing.ts";
import { PostgresInventoryStore } from "./inventory_store.ts";
import { PostgresOutboxFeed } from "./outbox_feed.ts";

const url = integrationUrl("DATABASE_URL");

inventoryStoreContract("PostgresInventoryStore", async () => {
  const db = await testDatabase(url!, migrate);
  const inventory = new PostgresInventoryStore(db.sql);
  return {
    subject: {
      inventory,
      warehouses: inventory,
      feed: new PostgresOutboxFeed(db.sql, { pollIntervalMs: 20 }),
    },
    close: db.close,
  };
}, { ignore: !url });

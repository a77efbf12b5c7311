import { migrate } from "../../migrations/migrate.ts";
import { orderStoreContract } from "../../ports/contracts/order_store_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { testDatabase } from "./_testing.ts";
import { PostgresInventoryStore } from "./inventory_store.ts";
import { PostgresOrderStore } from "./order_store.ts";
import { PostgresOutboxFeed } from "./outbox_feed.ts";
import { PostgresUserStore } from "./users.ts";

const url = integrationUrl("DATABASE_URL");

orderStoreContract("PostgresOrderStore", async () => {
  const db = await testDatabase(url!, migrate, { poolSize: 20 });
  const orders = new PostgresOrderStore(db.sql);
  const inventory = new PostgresInventoryStore(db.sql);
  return {
    subject: {
      orders,
      revenue: orders,
      inventory,
      warehouses: inventory,
      feed: new PostgresOutboxFeed(db.sql, { pollIntervalMs: 20 }),
      users: new PostgresUserStore(db.sql),
    },
    close: db.close,
  };
}, { ignore: !url });

import { migrate } from "../../migrations/migrate.ts";
import { orderRecordsContract } from "../../ports/contracts/order_records_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { testDatabase } from "./_testing.ts";
import { PostgresInventoryStore } from "./inventory_store.ts";
import { PostgresCustomerDirectory, PostgresOrderRecords } from "./order_records.ts";
import { PostgresOrderStore } from "./order_store.ts";
import { PostgresOutboxFeed } from "./outbox_feed.ts";
import { PostgresUserStore } from "./users.ts";

const url = integrationUrl("DATABASE_URL");

orderRecordsContract("PostgresOrderRecords", async () => {
  const db = await testDatabase(url!, migrate);
  return {
    subject: {
      records: new PostgresOrderRecords(db.sql),
      customers: new PostgresCustomerDirectory(db.sql),
      orders: new PostgresOrderStore(db.sql),
      inventory: new PostgresInventoryStore(db.sql),
      users: new PostgresUserStore(db.sql),
      orderFeed: new PostgresOutboxFeed(db.sql, {
        name: "orders",
        sources: ["order"],
        pollIntervalMs: 20,
      }),
      stockFeed: new PostgresOutboxFeed(db.sql, { name: "inventory", pollIntervalMs: 20 }),
    },
    close: db.close,
  };
}, { ignore: !url });

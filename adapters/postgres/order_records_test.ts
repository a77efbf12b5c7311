import assert from "node:assert/strict";
import { migrate } from "../../migrations/migrate.ts";
import { collectFeed } from "../../ports/contracts/change_feed_contract.ts";
import { stockItem, uniqueSku } from "../../ports/contracts/inventory_store_contract.ts";
import { testUser } from "../../ports/contracts/users_contract.ts";
import { touchCustomerOrders } from "./_order_outbox.ts";
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

Deno.test({
  name: "touchCustomerOrders() sends every order of a renamed customer to the support index",
  ignore: !url,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const db = await testDatabase(url!, migrate);
    try {
      const { sql } = db;
      const users = new PostgresUserStore(sql);
      const orders = new PostgresOrderStore(sql);
      const inventory = new PostgresInventoryStore(sql);
      const records = new PostgresOrderRecords(sql);
      const feed = new PostgresOutboxFeed(sql, { name: "orders", sources: ["order"] });
      const user = testUser({ displayName: "Old Name" });
      await users.create(user);
      const sku = uniqueSku();
      await inventory.create(stockItem(sku, 5));
      const placed = await orders.place({
        id: crypto.randomUUID(),
        userId: user.id,
        lines: [{ sku, qty: 1 }],
        createdAt: new Date("2031-01-01T00:00:00Z"),
        expiresAt: new Date("2031-01-01T00:15:00Z"),
        source: "items",
        maxPendingPerUser: 10,
      });
      const before = (await records.record(placed.id))!.version;
      const at = new Date("2031-01-02T00:00:00Z");
      const touched = await sql.begin(async (tx) => {
        await tx`UPDATE users SET display_name = 'New Name' WHERE id = ${user.id}`;
        return await touchCustomerOrders(tx, user.id, at);
      });
      assert.equal(touched, 1);
      const after = (await records.record(placed.id))!;
      assert.ok(after.version > before);
      assert.equal(after.customer?.displayName, "New Name");
      const { events } = await collectFeed(
        feed,
        null,
        (e) => e.sku === placed.id && e.at.getTime() === at.getTime(),
        1,
        15_000,
      );
      assert.equal(events.length, 1);
    } finally {
      await db.close();
    }
  },
});

import assert from "node:assert/strict";
import { stockItem } from "../../ports/contracts/inventory_store_contract.ts";
import { orderRecordsContract } from "../../ports/contracts/order_records_contract.ts";
import { MemoryChangeLog } from "./change_feed.ts";
import { MemoryInventoryStore } from "./inventory_store.ts";
import { MemoryOrderStore } from "./order_store.ts";
import { MemoryCustomerDirectory, MemoryOrderRecords } from "./order_records.ts";
import { MemoryUserStore } from "./users.ts";

orderRecordsContract("MemoryOrderRecords", () => {
  const stockFeed = new MemoryChangeLog("inventory");
  const orderFeed = new MemoryChangeLog("orders");
  const inventory = new MemoryInventoryStore({ log: stockFeed });
  const orders = new MemoryOrderStore({ inventory, log: orderFeed });
  const users = new MemoryUserStore();
  return Promise.resolve({
    subject: {
      records: new MemoryOrderRecords(orders, users),
      customers: new MemoryCustomerDirectory(users),
      orders,
      inventory,
      users,
      orderFeed,
      stockFeed,
    },
    close: () => Promise.resolve(),
  });
});

Deno.test("MemoryOrderStore.customerChangedSync() re-sends every order of the customer", async () => {
  const log = new MemoryChangeLog("orders");
  const inventory = new MemoryInventoryStore({ log: new MemoryChangeLog("inventory") });
  await inventory.create(stockItem("SKU-C", 5));
  const orders = new MemoryOrderStore({ inventory, log });
  const users = new MemoryUserStore();
  const records = new MemoryOrderRecords(orders, users);
  const place = (userId: string) =>
    orders.place({
      id: crypto.randomUUID(),
      userId,
      lines: [{ sku: "SKU-C", qty: 1 }],
      createdAt: new Date("2031-01-01T00:00:00Z"),
      expiresAt: new Date("2031-01-01T00:15:00Z"),
      source: "items",
      maxPendingPerUser: 10,
    });
  const mine = await place("u-1");
  await place("u-2");
  const before = (await records.record(mine.id))!.version;
  const head = await log.head();
  assert.equal(orders.customerChangedSync("u-1", new Date("2031-01-02T00:00:00Z")), 1);
  assert.ok((await records.record(mine.id))!.version > before);
  assert.deepEqual((await log.poll(head, 10, 0)).map((e) => [e.source, e.sku]), [
    ["order", mine.id],
  ]);
});

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

import { orderStoreContract } from "../../ports/contracts/order_store_contract.ts";
import { MemoryChangeLog } from "./change_feed.ts";
import { MemoryInventoryStore } from "./inventory_store.ts";
import { MemoryOrderStore } from "./order_store.ts";
import { MemoryUserStore } from "./users.ts";

orderStoreContract("MemoryOrderStore", () => {
  const log = new MemoryChangeLog();
  const inventory = new MemoryInventoryStore({ log });
  const orders = new MemoryOrderStore({ inventory });
  return Promise.resolve({
    subject: {
      orders,
      revenue: orders,
      inventory,
      warehouses: inventory,
      feed: log,
      users: new MemoryUserStore(),
    },
    close: () => Promise.resolve(),
  });
});

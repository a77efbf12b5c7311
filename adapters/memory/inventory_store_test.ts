import { inventoryStoreContract } from "../../ports/contracts/inventory_store_contract.ts";
import { MemoryChangeLog } from "./change_feed.ts";
import { MemoryInventoryStore } from "./inventory_store.ts";

inventoryStoreContract("MemoryInventoryStore", () => {
  const log = new MemoryChangeLog();
  const inventory = new MemoryInventoryStore({ log });
  return Promise.resolve({
    subject: { inventory, warehouses: inventory, feed: log },
    close: () => Promise.resolve(),
  });
});

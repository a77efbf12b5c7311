import { syncStateStoreContract } from "../../ports/contracts/sync_state_store_contract.ts";
import { MemorySyncStateStore } from "./sync_state_store.ts";

syncStateStoreContract(
  "MemorySyncStateStore",
  () => Promise.resolve({ subject: new MemorySyncStateStore(), close: () => Promise.resolve() }),
);

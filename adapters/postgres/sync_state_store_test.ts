import { migrate } from "../../migrations/migrate.ts";
import { syncStateStoreContract } from "../../ports/contracts/sync_state_store_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { testDatabase } from "./_testing.ts";
import { PostgresSyncStateStore } from "./sync_state_store.ts";

const url = integrationUrl("DATABASE_URL");

syncStateStoreContract("PostgresSyncStateStore", async () => {
  const db = await testDatabase(url!, migrate);
  return { subject: new PostgresSyncStateStore(db.sql), close: db.close };
}, { ignore: !url });

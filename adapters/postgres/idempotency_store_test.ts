import { migrate } from "../../migrations/migrate.ts";
import { idempotencyStoreContract } from "../../ports/contracts/idempotency_store_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { testDatabase } from "./_testing.ts";
import { PostgresIdempotencyStore } from "./idempotency_store.ts";
import { PostgresUserStore } from "./users.ts";

const url = integrationUrl("DATABASE_URL");

idempotencyStoreContract("PostgresIdempotencyStore", async () => {
  const db = await testDatabase(url!, migrate);
  return {
    subject: {
      idempotency: new PostgresIdempotencyStore(db.sql),
      users: new PostgresUserStore(db.sql),
    },
    close: db.close,
  };
}, { ignore: !url });

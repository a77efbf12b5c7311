import { migrate } from "../../migrations/migrate.ts";
import { housekeepingContract } from "../../ports/contracts/housekeeping_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { testDatabase } from "./_testing.ts";
import { PostgresHousekeeping } from "./housekeeping.ts";
import { PostgresIdempotencyStore } from "./idempotency_store.ts";
import { PostgresOutboxFeed } from "./outbox_feed.ts";
import { PostgresSyncStateStore } from "./sync_state_store.ts";
import { PostgresSessionStore, PostgresUserStore } from "./users.ts";

const url = integrationUrl("DATABASE_URL");

housekeepingContract("PostgresHousekeeping", async () => {
  const db = await testDatabase(url!, migrate);
  const { sql } = db;
  const outbox = new PostgresOutboxFeed(sql, { name: "inventory", pollIntervalMs: 20 });
  const count = async (table: string) =>
    Number((await sql`SELECT count(*) AS n FROM ${sql(table)}`)[0].n);
  return {
    subject: {
      housekeeping: new PostgresHousekeeping(sql, { outboxConsumers: ["inventory"] }),
      idempotency: new PostgresIdempotencyStore(sql),
      users: new PostgresUserStore(sql),
      sessions: new PostgresSessionStore(sql),
      syncState: new PostgresSyncStateStore(sql),
      outbox,
      emit: async (sku: string, at: Date) => {
        await sql`INSERT INTO outbox (source, sku, at) VALUES ('inventory', ${sku}, ${at})`;
      },
      counts: async () => ({
        outbox: await count("outbox"),
        idempotencyKeys: await count("idempotency_keys"),
        sessions: await count("sessions"),
        parked: await count("parked_events"),
      }),
    },
    close: db.close,
  };
}, { ignore: !url });

import assert from "node:assert/strict";
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

Deno.test({
  name: "PostgresHousekeeping prunes each outbox source up to its own consumer's checkpoint",
  ignore: !url,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const db = await testDatabase(url!, migrate);
    try {
      const { sql } = db;
      const stock = new PostgresOutboxFeed(sql, { name: "inventory" });
      const orders = new PostgresOutboxFeed(sql, { name: "orders", sources: ["order"] });
      const housekeeping = new PostgresHousekeeping(sql, { outboxConsumers: [stock, orders] });
      const state = new PostgresSyncStateStore(sql);
      const old = new Date("2026-01-01T00:00:00Z");
      await sql`INSERT INTO outbox (source, sku, at) VALUES ('inventory', 'S-1', ${old})`;
      await sql`INSERT INTO outbox (source, sku, at) VALUES ('order', 'o-1', ${old})`;
      await sql`INSERT INTO outbox (source, sku, at) VALUES ('inventory', 'S-2', ${old})`;
      const policy = { outboxMs: 0, idempotencyMs: 0, sessionsMs: 0, parkedMs: 0 };
      const left = async () =>
        (await sql`SELECT source, sku FROM outbox ORDER BY id`).map((r) => `${r.source}:${r.sku}`);
      // The orders consumer has read nothing: its rows stay, the stock rows read go.
      const [s1, s2] = await stock.poll(null, 10, 0);
      assert.deepEqual([s1.sku, s2.sku], ["S-1", "S-2"], "the stock feed skips order rows");
      await state.saveCheckpoint("inventory", s1.checkpoint, old);
      await housekeeping.prune(new Date(), policy, 100);
      assert.deepEqual(await left(), ["order:o-1", "inventory:S-2"]);
      await state.saveCheckpoint("inventory", s2.checkpoint, old);
      await housekeeping.prune(new Date(), policy, 100);
      assert.deepEqual(await left(), ["order:o-1"]);
      const [o1] = await orders.poll(null, 10, 0);
      assert.equal(o1.sku, "o-1");
      await state.saveCheckpoint("orders", o1.checkpoint, old);
      await housekeeping.prune(new Date(), policy, 100);
      assert.deepEqual(await left(), []);
    } finally {
      await db.close();
    }
  },
});

import assert from "node:assert/strict";
import { migrate } from "../../migrations/migrate.ts";
import { idempotencyStoreContract } from "../../ports/contracts/idempotency_store_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { testDatabase } from "./_testing.ts";
import { PostgresIdempotencyStore } from "./idempotency_store.ts";
import { PostgresUserStore } from "./users.ts";

const OPTIONS = { ttlMs: 60_000, leaseMs: 10_000, resourceId: "order-1" };

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

Deno.test({
  name: "PostgresIdempotencyStore replays the body as sent: key order kept, dates as ISO text",
  ignore: !url,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const db = await testDatabase(url!, migrate);
    try {
      const store = new PostgresIdempotencyStore(db.sql);
      const users = new PostgresUserStore(db.sql);
      const userId = crypto.randomUUID();
      await users.create({
        id: userId,
        email: `${userId}@example.com`,
        displayName: null,
        role: "customer",
        createdAt: new Date(0),
        passwordHash: "x",
      });
      const scope = { userId, key: "k1", fingerprint: "POST /orders {}" };
      await store.claim(scope, new Date(0), OPTIONS);
      await store.complete(scope, {
        status: 201,
        body: { zeta: 1, alpha: { b: 2, a: 1 }, at: new Date(0), dropped: undefined },
      });
      const replay = await store.claim(scope, new Date(1), OPTIONS);
      assert.equal(replay.kind, "replay");
      if (replay.kind !== "replay") return;
      assert.equal(
        JSON.stringify(replay.response.body),
        '{"zeta":1,"alpha":{"b":2,"a":1},"at":"1970-01-01T00:00:00.000Z"}',
      );
    } finally {
      await db.close();
    }
  },
});

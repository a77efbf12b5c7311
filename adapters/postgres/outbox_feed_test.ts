import assert from "node:assert/strict";
import { migrate } from "../../migrations/migrate.ts";
import {
  changeFeedContract,
  collectFeed,
  feedHead,
} from "../../ports/contracts/change_feed_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { testDatabase } from "./_testing.ts";
import { PostgresOutboxFeed } from "./outbox_feed.ts";

const url = integrationUrl("DATABASE_URL");

changeFeedContract("PostgresOutboxFeed", async () => {
  const db = await testDatabase(url!, migrate);
  return {
    subject: {
      feed: new PostgresOutboxFeed(db.sql, { pollIntervalMs: 20 }),
      source: "inventory" as const,
      emit: async (sku: string, at: Date) => {
        await db.sql`INSERT INTO outbox (source, sku, at) VALUES ('inventory', ${sku}, ${at})`;
      },
    },
    close: db.close,
  };
}, { ignore: !url });

Deno.test({
  name: "PostgresOutboxFeed",
  ignore: !url,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async (t) => {
    await t.step(
      "a row committed before an older, still open one is held back, so neither is skipped",
      async () => {
        const db = await testDatabase(url!, migrate);
        const slow = await db.sql.reserve();
        try {
          const feed = new PostgresOutboxFeed(db.sql, { pollIntervalMs: 20 });
          const head = await feedHead(feed);
          const run = crypto.randomUUID();
          const mine = (e: { sku: string }) => e.sku.endsWith(run);
          await slow`BEGIN`;
          await slow`INSERT INTO outbox (sku, at) VALUES (${`slow-${run}`}, now())`; // lower id
          await db.sql`INSERT INTO outbox (sku, at) VALUES (${`fast-${run}`}, now())`; // committed

          const early = await feed.poll(head, 100, 200);
          assert.deepEqual(early.filter(mine), [], "delivered past an uncommitted lower id");

          await slow`COMMIT`;
          const { events, last } = await collectFeed(feed, head, mine, 2);
          assert.deepEqual(events.map((e) => e.sku.split("-")[0]).sort(), ["fast", "slow"]);
          assert.deepEqual((await feed.poll(last, 100, 0)).filter(mine), []);
          assert.deepEqual(await feed.backlog(last), { pending: 0, oldestAt: null });
        } finally {
          await slow`ROLLBACK`.catch(() => {});
          slow.release();
          await db.close();
        }
      },
    );

    await t.step("a rolled-back row never appears and does not stall the feed", async () => {
      const db = await testDatabase(url!, migrate);
      try {
        const feed = new PostgresOutboxFeed(db.sql, { pollIntervalMs: 20 });
        const head = await feedHead(feed);
        await db.sql.begin(async (tx) => {
          await tx`INSERT INTO outbox (sku, at) VALUES ('ghost', now())`;
          await tx`SELECT 1/0`;
        }).catch(() => {});
        await db.sql`INSERT INTO outbox (sku, at) VALUES ('real', now())`;
        const events = await feed.poll(head, 10, 2_000);
        assert.deepEqual(events.map((e) => e.sku), ["real"]);
      } finally {
        await db.close();
      }
    });

    await t.step("a malformed checkpoint is refused", async () => {
      const db = await testDatabase(url!, migrate);
      try {
        const feed = new PostgresOutboxFeed(db.sql);
        await assert.rejects(feed.poll("17", 10, 0), TypeError);
      } finally {
        await db.close();
      }
    });
  },
});

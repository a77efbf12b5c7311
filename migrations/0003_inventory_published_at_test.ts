import assert from "node:assert/strict";
import { PostgresInventoryStore } from "../adapters/postgres/inventory_store.ts";
import { testDatabase } from "../adapters/postgres/_testing.ts";
import { isSellable } from "../domain/inventory/stock.ts";
import { integrationUrl } from "../testing/integration.ts";
import { migrate } from "./migrate.ts";
import { migrationsUpTo } from "./_testing.ts";

const url = integrationUrl("DATABASE_URL");

Deno.test({
  name: "migration 0003 gives existing inventory rows a publishedAt that keeps them on sale",
  ignore: !url,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const db = await testDatabase(url!, null);
    const before = await migrationsUpTo("0002");
    try {
      assert.deepEqual((await migrate(db.sql, undefined, { dir: before })).applied, [
        "0001",
        "0002",
      ]);
      const updatedAt = new Date("2026-01-02T03:04:05.678Z");
      await db.sql`INSERT INTO inventory
          (sku, name, unit_price_cents, currency, stock, reserved, active, version, updated_at)
        VALUES ('OLD-1', 'Old row', 100, 'USD', 5, 0, true, 1, ${updatedAt})`;

      const upTo0003 = await migrationsUpTo("0003");
      assert.deepEqual((await migrate(db.sql, undefined, { dir: upTo0003 })).applied, ["0003"]);
      const [row] = await db.sql`SELECT published_at FROM inventory WHERE sku = 'OLD-1'`;
      assert.deepEqual(row.published_at, updatedAt, "0003 alone publishes it at updated_at");
      await migrate(db.sql); // the later migrations, so the store below reads today's schema
      const store = new PostgresInventoryStore(db.sql);
      const old = await store.get("OLD-1");
      assert.deepEqual(old?.publishedAt, updatedAt, "published since its last change");
      assert.ok(old && isSellable(old, new Date()));

      // Raw inserts that do not name the column (fixtures, the benchmark) are on sale at once.
      // (Stock lives in stock_levels since 0007.)
      await db.sql`INSERT INTO inventory
          (sku, name, unit_price_cents, currency, active, version, updated_at)
        VALUES ('RAW-1', 'Raw row', 100, 'USD', true, 1, now())`;
      const raw = await store.get("RAW-1");
      assert.ok(raw?.publishedAt && raw.publishedAt.getTime() <= Date.now());
    } finally {
      await Deno.remove(before, { recursive: true });
      await db.close();
    }
  },
});

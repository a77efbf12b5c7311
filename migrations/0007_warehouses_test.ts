import assert from "node:assert/strict";
import { PostgresInventoryStore } from "../adapters/postgres/inventory_store.ts";
import { PostgresOrderStore } from "../adapters/postgres/order_store.ts";
import { testDatabase } from "../adapters/postgres/_testing.ts";
import { integrationUrl } from "../testing/integration.ts";
import { migrate } from "./migrate.ts";
import { migrationsUpTo } from "./_testing.ts";

const url = integrationUrl("DATABASE_URL");

const T = new Date("2026-03-01T10:00:00.000Z");
const later = (minutes: number) => new Date(T.getTime() + minutes * 60_000);

Deno.test({
  name: "migration 0007 moves every row, reservation and order into the main warehouse",
  ignore: !url,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const db = await testDatabase(url!, null);
    const before = await migrationsUpTo("0006");
    try {
      await migrate(db.sql, undefined, { dir: before });
      const sql = db.sql;
      // The previous schema, filled as the stores filled it: two SKUs, a pending order holding
      // 3 + 1 units, a paid order, and a cancelled one.
      await sql`INSERT INTO users (id, email, display_name, role, password_hash, created_at)
        VALUES ('u1', 'u1@example.com', NULL, 'customer', 'x', ${T})`;
      await sql`INSERT INTO inventory
          (sku, name, unit_price_cents, currency, stock, reserved, active, version, updated_at,
           published_at)
        VALUES ('A-1', 'Alpha', 1000, 'USD', 10, 3, true, 4, ${T}, ${T}),
               ('B-1', 'Beta', 500, 'USD', 2, 1, true, 2, ${T}, ${T}),
               ('C-1', 'Gone', 100, 'USD', 0, 0, false, 7, ${T}, ${T})`;
      const order = (id: string, status: string, total: number, paid: Date | null) =>
        sql`INSERT INTO orders (id, user_id, status, total_cents, currency, created_at,
              expires_at, paid_at, updated_at, source)
            VALUES (${id}, 'u1', ${status}, ${total}, 'USD', ${T}, ${later(15)}, ${paid},
                    ${T}, 'items')`;
      const item = (orderId: string, sku: string, qty: number, price: number) =>
        sql`INSERT INTO order_items
              (order_id, sku, product_name, qty, unit_price_cents, line_total_cents,
               product_sku, variant_label)
            VALUES (${orderId}, ${sku}, ${sku}, ${qty}, ${price}, ${qty * price}, ${sku}, NULL)`;
      await order("pending-1", "pending", 3_500, null);
      await item("pending-1", "A-1", 3, 1000);
      await item("pending-1", "B-1", 1, 500);
      await order("paid-1", "confirmed", 2_000, T);
      await item("paid-1", "A-1", 2, 1000);
      await order("gone-1", "cancelled", 1_000, null);
      await item("gone-1", "A-1", 1, 1000);

      // 0007 and whatever later migrations exist (0008 onwards add tables only).
      const applied = (await migrate(db.sql)).applied;
      assert.equal(applied[0], "0007");
      assert.ok(applied.every((v) => v >= "0007"), applied.join(", "));

      const levels = await sql`
        SELECT sku, warehouse, stock, reserved, low_stock_threshold FROM stock_levels
        ORDER BY sku`;
      assert.deepEqual(levels.map((r) => [r.sku, r.warehouse, r.stock, r.reserved]), [
        ["A-1", "main", 10, 3],
        ["B-1", "main", 2, 1],
        ["C-1", "main", 0, 0],
      ], "every row moved, its reservations with it");
      const [main] = await sql`SELECT code, active FROM warehouses`;
      assert.deepEqual({ ...main }, { code: "main", active: true });

      const inventory = new PostgresInventoryStore(sql);
      const orders = new PostgresOrderStore(sql);
      const a = await inventory.get("A-1");
      assert.deepEqual([a?.stock, a?.reserved, a?.version, a?.active], [10, 3, 4, true]);
      assert.equal((await inventory.get("C-1"))?.active, false);
      assert.deepEqual(await orders.allocations("pending-1"), [
        { sku: "A-1", warehouse: "main", qty: 3 },
        { sku: "B-1", warehouse: "main", qty: 1 },
      ]);

      // The pending order placed before the move is paid against exactly its reservation.
      await orders.confirmPayment({
        id: "pay-1",
        orderId: "pending-1",
        userId: "u1",
        status: "succeeded",
        amountCents: 3_500,
        currency: "USD",
        provider: "test",
        providerRef: "ch_pending_1",
        failureReason: null,
        processedAt: later(1),
      });
      const after = await inventory.levels({ page: 1, size: 10 });
      assert.deepEqual(after.items.map((r) => [r.sku, r.stock, r.reserved]), [
        ["A-1", 7, 0],
        ["B-1", 1, 0],
        ["C-1", 0, 0],
      ]);
      // The older paid order refunds into main.
      await orders.refund("paid-1", later(2));
      assert.equal((await inventory.get("A-1"))?.stock, 9);

      // The reserved-within-stock rule holds per row in the database itself.
      await assert.rejects(
        sql`UPDATE stock_levels SET reserved = stock + 1 WHERE sku = 'A-1'`,
        /stock_levels_reserved_within_stock/,
      );
    } finally {
      await Deno.remove(before, { recursive: true });
      await db.close();
    }
  },
});

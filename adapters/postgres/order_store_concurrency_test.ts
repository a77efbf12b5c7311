/**
 * What only the real database can prove: row locks, lock order, SKIP LOCKED and the UNIQUE
 * provider reference under real concurrency (several pools = several processes' worth of
 * connections). Retries are switched off (`attempts: 1`) wherever a retry could hide a deadlock.
 */
import assert from "node:assert/strict";
import { InsufficientStock, OrderNotPending, TooManyPendingOrders } from "../../domain/errors.ts";
import { newInventoryItem, type StockLine } from "../../domain/inventory/stock.ts";
import type { NewOrder, Order } from "../../domain/ordering/order.ts";
import type { Payment } from "../../domain/payments/payment.ts";
import { migrate } from "../../migrations/migrate.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { testDatabase } from "./_testing.ts";
import { PostgresInventoryStore } from "./inventory_store.ts";
import { PostgresOrderStore } from "./order_store.ts";
import { PostgresUserStore } from "./users.ts";

const url = integrationUrl("DATABASE_URL");
const MINUTE = 60_000;
const T0 = Date.parse("2030-06-01T00:00:00.000Z");
const at = (minutes: number) => new Date(T0 + minutes * MINUTE);

async function setup(poolSize = 10) {
  const db = await testDatabase(url!, migrate, { poolSize });
  const users = new PostgresUserStore(db.sql);
  const inventory = new PostgresInventoryStore(db.sql);
  const userId = crypto.randomUUID();
  await users.create({
    id: userId,
    email: `${userId}@example.com`,
    displayName: null,
    role: "customer",
    createdAt: at(0),
    passwordHash: "x",
  });
  const stocked = async (stock: number) => {
    const sku = `sku-${crypto.randomUUID()}`;
    await inventory.create(
      newInventoryItem({ sku, name: sku, unitPriceCents: 100, currency: "USD", stock }, at(0)),
    );
    return sku;
  };
  const order = (lines: StockLine[], createdAt = at(0), ttlMinutes = 15): NewOrder => ({
    id: crypto.randomUUID(),
    userId,
    lines,
    createdAt,
    expiresAt: new Date(createdAt.getTime() + ttlMinutes * MINUTE),
    source: "items",
    maxPendingPerUser: 10_000,
  });
  const level = async (sku: string) => {
    const item = await inventory.get(sku);
    return { stock: item?.stock, reserved: item?.reserved };
  };
  return { db, inventory, stocked, order, level };
}

function payment(order: Order, processedAt: Date, providerRef: string): Payment {
  return {
    id: crypto.randomUUID(),
    orderId: order.id,
    userId: order.userId,
    status: "succeeded",
    amountCents: order.totalCents,
    currency: order.currency,
    provider: "test",
    providerRef,
    failureReason: null,
    processedAt,
  };
}

function report(what: string, started: number): void {
  console.log(`    ${what}: ${Math.round(performance.now() - started)} ms`);
}

Deno.test({
  name: "PostgresOrderStore under real concurrency",
  ignore: !url,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async (t) => {
    await t.step(
      "200 concurrent checkouts for 50 units in two warehouses: 50 reserved, 150 refused",
      async () => {
        const s = await setup(10); // the production default pool size
        try {
          const orders = new PostgresOrderStore(s.db.sql);
          const sku = await s.stocked(30);
          await s.inventory.createWarehouse(
            { code: "east", name: "East", country: "US", priority: 200, active: true },
            at(0),
          );
          await s.inventory.adjust(sku, { warehouse: "east", stock: 20 }, at(0));
          const started = performance.now();
          const results = await Promise.allSettled(
            Array.from({ length: 200 }, () => orders.place(s.order([{ sku, qty: 1 }]))),
          );
          report("200 checkouts over two warehouses on a pool of 10", started);
          const refused = results.flatMap((r) => r.status === "rejected" ? [r.reason] : []);
          assert.equal(results.length - refused.length, 50);
          assert.equal(refused.length, 150);
          assert.ok(refused.every((e) => e instanceof InsufficientStock), String(refused[0]));
          assert.deepEqual(await s.level(sku), { stock: 50, reserved: 50 });
          // Per row: nothing oversold, and each row's reserved units are exactly its allocations.
          const rows = await s.db.sql`
            SELECT l.warehouse, l.stock, l.reserved,
                   (SELECT coalesce(sum(a.qty), 0) FROM order_allocations a
                    WHERE a.sku = l.sku AND a.warehouse = l.warehouse) AS allocated
            FROM stock_levels l WHERE l.sku = ${sku} ORDER BY l.warehouse`;
          assert.deepEqual(
            rows.map((r) => [r.warehouse, r.stock, r.reserved, Number(r.allocated)]),
            [
              ["east", 20, 20, 20],
              ["main", 30, 30, 30],
            ],
          );
          const [row] = await s.db.sql`
            SELECT (SELECT count(*) FROM orders) AS orders,
                   (SELECT count(*) FROM order_allocations) AS allocations,
                   (SELECT count(*) FROM outbox WHERE sku = ${sku}) AS events`;
          assert.deepEqual(
            [Number(row.orders), Number(row.allocations), Number(row.events)],
            [50, 50, 52],
            "one allocation per order; events: create, east's stock, 50 reservations",
          );
        } finally {
          await s.db.close();
        }
      },
    );

    await t.step(
      "200 concurrent checkouts of 1-3 units on 50 split 30/20, then pay or cancel: per-row conservation",
      async () => {
        const s = await setup(10);
        try {
          const orders = new PostgresOrderStore(s.db.sql);
          const sku = await s.stocked(30);
          await s.inventory.createWarehouse(
            { code: "east", name: "East", country: "US", priority: 200, active: true },
            at(0),
          );
          await s.inventory.adjust(sku, { warehouse: "east", stock: 20 }, at(0));
          const results = await Promise.allSettled(
            Array.from(
              { length: 200 },
              (_, i) => orders.place(s.order([{ sku, qty: 1 + (i % 3) }])),
            ),
          );
          const placed = results.flatMap((r) => r.status === "fulfilled" ? [r.value] : []);
          const units = placed.reduce((n, o) => n + o.items[0].qty, 0);
          assert.ok(units <= 50 && units >= 48, `reserved ${units} of 50`);
          // Pay the even ones, cancel the odd ones, concurrently.
          await Promise.all(
            placed.map((o, i) =>
              i % 2 === 0
                ? orders.confirmPayment(payment(o, at(1), `ch_${o.id}`))
                : orders.cancel(o.id, at(1))
            ),
          );
          const paid = placed.filter((_, i) => i % 2 === 0);
          const sold = await s.db.sql`
            SELECT a.warehouse, sum(a.qty) AS qty FROM order_allocations a
            JOIN orders o ON o.id = a.order_id AND o.status = 'confirmed'
            GROUP BY a.warehouse`;
          const soldIn = new Map(sold.map((r) => [r.warehouse as string, Number(r.qty)]));
          const rows = await s.db.sql`
            SELECT warehouse, stock, reserved FROM stock_levels WHERE sku = ${sku}
            ORDER BY warehouse`;
          assert.deepEqual(rows.map((r) => [r.warehouse, r.stock, r.reserved]), [
            ["east", 20 - (soldIn.get("east") ?? 0), 0],
            ["main", 30 - (soldIn.get("main") ?? 0), 0],
          ], "each row lost exactly what paid orders allocated there");
          assert.equal(
            (soldIn.get("east") ?? 0) + (soldIn.get("main") ?? 0),
            paid.reduce((n, o) => n + o.items[0].qty, 0),
          );
        } finally {
          await s.db.close();
        }
      },
    );

    await t.step(
      "10 concurrent places by one user under a cap of 3: exactly 3 pending, 7 refused",
      async () => {
        const s = await setup(10);
        try {
          const orders = new PostgresOrderStore(s.db.sql, { attempts: 1 });
          const sku = await s.stocked(100);
          const results = await Promise.allSettled(
            Array.from(
              { length: 10 },
              () => orders.place({ ...s.order([{ sku, qty: 1 }]), maxPendingPerUser: 3 }),
            ),
          );
          const refused = results.flatMap((r) => r.status === "rejected" ? [r.reason] : []);
          assert.equal(results.length - refused.length, 3);
          assert.ok(refused.every((e) => e instanceof TooManyPendingOrders), String(refused[0]));
          assert.deepEqual(await s.level(sku), { stock: 100, reserved: 3 });
          const [row] = await s.db.sql`SELECT count(*) AS pending FROM orders`;
          assert.equal(Number(row.pending), 3);
        } finally {
          await s.db.close();
        }
      },
    );

    await t.step(
      "100 concurrent two-SKU orders in opposite SKU order: no deadlock, no retry needed",
      async () => {
        const s = await setup(20);
        try {
          const orders = new PostgresOrderStore(s.db.sql, { attempts: 1 });
          const [a, b] = [await s.stocked(1_000), await s.stocked(1_000)];
          const started = performance.now();
          // Lines deliberately unsorted: the store must impose the lock order itself.
          const results = await Promise.allSettled(
            Array.from({ length: 100 }, (_, i) =>
              orders.place(s.order(
                i % 2 === 0
                  ? [{ sku: a, qty: 1 }, { sku: b, qty: 2 }]
                  : [{ sku: b, qty: 2 }, { sku: a, qty: 1 }],
              ))),
          );
          report("100 opposite-order two-SKU checkouts on a pool of 20", started);
          const failed = results.flatMap((r) => r.status === "rejected" ? [String(r.reason)] : []);
          assert.deepEqual(failed, []);
          assert.deepEqual(await s.level(a), { stock: 1_000, reserved: 100 });
          assert.deepEqual(await s.level(b), { stock: 1_000, reserved: 200 });
        } finally {
          await s.db.close();
        }
      },
    );

    await t.step("a payment replayed 20 times at once and 5 times after deducts once", async () => {
      const s = await setup(20);
      try {
        const orders = new PostgresOrderStore(s.db.sql);
        const sku = await s.stocked(10);
        const order = await orders.place(s.order([{ sku, qty: 4 }]));
        const ref = `ch_${crypto.randomUUID()}`;
        const burst = await Promise.all(
          Array.from({ length: 20 }, (_, i) => orders.confirmPayment(payment(order, at(i), ref))),
        );
        const later = [];
        for (let i = 0; i < 5; i++) {
          later.push(await orders.confirmPayment(payment(order, at(20 + i), ref)));
        }
        const kinds = [...burst, ...later].map((r) => r.kind);
        assert.equal(kinds.filter((k) => k === "confirmed").length, 1);
        assert.equal(kinds.filter((k) => k === "replayed").length, 24);
        assert.equal(new Set([...burst, ...later].map((r) => r.payment.id)).size, 1);
        assert.deepEqual(await s.level(sku), { stock: 6, reserved: 0 });
        assert.equal((await orders.payments(order.id)).length, 1);
      } finally {
        await s.db.close();
      }
    });

    await t.step(
      "two sweepers at once (separate pools) cancel each expired order once",
      async () => {
        const s = await setup(10);
        const other = s.db.connect({ poolSize: 10 });
        try {
          const one = new PostgresOrderStore(s.db.sql);
          const two = new PostgresOrderStore(other);
          const skus = [await s.stocked(100), await s.stocked(100), await s.stocked(100)];
          const placed: Order[] = [];
          for (let i = 0; i < 60; i++) {
            const lines = [{ sku: skus[i % 3], qty: 1 }, { sku: skus[(i + 1) % 3], qty: 1 }];
            placed.push(await one.place(s.order(lines.sort((x, y) => x.sku < y.sku ? -1 : 1))));
          }
          const now = at(60);
          const sweep = async (store: PostgresOrderStore) => {
            const mine: Order[] = [];
            for (;;) {
              const batch = await store.expireDue(now, 7);
              if (batch.length === 0) return mine;
              mine.push(...batch);
            }
          };
          const started = performance.now();
          const [a, b] = await Promise.all([sweep(one), sweep(two)]);
          report("two sweepers, 60 expired orders, batches of 7", started);
          const ids = [...a, ...b].map((o) => o.id);
          assert.equal(new Set(ids).size, ids.length, "an order was expired twice");
          assert.deepEqual(ids.sort(), placed.map((o) => o.id).sort());
          assert.ok(a.length > 0 && b.length > 0, `one sweeper did all: ${a.length}/${b.length}`);
          for (const sku of skus) assert.deepEqual(await s.level(sku), { stock: 100, reserved: 0 });
        } finally {
          await s.db.close();
        }
      },
    );

    await t.step("a payment racing the sweeper: exactly one of them wins each order", async () => {
      const s = await setup(20);
      try {
        const orders = new PostgresOrderStore(s.db.sql);
        const sku = await s.stocked(100);
        const placed: Order[] = [];
        for (let i = 0; i < 30; i++) placed.push(await orders.place(s.order([{ sku, qty: 1 }])));
        // Paid one millisecond before expiry, newest id first; swept at expiry, in id order
        // (all expire together): the two meet in the middle and contend for the same rows.
        const expiry = placed[0].expiresAt.getTime();
        const byIdDesc = [...placed].sort((x, y) => x.id < y.id ? 1 : -1);
        const [paid, swept] = await Promise.all([
          (async () => {
            const outcomes: PromiseSettledResult<unknown>[] = [];
            for (const o of byIdDesc) {
              const attempt = orders.confirmPayment(payment(o, new Date(expiry - 1), `ch_${o.id}`));
              outcomes.push((await Promise.allSettled([attempt]))[0]);
            }
            return outcomes;
          })(),
          (async () => {
            const all: Order[] = [];
            for (let batch; (batch = await orders.expireDue(new Date(expiry), 1)).length > 0;) {
              all.push(...batch);
            }
            return all;
          })(),
        ]);
        const confirmed = paid.filter((r) => r.status === "fulfilled").length;
        const lost = paid.flatMap((r) => r.status === "rejected" ? [r.reason] : []);
        assert.ok(lost.every((e) => e instanceof OrderNotPending), String(lost[0]));
        assert.equal(confirmed + swept.length, 30);
        assert.equal(lost.length, swept.length);
        assert.deepEqual(await s.level(sku), { stock: 100 - confirmed, reserved: 0 });
        console.log(`    race outcome: ${confirmed} paid, ${swept.length} expired`);
      } finally {
        await s.db.close();
      }
    });
  },
});

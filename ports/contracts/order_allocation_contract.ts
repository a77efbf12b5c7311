/**
 * Warehouse allocation, part of the `OrderStore` contract (`orderStoreContract` runs it): which
 * rows an order holds, and that payment, cancel, expiry and refund move exactly those.
 */
import assert from "node:assert/strict";
import { InsufficientStock } from "../../domain/errors.ts";
import type { Allocation } from "../../domain/inventory/allocation.ts";
import { mergeLines, type StockLine } from "../../domain/inventory/stock.ts";
import type { NewOrder, Order } from "../../domain/ordering/order.ts";
import type { Payment } from "../../domain/payments/payment.ts";
import type { ContractOptions, MakeFixture } from "./_fixture.ts";
import { stockItem, uniqueSku, uniqueWarehouse, warehouse } from "./inventory_store_contract.ts";
import type { OrderFixture } from "./order_store_contract.ts";
import { testUser } from "./users_contract.ts";

const MINUTE = 60_000;
const T0 = Date.parse("2030-01-01T00:00:00.000Z");
const at = (minutes: number) => new Date(T0 + minutes * MINUTE);

/** Two fresh warehouses tried before `main` (priority 100): `near` first, then `far`. */
async function twoWarehouses(fx: OrderFixture): Promise<{ near: string; far: string }> {
  const near = uniqueWarehouse("near");
  const far = uniqueWarehouse("far");
  await fx.warehouses.createWarehouse(warehouse(near, 10), at(0));
  await fx.warehouses.createWarehouse(warehouse(far, 20), at(0));
  return { near, far };
}

/** A SKU with these units per warehouse (`main` has a row, with 0 unless given). */
async function stockedIn(
  fx: OrderFixture,
  rows: Readonly<Record<string, number>>,
): Promise<string> {
  const sku = uniqueSku();
  await fx.inventory.create(stockItem(sku, 0));
  for (const [code, stock] of Object.entries(rows)) {
    await fx.inventory.adjust(sku, { warehouse: code, stock }, at(0));
  }
  return sku;
}

async function placeFor(fx: OrderFixture, lines: StockLine[], minute = 0): Promise<Order> {
  const user = testUser();
  if (fx.users) await fx.users.create(user);
  const order: NewOrder = {
    id: crypto.randomUUID(),
    userId: user.id,
    lines: mergeLines(lines),
    createdAt: at(minute),
    expiresAt: at(minute + 15),
    source: "items",
    maxPendingPerUser: 1_000,
  };
  return await fx.orders.place(order);
}

function payment(order: Order, processedAt: Date): Payment {
  return {
    id: crypto.randomUUID(),
    orderId: order.id,
    userId: order.userId,
    status: "succeeded",
    amountCents: order.totalCents,
    currency: order.currency,
    provider: "test",
    providerRef: `ch_${crypto.randomUUID()}`,
    failureReason: null,
    processedAt,
  };
}

/** `[warehouse, stock, reserved]` of each of the SKU's rows, by warehouse. */
async function rowsOf(fx: OrderFixture, sku: string): Promise<[string, number, number][]> {
  const page = await fx.inventory.levels({ sku, page: 1, size: 100 });
  return page.items.map((r) => [r.warehouse, r.stock, r.reserved] as [string, number, number])
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

const sorted = <T extends [string, ...unknown[]]>(rows: T[]) =>
  [...rows].sort((a, b) => (a[0] < b[0] ? -1 : 1));

export function orderAllocationContract(
  label: string,
  make: MakeFixture<OrderFixture>,
  options: ContractOptions = {},
): void {
  Deno.test({
    name: `${label}: OrderStore warehouse allocation`,
    ignore: options.ignore,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async (t) => {
      await t.step("one warehouse that fills the whole order takes all of it", async () => {
        const fx = await make();
        try {
          const { near, far } = await twoWarehouses(fx.subject);
          // near has a but too few b; far has both: the whole order comes from far.
          const a = await stockedIn(fx.subject, { [near]: 5, [far]: 5 });
          const b = await stockedIn(fx.subject, { [near]: 1, [far]: 5 });
          const order = await placeFor(fx.subject, [{ sku: a, qty: 2 }, { sku: b, qty: 2 }]);
          const expected: Allocation[] = [
            { sku: a, warehouse: far, qty: 2 },
            { sku: b, warehouse: far, qty: 2 },
          ].sort((x, y) => (x.sku < y.sku ? -1 : 1));
          assert.deepEqual(await fx.subject.orders.allocations(order.id), expected);
          assert.deepEqual(
            await rowsOf(fx.subject, a),
            sorted([[far, 5, 2], [near, 5, 0], ["main", 0, 0]]),
          );
          assert.deepEqual(await fx.subject.orders.allocations(crypto.randomUUID()), []);
        } finally {
          await fx.close();
        }
      });

      await t.step("priority decides between warehouses that can fill it", async () => {
        const fx = await make();
        try {
          const { near, far } = await twoWarehouses(fx.subject);
          const a = await stockedIn(fx.subject, { [near]: 5, [far]: 5, main: 5 });
          const order = await placeFor(fx.subject, [{ sku: a, qty: 3 }]);
          assert.deepEqual(await fx.subject.orders.allocations(order.id), [
            { sku: a, warehouse: near, qty: 3 },
          ]);
          await fx.subject.warehouses.updateWarehouse(near, { priority: 30 }, at(1));
          const next = await placeFor(fx.subject, [{ sku: a, qty: 2 }], 2);
          assert.deepEqual(await fx.subject.orders.allocations(next.id), [
            { sku: a, warehouse: far, qty: 2 },
          ]);
          await fx.subject.warehouses.updateWarehouse(far, { active: false }, at(3));
          const third = await placeFor(fx.subject, [{ sku: a, qty: 2 }], 4);
          assert.deepEqual(await fx.subject.orders.allocations(third.id), [
            { sku: a, warehouse: near, qty: 2 },
          ], "an inactive warehouse is skipped");
        } finally {
          await fx.close();
        }
      });

      await t.step("a line is split only when no single warehouse can fill it", async () => {
        const fx = await make();
        try {
          const { near, far } = await twoWarehouses(fx.subject);
          const a = await stockedIn(fx.subject, { [near]: 3, [far]: 4 });
          const whole = await placeFor(fx.subject, [{ sku: a, qty: 4 }]);
          assert.deepEqual(await fx.subject.orders.allocations(whole.id), [
            { sku: a, warehouse: far, qty: 4 },
          ]);
          await fx.subject.orders.cancel(whole.id, at(1));
          // 6: near (first by priority) gives all it has, far the rest.
          const split = await placeFor(fx.subject, [{ sku: a, qty: 6 }], 2);
          assert.deepEqual(
            await fx.subject.orders.allocations(split.id),
            sorted([[far, 3], [near, 3]]).map(([warehouse, qty]) => ({ sku: a, warehouse, qty })),
          );
          assert.deepEqual(
            await rowsOf(fx.subject, a),
            sorted([[far, 4, 3], [near, 3, 3], ["main", 0, 0]]),
          );
          assert.deepEqual(
            [
              (await fx.subject.inventory.get(a))?.stock,
              (await fx.subject.inventory.get(a))
                ?.reserved,
            ],
            [7, 6],
          );
          await assert.rejects(
            placeFor(fx.subject, [{ sku: a, qty: 2 }], 3),
            (e: unknown) => e instanceof InsufficientStock && e.skus.join() === a,
          );
        } finally {
          await fx.close();
        }
      });

      await t.step(
        "confirm deducts, cancel and expiry release, refund restocks exactly those rows",
        async () => {
          const fx = await make();
          try {
            const { orders } = fx.subject;
            const { near, far } = await twoWarehouses(fx.subject);
            const a = await stockedIn(fx.subject, { [near]: 3, [far]: 4, main: 10 });
            // 6 > any one of near and far, but main (priority 100) fills it alone.
            const mainOnly = await placeFor(fx.subject, [{ sku: a, qty: 6 }]);
            assert.deepEqual(await orders.allocations(mainOnly.id), [
              { sku: a, warehouse: "main", qty: 6 },
            ]);
            // 14 = near 3 + far 4 + main 7 (what is left in main after the first: 4).
            await assert.rejects(placeFor(fx.subject, [{ sku: a, qty: 12 }], 1), InsufficientStock);
            const split = await placeFor(fx.subject, [{ sku: a, qty: 11 }], 1);
            assert.deepEqual(
              (await orders.allocations(split.id)).map((x) => [x.warehouse, x.qty]),
              sorted([[near, 3], [far, 4], ["main", 4]]),
            );
            assert.deepEqual(
              await rowsOf(fx.subject, a),
              sorted([[near, 3, 3], [far, 4, 4], ["main", 10, 10]]),
            );

            await orders.confirmPayment(payment(split, at(2)));
            assert.deepEqual(
              await rowsOf(fx.subject, a),
              sorted([[near, 0, 0], [far, 0, 0], ["main", 6, 6]]),
              "paying deducts exactly the split order's rows",
            );
            await orders.cancel(mainOnly.id, at(3));
            assert.deepEqual(
              await rowsOf(fx.subject, a),
              sorted([[near, 0, 0], [far, 0, 0], ["main", 6, 0]]),
              "cancelling releases exactly main's 6",
            );
            await orders.refund(split.id, at(4));
            assert.deepEqual(
              await rowsOf(fx.subject, a),
              sorted([[near, 3, 0], [far, 4, 0], ["main", 10, 0]]),
              "the refund restocks each row it came from",
            );

            // Expiry releases the rows of the expired order only.
            const base = Date.parse("2001-01-01T00:00:00.000Z");
            const late = await placeFor(fx.subject, [{ sku: a, qty: 12 }], 5);
            const early = await fx.subject.orders.place({
              id: crypto.randomUUID(),
              userId: late.userId,
              lines: [{ sku: a, qty: 5 }],
              createdAt: new Date(base),
              expiresAt: new Date(base + MINUTE),
              source: "items",
              maxPendingPerUser: 1_000,
            });
            const heldEarly = await orders.allocations(early.id);
            assert.equal(heldEarly.reduce((n, x) => n + x.qty, 0), 5);
            const expired = await orders.expireDue(new Date(base + 2 * MINUTE), 10);
            assert.deepEqual(expired.map((o) => o.id), [early.id]);
            const heldLate = await orders.allocations(late.id);
            const reservedBy = new Map(heldLate.map((x) => [x.warehouse, x.qty]));
            assert.deepEqual(
              (await rowsOf(fx.subject, a)).map(([w, , reserved]) => [w, reserved]),
              sorted([[near, reservedBy.get(near) ?? 0], [far, reservedBy.get(far) ?? 0], [
                "main",
                reservedBy.get("main") ?? 0,
              ]]),
              "only the late order's rows stay reserved",
            );
          } finally {
            await fx.close();
          }
        },
      );
    },
  });
}

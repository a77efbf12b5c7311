/**
 * An order's life after placing, part of the `OrderStore` contract (`orderStoreContract`
 * runs these steps in its one `Deno.test`, in order): stock adjustments under
 * reservations, cancel, advance, hasPurchased, refunds and expiry.
 */
import assert from "node:assert/strict";
import {
  InvalidStockLevel,
  InvalidTransition,
  NotFound,
  OrderNotPending,
} from "../../domain/errors.ts";
import type { Order } from "../../domain/ordering/order.ts";
import type { MakeFixture } from "./_fixture.ts";
import {
  at,
  levels,
  newOrder,
  newUserId,
  type OrderFixture,
  paymentFor,
  stocked,
} from "./_order_fixture.ts";

/** adjust() respects what pending orders reserved. */
export async function adjustUnderReservationsStep(
  t: Deno.TestContext,
  make: MakeFixture<OrderFixture>,
): Promise<void> {
  await t.step("adjust() cannot take stock below what pending orders reserved", async () => {
    const fx = await make();
    try {
      const { orders, inventory } = fx.subject;
      const sku = await stocked(fx.subject, 5);
      await orders.place(newOrder(await newUserId(fx.subject), [{ sku, qty: 3 }]));
      await assert.rejects(inventory.adjust(sku, { stock: 2 }, at(1)), (e: unknown) => {
        assert.ok(e instanceof InvalidStockLevel);
        assert.deepEqual([e.sku, e.stock, e.reserved], [sku, 2, 3]);
        return true;
      });
      await assert.rejects(inventory.adjust(sku, { delta: -3 }, at(1)), InvalidStockLevel);
      assert.equal((await inventory.adjust(sku, { delta: -2 }, at(1))).stock, 3);
    } finally {
      await fx.close();
    }
  });
}

/** cancel(), advance(), hasPurchased(), refund() and expireDue(). */
export async function lifecycleSteps(
  t: Deno.TestContext,
  make: MakeFixture<OrderFixture>,
): Promise<void> {
  await t.step(
    "cancel() releases the reservation; cancelling again throws InvalidTransition",
    async () => {
      const fx = await make();
      try {
        const { orders } = fx.subject;
        const sku = await stocked(fx.subject, 10);
        const order = await orders.place(
          newOrder(await newUserId(fx.subject), [{ sku, qty: 4 }]),
        );
        const cancelled = await orders.cancel(order.id, at(1));
        assert.equal(cancelled.status, "cancelled");
        assert.equal(cancelled.updatedAt.getTime(), at(1).getTime());
        assert.deepEqual(await levels(fx.subject, sku), { stock: 10, reserved: 0 });
        await assert.rejects(orders.cancel(order.id, at(2)), (e: unknown) => {
          assert.ok(e instanceof InvalidTransition);
          assert.deepEqual([e.from, e.to], ["cancelled", "cancelled"]);
          return true;
        });
        assert.deepEqual(await levels(fx.subject, sku), { stock: 10, reserved: 0 });
        await assert.rejects(orders.cancel(crypto.randomUUID(), at(1)), NotFound);
      } finally {
        await fx.close();
      }
    },
  );

  await t.step(
    "advance() moves confirmed -> shipped -> delivered; other moves throw",
    async () => {
      const fx = await make();
      try {
        const { orders } = fx.subject;
        const sku = await stocked(fx.subject, 10);
        const order = await orders.place(
          newOrder(await newUserId(fx.subject), [{ sku, qty: 1 }]),
        );
        await assert.rejects(orders.advance(order.id, "shipped", at(1)), (e: unknown) => {
          assert.ok(e instanceof InvalidTransition);
          assert.deepEqual([e.from, e.to], ["pending", "shipped"]);
          return true;
        });
        await orders.confirmPayment(paymentFor(order, at(1)));
        await assert.rejects(orders.advance(order.id, "delivered", at(2)), InvalidTransition);
        const shipped = await orders.advance(order.id, "shipped", at(2));
        assert.equal(shipped.status, "shipped");
        assert.equal(shipped.updatedAt.getTime(), at(2).getTime());
        assert.equal(shipped.paidAt?.getTime(), at(1).getTime());
        const delivered = await orders.advance(order.id, "delivered", at(3));
        assert.equal(delivered.status, "delivered");
        assert.equal((await orders.get(order.id))?.status, "delivered");
        await assert.rejects(orders.advance(order.id, "shipped", at(4)), InvalidTransition);
        await assert.rejects(orders.cancel(order.id, at(4)), InvalidTransition);
        await assert.rejects(orders.advance(crypto.randomUUID(), "shipped", at(4)), NotFound);
        assert.deepEqual(await levels(fx.subject, sku), { stock: 9, reserved: 0 });
      } finally {
        await fx.close();
      }
    },
  );

  await t.step(
    "hasPurchased() is true only for a confirmed, shipped or delivered order of a SKU",
    async () => {
      const fx = await make();
      try {
        const { orders } = fx.subject;
        const user = await newUserId(fx.subject);
        const other = await newUserId(fx.subject);
        const sku = await stocked(fx.subject, 10);
        const elsewhere = await stocked(fx.subject, 10);
        const bought = (u: string, skus: string[]) => orders.hasPurchased(u, skus);
        assert.equal(await bought(user, [sku]), false);
        assert.equal(await bought(user, []), false);
        const pending = await orders.place(newOrder(user, [{ sku, qty: 1 }]));
        assert.equal(await bought(user, [sku]), false, "pending is not a purchase");
        await orders.cancel(pending.id, at(1));
        assert.equal(await bought(user, [sku]), false, "cancelled is not a purchase");
        const order = await orders.place(newOrder(user, [{ sku, qty: 1 }]));
        await orders.confirmPayment(paymentFor(order, at(2)));
        assert.equal(await bought(user, [sku]), true, "confirmed");
        assert.equal(await bought(user, ["NOPE", sku]), true, "any of the SKUs");
        assert.equal(await bought(user, [elsewhere]), false);
        assert.equal(await bought(other, [sku]), false, "another customer's order");
        await orders.advance(order.id, "shipped", at(3));
        assert.equal(await bought(user, [sku]), true, "shipped");
        await orders.advance(order.id, "delivered", at(4));
        assert.equal(await bought(user, [sku]), true, "delivered");
        await orders.refund(order.id, at(5));
        assert.equal(await bought(user, [sku]), false, "refunded is not a purchase");
      } finally {
        await fx.close();
      }
    },
  );

  await t.step("refund() restocks and marks the payment refunded, once", async () => {
    const fx = await make();
    try {
      const { orders } = fx.subject;
      const sku = await stocked(fx.subject, 10);
      const order = await orders.place(
        newOrder(await newUserId(fx.subject), [{ sku, qty: 3 }]),
      );
      await assert.rejects(orders.refund(order.id, at(1)), (e: unknown) => {
        assert.ok(e instanceof InvalidTransition);
        assert.deepEqual([e.from, e.to], ["pending", "refunded"]);
        return true;
      });
      const payment = paymentFor(order, at(1));
      await orders.confirmPayment(payment);
      await orders.advance(order.id, "shipped", at(2));
      const refunded = await orders.refund(order.id, at(3));
      assert.equal(refunded.status, "refunded");
      assert.equal(refunded.updatedAt.getTime(), at(3).getTime());
      assert.deepEqual(await levels(fx.subject, sku), { stock: 10, reserved: 0 });
      const payments = await orders.payments(order.id);
      assert.deepEqual(payments.map((p) => [p.id, p.status]), [[payment.id, "refunded"]]);
      await assert.rejects(orders.refund(order.id, at(4)), InvalidTransition);
      assert.deepEqual(await levels(fx.subject, sku), { stock: 10, reserved: 0 });
      await assert.rejects(orders.refund(crypto.randomUUID(), at(4)), NotFound);
    } finally {
      await fx.close();
    }
  });

  await t.step(
    "expireDue() cancels each expired order exactly once across callers",
    async () => {
      const fx = await make();
      try {
        const { orders } = fx.subject;
        // 2001: no other step or run leaves pending orders that expire this early.
        const base = Date.parse("2001-01-01T00:00:00.000Z");
        const now = at(60, base);
        const sku = await stocked(fx.subject, 10);
        const userId = await newUserId(fx.subject);
        const expired: Order[] = [];
        for (let i = 0; i < 3; i++) {
          expired.push(await orders.place(newOrder(userId, [{ sku, qty: 1 }], at(i, base))));
        }
        const live = await orders.place(newOrder(userId, [{ sku, qty: 1 }], at(50, base)));
        const mine = new Set(expired.map((o) => o.id));

        const [a, b] = await Promise.all([orders.expireDue(now, 2), orders.expireDue(now, 2)]);
        assert.ok(a.length <= 2 && b.length <= 2, "expireDue() exceeded its limit");
        const swept = [...a, ...b];
        for (let round = 0; round < 20; round++) {
          const more = await orders.expireDue(now, 100);
          if (more.length === 0) break;
          swept.push(...more);
        }
        const ours = swept.filter((o) => mine.has(o.id) || o.id === live.id);
        assert.deepEqual(ours.map((o) => o.id).sort(), [...mine].sort());
        for (const o of ours) {
          assert.equal(o.status, "cancelled");
          assert.equal(o.updatedAt.getTime(), now.getTime());
        }
        assert.equal(
          new Set(swept.map((o) => o.id)).size,
          swept.length,
          "an order expired twice",
        );
        assert.deepEqual(await levels(fx.subject, sku), { stock: 10, reserved: 1 });
        assert.equal((await orders.get(live.id))?.status, "pending");

        await assert.rejects(
          orders.confirmPayment(paymentFor(expired[0], at(10, base))),
          (e: unknown) => {
            assert.ok(e instanceof OrderNotPending);
            assert.equal(e.status, "cancelled");
            return true;
          },
        );
      } finally {
        await fx.close();
      }
    },
  );
}

/**
 * Paying orders, part of the `OrderStore` contract (`orderStoreContract` runs these steps
 * in its one `Deno.test`, in order): confirmation once per providerRef, concurrent and late
 * confirmations, failed attempts, and the client, the webhook and the sweeper racing.
 */
import assert from "node:assert/strict";
import { OrderNotPending } from "../../domain/errors.ts";
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

/** confirmPayment() and recordFailedPayment(). */
export async function paymentSteps(
  t: Deno.TestContext,
  make: MakeFixture<OrderFixture>,
): Promise<void> {
  await t.step(
    "confirmPayment() confirms, deducts once and replays the same providerRef",
    async () => {
      const fx = await make();
      try {
        const { orders } = fx.subject;
        const sku = await stocked(fx.subject, 10, 500);
        const order = await orders.place(
          newOrder(await newUserId(fx.subject), [{ sku, qty: 3 }]),
        );
        const payment = paymentFor(order, at(5));
        const first = await orders.confirmPayment(payment);
        assert.equal(first.kind, "confirmed");
        assert.equal(first.order.status, "confirmed");
        assert.equal(first.order.paidAt?.getTime(), at(5).getTime());
        assert.deepEqual({ ...first.payment }, payment);
        assert.deepEqual(await levels(fx.subject, sku), { stock: 7, reserved: 0 });

        const again = await orders.confirmPayment({
          ...paymentFor(order, at(6), payment.providerRef),
        });
        assert.equal(again.kind, "replayed");
        assert.equal(again.payment.id, payment.id);
        assert.equal(again.order.status, "confirmed");
        assert.equal(again.order.paidAt?.getTime(), at(5).getTime());
        assert.deepEqual(await levels(fx.subject, sku), { stock: 7, reserved: 0 });
        assert.deepEqual((await orders.payments(order.id)).map((p) => p.id), [payment.id]);

        await assert.rejects(orders.confirmPayment(paymentFor(order, at(7))), (e: unknown) => {
          assert.ok(e instanceof OrderNotPending);
          assert.deepEqual([e.orderId, e.status], [order.id, "confirmed"]);
          return true;
        });
        assert.deepEqual(await levels(fx.subject, sku), { stock: 7, reserved: 0 });
      } finally {
        await fx.close();
      }
    },
  );

  await t.step(
    "confirmPayment(): concurrent calls with one providerRef confirm once",
    async () => {
      const fx = await make();
      try {
        const { orders } = fx.subject;
        const sku = await stocked(fx.subject, 10);
        const order = await orders.place(
          newOrder(await newUserId(fx.subject), [{ sku, qty: 2 }]),
        );
        const ref = `ch_${crypto.randomUUID()}`;
        const results = await Promise.all(
          [at(1), at(2), at(3)].map((when) => orders.confirmPayment(paymentFor(order, when, ref))),
        );
        assert.deepEqual(results.map((r) => r.kind).sort(), [
          "confirmed",
          "replayed",
          "replayed",
        ]);
        assert.equal(new Set(results.map((r) => r.payment.id)).size, 1);
        assert.deepEqual(await levels(fx.subject, sku), { stock: 8, reserved: 0 });
        assert.equal((await orders.payments(order.id)).length, 1);
      } finally {
        await fx.close();
      }
    },
  );

  await t.step(
    "confirmPayment() after expiry throws OrderNotPending and changes nothing",
    async () => {
      const fx = await make();
      try {
        const { orders } = fx.subject;
        const sku = await stocked(fx.subject, 10);
        const order = await orders.place(
          newOrder(await newUserId(fx.subject), [{ sku, qty: 2 }]),
        );
        await assert.rejects(orders.confirmPayment(paymentFor(order, at(15))), (e: unknown) => {
          assert.ok(e instanceof OrderNotPending);
          assert.deepEqual([e.orderId, e.status], [order.id, "expired"]);
          return true;
        });
        assert.equal((await orders.get(order.id))?.status, "pending");
        assert.deepEqual(await orders.payments(order.id), []);
        assert.deepEqual(await levels(fx.subject, sku), { stock: 10, reserved: 2 });
      } finally {
        await fx.close();
      }
    },
  );

  await t.step(
    "recordFailedPayment() keeps the order pending and lists the attempt",
    async () => {
      const fx = await make();
      try {
        const { orders } = fx.subject;
        const sku = await stocked(fx.subject, 10);
        const order = await orders.place(
          newOrder(await newUserId(fx.subject), [{ sku, qty: 1 }]),
        );
        const declined = paymentFor(order, at(1), undefined, "declined");
        await orders.recordFailedPayment(declined);
        assert.equal((await orders.get(order.id))?.status, "pending");
        assert.deepEqual((await orders.payments(order.id)).map((p) => ({ ...p })), [declined]);
        assert.deepEqual(await levels(fx.subject, sku), { stock: 10, reserved: 1 });
        const paid = paymentFor(order, at(2));
        assert.equal((await orders.confirmPayment(paid)).kind, "confirmed");
        assert.deepEqual(
          (await orders.payments(order.id)).map((p) => p.status).sort(),
          ["declined", "succeeded"],
        );
      } finally {
        await fx.close();
      }
    },
  );
}

/** The client's confirmation, the webhook's and the sweeper racing. */
export async function confirmationRaceStep(
  t: Deno.TestContext,
  make: MakeFixture<OrderFixture>,
): Promise<void> {
  await t.step(
    "the client's confirmation, the webhook's and the sweeper racing: one outcome each",
    async () => {
      const fx = await make();
      try {
        const { orders } = fx.subject;
        // 2002: no other step leaves pending orders that expire this early.
        const base = Date.parse("2002-01-01T00:00:00.000Z");
        const sku = await stocked(fx.subject, 100);
        const userId = await newUserId(fx.subject);
        let sold = 0;
        for (let i = 0; i < 12; i++) {
          const order = await orders.place(
            newOrder(userId, [{ sku, qty: 1 + (i % 3) }], at(i * 60, base)),
          );
          const ref = `pi_${crypto.randomUUID()}`;
          const expires = order.expiresAt.getTime();
          // Both confirmations carry the one PaymentIntent; the sweeper runs just after.
          const confirm = () =>
            orders.confirmPayment(paymentFor(order, new Date(expires - 1), ref));
          const [client, webhook, swept] = await Promise.allSettled([
            confirm(),
            confirm(),
            orders.expireDue(new Date(expires + 1), 10),
          ]);
          assert.equal(swept.status, "fulfilled");
          const stored = await orders.get(order.id);
          const paid = (await orders.payments(order.id)).filter((p) => p.status === "succeeded");
          const kinds = [client, webhook].map((r) =>
            r.status === "fulfilled" ? r.value.kind : "no"
          );
          if (stored?.status === "confirmed") {
            sold += order.items.reduce((n, l) => n + l.qty, 0);
            assert.deepEqual(paid.map((p) => p.providerRef), [ref]);
            assert.deepEqual(kinds.sort(), ["confirmed", "replayed"], `race ${i}`);
          } else {
            assert.equal(stored?.status, "cancelled", `race ${i}`);
            assert.deepEqual(paid, [], `race ${i}: a cancelled order has a payment`);
            for (const r of [client, webhook]) {
              assert.ok(r.status === "rejected" && r.reason instanceof OrderNotPending);
            }
          }
        }
        assert.deepEqual(await levels(fx.subject, sku), { stock: 100 - sold, reserved: 0 });
      } finally {
        await fx.close();
      }
    },
  );
}

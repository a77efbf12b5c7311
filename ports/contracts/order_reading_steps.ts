/**
 * Reading orders back, part of the `OrderStore` contract (`orderStoreContract` runs these
 * steps in its one `Deno.test`, in order): an order's source and payment, list(), the
 * revenue reports and the inventory feed every stock movement lands in.
 */
import assert from "node:assert/strict";
import { type GroupBy, periodOf } from "../../domain/analytics/revenue.ts";
import { InvalidTransition, OrderNotPending } from "../../domain/errors.ts";
import type { StockLine } from "../../domain/inventory/stock.ts";
import type { Order } from "../../domain/ordering/order.ts";
import type { MakeFixture } from "./_fixture.ts";
import {
  at,
  DAY,
  MINUTE,
  newOrder,
  newUserId,
  type OrderFixture,
  paymentFor,
  randomMonday,
  stocked,
} from "./_order_fixture.ts";
import { collectFeed, feedHead } from "./change_feed_contract.ts";
import { stockItem, uniqueSku } from "./inventory_store_contract.ts";

/** An order keeps its source and shows its payment. */
export async function orderSourceStep(
  t: Deno.TestContext,
  make: MakeFixture<OrderFixture>,
): Promise<void> {
  await t.step(
    "an order keeps its source, and shows its payment once paid (refunded after a refund)",
    async () => {
      const fx = await make();
      try {
        const { orders } = fx.subject;
        const sku = await stocked(fx.subject, 10, 500);
        const userId = await newUserId(fx.subject);
        const fromCart = await orders.place(
          newOrder(userId, [{ sku, qty: 2 }], at(1), { source: "cart" }),
        );
        assert.equal(fromCart.source, "cart");
        assert.equal(fromCart.payment, null);
        assert.equal((await orders.get(fromCart.id))?.source, "cart");
        const fromItems = await orders.place(newOrder(userId, [{ sku, qty: 1 }], at(1)));
        assert.equal((await orders.get(fromItems.id))?.source, "items");

        const charge = paymentFor(fromCart, at(2));
        await orders.recordFailedPayment(paymentFor(fromCart, at(2), undefined, "declined"));
        const { order: paid } = await orders.confirmPayment(charge);
        const summary = {
          provider: "test",
          status: "succeeded",
          amountCents: 1_000,
          currency: "USD",
          providerRef: charge.providerRef,
          processedAt: at(2),
        };
        assert.deepEqual({ ...paid.payment }, summary);
        assert.deepEqual({ ...(await orders.get(fromCart.id))?.payment }, summary);
        const refunded = await orders.refund(fromCart.id, at(3));
        assert.deepEqual({ ...refunded.payment }, { ...summary, status: "refunded" });
        assert.deepEqual({ ...(await orders.get(fromCart.id))?.payment }, {
          ...summary,
          status: "refunded",
        });
        const [listed] = (await orders.list({ userId, status: "refunded", page: 1, size: 5 }))
          .items;
        assert.equal(listed.payment?.status, "refunded");
        assert.equal(listed.source, "cart");
      } finally {
        await fx.close();
      }
    },
  );
}

/** list(), revenue() and the inventory feed. */
export async function listingSteps(
  t: Deno.TestContext,
  make: MakeFixture<OrderFixture>,
): Promise<void> {
  await t.step("list() is newest first, paginates and filters by user and status", async () => {
    const fx = await make();
    try {
      const { orders } = fx.subject;
      const sku = await stocked(fx.subject, 20);
      const userId = await newUserId(fx.subject);
      const placed: Order[] = [];
      for (let i = 1; i <= 5; i++) {
        placed.push(await orders.place(newOrder(userId, [{ sku, qty: 1 }], at(i))));
      }
      const newest = [...placed].reverse().map((o) => o.id);
      const ids = (p: { items: readonly Order[] }) => p.items.map((o) => o.id);

      const page1 = await orders.list({ userId, page: 1, size: 2 });
      assert.deepEqual(ids(page1), newest.slice(0, 2));
      assert.deepEqual([page1.page, page1.size, page1.total], [1, 2, 5]);
      const page3 = await orders.list({ userId, page: 3, size: 2 });
      assert.deepEqual(ids(page3), newest.slice(4));
      assert.deepEqual((await orders.list({ userId, page: 4, size: 2 })).items, []);

      await orders.cancel(placed[1].id, at(10));
      const cancelled = await orders.list({ userId, status: "cancelled", page: 1, size: 10 });
      assert.deepEqual([ids(cancelled), cancelled.total], [[placed[1].id], 1]);
      const pending = await orders.list({ userId, status: "pending", page: 1, size: 10 });
      assert.equal(pending.total, 4);

      const twins = [
        await orders.place(newOrder(userId, [{ sku, qty: 1 }], at(20))),
        await orders.place(newOrder(userId, [{ sku, qty: 1 }], at(20))),
      ];
      const top = await orders.list({ userId, page: 1, size: 2 });
      assert.deepEqual(ids(top), twins.map((o) => o.id).sort().reverse(), "ties go id desc");

      const other = await newUserId(fx.subject);
      assert.equal((await orders.list({ userId: other, page: 1, size: 10 })).total, 0);
    } finally {
      await fx.close();
    }
  });

  await t.step(
    "revenue() buckets paid orders by period and currency, reports refunds, ranks products",
    async () => {
      const fx = await make();
      try {
        const { orders, revenue } = fx.subject;
        const monday = randomMonday();
        const from = new Date(monday);
        const to = new Date(monday + 14 * DAY);
        const p1 = await stocked(fx.subject, 100, 1_000, "One");
        const p2 = await stocked(fx.subject, 100, 250, "Two");
        const p3 = await stocked(fx.subject, 100, 5_000, "Three");
        const p4 = uniqueSku();
        await fx.subject.inventory.create({
          ...stockItem(p4, 100, 700, "Four"),
          currency: "EUR",
        });
        const userId = await newUserId(fx.subject);
        const pay = async (lines: StockLine[], paidAt: number) => {
          const order = await orders.place(newOrder(userId, lines, new Date(paidAt - MINUTE)));
          await orders.confirmPayment(paymentFor(order, new Date(paidAt)));
          return order;
        };
        const day1 = monday + DAY + 10 * 60 * MINUTE;
        const day8 = monday + 8 * DAY;
        await pay([{ sku: p1, qty: 1 }, { sku: p2, qty: 4 }], day1); // 2000
        await pay([{ sku: p2, qty: 4 }, { sku: p3, qty: 1 }], day1 + 120 * MINUTE); // 6000
        await pay([{ sku: p4, qty: 2 }], day1 + 130 * MINUTE); // 1400 EUR, never added to USD
        const shipped = await pay([{ sku: p1, qty: 2 }, { sku: p3, qty: 2 }], day8); // 12000
        await orders.advance(shipped.id, "shipped", new Date(day8 + MINUTE));
        const refunded = await pay([{ sku: p1, qty: 1 }], day8 + MINUTE);
        await orders.refund(refunded.id, new Date(day8 + 2 * MINUTE));
        await orders.place(newOrder(userId, [{ sku: p1, qty: 1 }], new Date(day8)));
        await pay([{ sku: p1, qty: 1 }], to.getTime());
        await pay([{ sku: p1, qty: 1 }], from.getTime() - 1);
        await pay([{ sku: p2, qty: 1 }], from.getTime()); // 250 on the inclusive edge

        const days = await revenue.revenue({ from, to, groupBy: "day" }, 10);
        const usd = { currency: "USD", refundCount: 0, refundedCents: 0 };
        assert.deepEqual(days.buckets.map((b) => ({ ...b })), [
          { period: periodOf(from, "day"), ...usd, orders: 1, units: 1, revenueCents: 250 },
          {
            period: periodOf(new Date(day1), "day"),
            currency: "EUR",
            orders: 1,
            units: 2,
            revenueCents: 1_400,
            refundCount: 0,
            refundedCents: 0,
          },
          {
            period: periodOf(new Date(day1), "day"),
            ...usd,
            orders: 2,
            units: 10,
            revenueCents: 8_000,
          },
          {
            period: periodOf(new Date(day8), "day"),
            ...usd,
            orders: 1,
            units: 4,
            revenueCents: 12_000,
            refundCount: 1,
            refundedCents: 1_000,
          },
        ]);
        assert.deepEqual(days.totals.map((t) => ({ ...t })), [
          {
            currency: "EUR",
            orders: 1,
            units: 2,
            revenueCents: 1_400,
            refundCount: 0,
            refundedCents: 0,
          },
          {
            currency: "USD",
            orders: 4,
            units: 15,
            revenueCents: 20_250,
            refundCount: 1,
            refundedCents: 1_000,
          },
        ]);
        assert.deepEqual(days.topProducts.map((p) => ({ ...p })), [
          { sku: p2, productName: "Two", currency: "USD", units: 9, revenueCents: 2_250 },
          { sku: p3, productName: "Three", currency: "USD", units: 3, revenueCents: 15_000 },
          { sku: p1, productName: "One", currency: "USD", units: 3, revenueCents: 3_000 },
          { sku: p4, productName: "Four", currency: "EUR", units: 2, revenueCents: 1_400 },
        ]);

        const weeks = await revenue.revenue({ from, to, groupBy: "week" }, 2);
        assert.deepEqual(
          weeks.buckets.filter((b) => b.currency === "USD").map((b) => ({ ...b })),
          [
            {
              period: periodOf(from, "week"),
              ...usd,
              orders: 3,
              units: 11,
              revenueCents: 8_250,
            },
            {
              period: periodOf(new Date(day8), "week"),
              ...usd,
              orders: 1,
              units: 4,
              revenueCents: 12_000,
              refundCount: 1,
              refundedCents: 1_000,
            },
          ],
        );
        assert.deepEqual(weeks.topProducts.map((p) => p.sku), [p2, p3]);

        const months = await revenue.revenue({ from, to, groupBy: "month" }, 0);
        const expectedMonths = new Map<string, number>();
        for (const [when, cents] of [[from.getTime(), 250], [day1, 8_000], [day8, 12_000]]) {
          const period = periodOf(new Date(when), "month" as GroupBy);
          expectedMonths.set(period, (expectedMonths.get(period) ?? 0) + cents);
        }
        assert.deepEqual(
          months.buckets.filter((b) => b.currency === "USD").map((b) => [
            b.period,
            b.revenueCents,
          ]),
          [...expectedMonths].sort(([a], [b]) => (a < b ? -1 : 1)),
        );
        assert.deepEqual(months.topProducts, []);

        const empty = await revenue.revenue(
          { from: new Date(monday + 3 * DAY), to: new Date(monday + 4 * DAY), groupBy: "day" },
          5,
        );
        assert.deepEqual(
          {
            buckets: [...empty.buckets],
            totals: [...empty.totals],
            top: [...empty.topProducts],
          },
          { buckets: [], totals: [], top: [] },
        );
      } finally {
        await fx.close();
      }
    },
  );

  await t.step("every stock movement is recorded in the inventory feed", async () => {
    const fx = await make();
    try {
      const { orders, feed } = fx.subject;
      const head = await feedHead(feed);
      const sku = await stocked(fx.subject, 10);
      const userId = await newUserId(fx.subject);
      const kept = await orders.place(newOrder(userId, [{ sku, qty: 2 }], at(1)));
      await orders.confirmPayment(paymentFor(kept, at(2)));
      await orders.refund(kept.id, at(3));
      const dropped = await orders.place(newOrder(userId, [{ sku, qty: 1 }], at(4)));
      await orders.cancel(dropped.id, at(5));
      const expiring = await orders.place(newOrder(userId, [{ sku, qty: 1 }], at(6)));
      await assert.rejects(orders.advance(kept.id, "shipped", at(7)), InvalidTransition);
      await assert.rejects(
        orders.confirmPayment(paymentFor(expiring, at(30))),
        OrderNotPending,
      );

      const { events } = await collectFeed(feed, head, (e) => e.sku === sku, 7);
      assert.ok(events.every((e) => e.source === "inventory"));
      assert.deepEqual(
        [...new Set(events.map((e) => e.at.getTime()))],
        [0, 1, 2, 3, 4, 5, 6].map((m) => at(m).getTime()),
      );
      const all = await collectFeed(feed, head, (e) => e.sku === sku, 8, 300);
      assert.equal(all.events.length, 7, "a refused operation must not record a change");
    } finally {
      await fx.close();
    }
  });
}

/**
 * Placing orders, part of the `OrderStore` contract (`orderStoreContract` runs these steps
 * in its one `Deno.test`, in order): reservations, snapshots, all-or-nothing refusals,
 * concurrency on the last units, currencies and the per-user pending cap.
 */
import assert from "node:assert/strict";
import { CurrencyMismatch, InsufficientStock, TooManyPendingOrders } from "../../domain/errors.ts";
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
import { stockItem, uniqueSku } from "./inventory_store_contract.ts";

/** place(): reservations, snapshots, refusals and 200 concurrent buyers. */
export async function placingSteps(
  t: Deno.TestContext,
  make: MakeFixture<OrderFixture>,
): Promise<void> {
  await t.step("place() reserves stock and snapshots price and name", async () => {
    const fx = await make();
    try {
      const { orders, inventory } = fx.subject;
      const mug = await stocked(fx.subject, 10, 1_250, "Blue mug");
      const pen = await stocked(fx.subject, 4, 199, "Pen");
      const input = newOrder(await newUserId(fx.subject), [
        { sku: mug, qty: 2 },
        { sku: pen, qty: 3 },
      ]);
      const placed = await orders.place(input);
      const expected: Order = {
        id: input.id,
        userId: input.userId,
        status: "pending",
        items: [
          {
            sku: mug,
            productSku: mug,
            productName: "Blue mug",
            variantLabel: null,
            qty: 2,
            unitPriceCents: 1_250,
            lineTotalCents: 2_500,
            taxCents: 0,
          },
          {
            sku: pen,
            productSku: pen,
            productName: "Pen",
            variantLabel: null,
            qty: 3,
            unitPriceCents: 199,
            lineTotalCents: 597,
            taxCents: 0,
          },
        ].sort((a, b) => (a.sku < b.sku ? -1 : 1)),
        subtotalCents: 3_097,
        shippingCents: 0,
        taxCents: 0,
        totalCents: 3_097,
        pricesIncludeTax: false,
        currency: "USD",
        shippingAddress: null,
        billingAddress: null,
        shipping: null,
        createdAt: input.createdAt,
        expiresAt: input.expiresAt,
        paidAt: null,
        updatedAt: input.createdAt,
        source: "items",
        payment: null,
      };
      const plain = (o: Order | null) => o && { ...o, items: o.items.map((i) => ({ ...i })) };
      assert.deepEqual(plain(placed), expected);
      assert.deepEqual(await levels(fx.subject, mug), { stock: 10, reserved: 2 });
      assert.deepEqual(await levels(fx.subject, pen), { stock: 4, reserved: 3 });

      await inventory.adjust(mug, { unitPriceCents: 9_999, name: "Red mug" }, at(1));
      assert.deepEqual(plain(await orders.get(input.id)), expected);
      assert.equal(await orders.get(crypto.randomUUID()), null);
    } finally {
      await fx.close();
    }
  });

  await t.step(
    "place() snapshots a variant's product SKU and label from inventory",
    async () => {
      const fx = await make();
      try {
        const { orders, inventory } = fx.subject;
        const product = uniqueSku("tee");
        const sku = `${product}-L`;
        await inventory.create({
          ...stockItem(sku, 5, 1_500, "Tee"),
          productSku: product,
          variantLabel: "Blue / L",
        });
        const input = newOrder(await newUserId(fx.subject), [{ sku, qty: 2 }]);
        const placed = await orders.place(input);
        const item = { sku, productSku: product, productName: "Tee", variantLabel: "Blue / L" };
        const pick = (o: Order | null) =>
          o?.items.map((i) => ({
            sku: i.sku,
            productSku: i.productSku,
            productName: i.productName,
            variantLabel: i.variantLabel,
          }));
        assert.deepEqual(pick(placed), [item]);
        await inventory.adjust(sku, { name: "Renamed" }, at(1));
        assert.deepEqual(pick(await orders.get(input.id)), [item], "a snapshot");
      } finally {
        await fx.close();
      }
    },
  );
  await t.step(
    "place() is all-or-nothing and names every short, unknown and inactive SKU",
    async () => {
      const fx = await make();
      try {
        const { orders, inventory } = fx.subject;
        const plenty = await stocked(fx.subject, 5);
        const short = await stocked(fx.subject, 1);
        const inactive = await stocked(fx.subject, 9);
        await inventory.discontinue(inactive, at(0));
        const unknown = uniqueSku();
        const input = newOrder(await newUserId(fx.subject), [
          { sku: plenty, qty: 2 },
          { sku: short, qty: 3 },
          { sku: inactive, qty: 1 },
          { sku: unknown, qty: 1 },
        ]);
        await assert.rejects(orders.place(input), (e: unknown) => {
          assert.ok(e instanceof InsufficientStock);
          assert.deepEqual([...e.skus].sort(), [short, inactive, unknown].sort());
          return true;
        });
        assert.deepEqual(await levels(fx.subject, plenty), { stock: 5, reserved: 0 });
        assert.deepEqual(await levels(fx.subject, short), { stock: 1, reserved: 0 });
        assert.equal(await orders.get(input.id), null);
      } finally {
        await fx.close();
      }
    },
  );

  await t.step(
    "place() refuses drafts and SKUs scheduled after the order, naming them, until their time",
    async () => {
      const fx = await make();
      try {
        const { orders, inventory } = fx.subject;
        const live = await stocked(fx.subject, 5);
        const draft = uniqueSku();
        await inventory.create(stockItem(draft, 5, 1_000, undefined, null));
        const soon = uniqueSku();
        await inventory.create(stockItem(soon, 5, 1_000, undefined, at(10)));
        const userId = await newUserId(fx.subject);
        const early = newOrder(userId, [
          { sku: live, qty: 1 },
          { sku: draft, qty: 1 },
          { sku: soon, qty: 1 },
        ], at(9));
        await assert.rejects(orders.place(early), (e: unknown) => {
          assert.ok(e instanceof InsufficientStock);
          assert.deepEqual([...e.skus].sort(), [draft, soon].sort());
          return true;
        });
        assert.deepEqual(await levels(fx.subject, live), { stock: 5, reserved: 0 });
        assert.equal(await orders.get(early.id), null);
        // At its publication time the scheduled SKU sells, with no write in between.
        const onTime = await orders.place(newOrder(userId, [{ sku: soon, qty: 2 }], at(10)));
        assert.equal(onTime.status, "pending");
        assert.deepEqual(await levels(fx.subject, soon), { stock: 5, reserved: 2 });
        // Unpublishing stops the sale again; publishing a draft starts it.
        await inventory.adjust(soon, { publishedAt: null }, at(11));
        await assert.rejects(
          orders.place(newOrder(userId, [{ sku: soon, qty: 1 }], at(12))),
          InsufficientStock,
        );
        await inventory.adjust(draft, { publishedAt: at(11) }, at(11));
        await orders.place(newOrder(userId, [{ sku: draft, qty: 1 }], at(12)));
        assert.deepEqual(await levels(fx.subject, draft), { stock: 5, reserved: 1 });
      } finally {
        await fx.close();
      }
    },
  );

  await t.step("place(): 200 concurrent orders for 50 units, exactly 50 succeed", async () => {
    const fx = await make();
    try {
      const { orders } = fx.subject;
      const sku = await stocked(fx.subject, 50);
      const userId = await newUserId(fx.subject);
      const results = await Promise.allSettled(
        Array.from({ length: 200 }, () => orders.place(newOrder(userId, [{ sku, qty: 1 }]))),
      );
      const placed = results.filter((r) => r.status === "fulfilled");
      const refused = results.flatMap((r) => r.status === "rejected" ? [r.reason] : []);
      assert.equal(placed.length, 50);
      assert.equal(refused.length, 150);
      for (const e of refused) {
        assert.ok(e instanceof InsufficientStock, `unexpected ${e}`);
        assert.deepEqual(e.skus, [sku]);
      }
      assert.deepEqual(await levels(fx.subject, sku), { stock: 50, reserved: 50 });
    } finally {
      await fx.close();
    }
  });
}

/** place() refuses lines in two currencies. */
export async function currencyMismatchStep(
  t: Deno.TestContext,
  make: MakeFixture<OrderFixture>,
): Promise<void> {
  await t.step(
    "place() refuses lines in two currencies as CurrencyMismatch, reserving nothing",
    async () => {
      const fx = await make();
      try {
        const { orders } = fx.subject;
        const usd = await stocked(fx.subject, 5, 1_000, "Dollar");
        const eur = uniqueSku();
        await fx.subject.inventory.create({
          ...stockItem(eur, 5, 900, "Euro"),
          currency: "EUR",
        });
        const userId = await newUserId(fx.subject);
        await assert.rejects(
          orders.place(newOrder(userId, [{ sku: usd, qty: 1 }, { sku: eur, qty: 1 }])),
          (error) => {
            assert.ok(error instanceof CurrencyMismatch);
            assert.equal(error.code, "currency_mismatch");
            const [first, second] = [usd, eur].sort();
            assert.equal(error.sku, second);
            assert.equal(error.expected, first === usd ? "USD" : "EUR");
            assert.equal(error.found, first === usd ? "EUR" : "USD");
            return true;
          },
        );
        assert.deepEqual(await levels(fx.subject, usd), { stock: 5, reserved: 0 });
        assert.deepEqual(await levels(fx.subject, eur), { stock: 5, reserved: 0 });
        assert.equal((await orders.list({ userId, page: 1, size: 10 })).total, 0);
        const euros = await orders.place(newOrder(userId, [{ sku: eur, qty: 2 }]));
        assert.equal(euros.currency, "EUR");
        assert.equal(euros.totalCents, 1_800);
      } finally {
        await fx.close();
      }
    },
  );
}

/** place() caps the live pending orders per user. */
export async function pendingCapStep(
  t: Deno.TestContext,
  make: MakeFixture<OrderFixture>,
): Promise<void> {
  await t.step(
    "place() caps live pending orders per user: TooManyPendingOrders, nothing reserved",
    async () => {
      const fx = await make();
      try {
        const { orders } = fx.subject;
        const sku = await stocked(fx.subject, 100);
        const userId = await newUserId(fx.subject);
        const capped = (minutes: number) =>
          newOrder(userId, [{ sku, qty: 1 }], at(minutes), { maxPendingPerUser: 2 });
        const first = await orders.place(capped(0));
        await orders.place(capped(1));
        await assert.rejects(orders.place(capped(2)), (error) => {
          assert.ok(error instanceof TooManyPendingOrders);
          assert.equal(error.code, "too_many_pending_orders");
          assert.equal(error.limit, 2);
          return true;
        });
        assert.deepEqual(await levels(fx.subject, sku), { stock: 100, reserved: 2 });

        // Another user is not affected; a cancelled order frees a place.
        const other = await newUserId(fx.subject);
        await orders.place(
          newOrder(other, [{ sku, qty: 1 }], at(2), { maxPendingPerUser: 2 }),
        );
        await orders.cancel(first.id, at(3));
        const third = await orders.place(capped(4));
        await assert.rejects(orders.place(capped(5)), TooManyPendingOrders);

        // A paid order is no longer pending; an expired one no longer counts.
        await orders.confirmPayment(paymentFor(third, at(6)));
        await orders.place(capped(7));
        await assert.rejects(orders.place(capped(8)), TooManyPendingOrders);
        await orders.place(capped(1 + 15)); // the order placed at minute 1 has expired
      } finally {
        await fx.close();
      }
    },
  );
}

/**
 * Delivery terms, part of the `OrderStore` contract (`orderStoreContract` runs it): an order
 * placed under `terms` is priced under the reservation, snapshots both addresses and the
 * option with its totals, and reads back the same, whatever changes afterwards.
 */
import assert from "node:assert/strict";
import { CurrencyMismatch } from "../../domain/errors.ts";
import type { StockLine } from "../../domain/inventory/stock.ts";
import type { NewOrder, Order, OrderAddress, OrderTerms } from "../../domain/ordering/order.ts";
import type { ContractOptions, MakeFixture } from "./_fixture.ts";
import { stockItem, uniqueSku } from "./inventory_store_contract.ts";
import type { OrderFixture } from "./order_store_contract.ts";
import { testUser } from "./users_contract.ts";

const MINUTE = 60_000;
const T0 = Date.parse("2030-01-01T00:00:00.000Z");
const at = (minutes: number) => new Date(T0 + minutes * MINUTE);

const CUPERTINO: OrderAddress = {
  name: "Ada Lovelace",
  line1: "1 Infinite Loop",
  line2: "Building 2",
  city: "Cupertino",
  region: "CA",
  postalCode: "95014",
  country: "US",
  phone: "+1 408 555 0100",
};
const BERLIN: OrderAddress = {
  name: "Grace Hopper",
  line1: "Unter den Linden 1",
  line2: null,
  city: "Berlin",
  region: null,
  postalCode: "10117",
  country: "DE",
  phone: null,
};

const option = (priceCents: number, more: Partial<OrderTerms["shippingOption"]> = {}) => ({
  id: `ship-${crypto.randomUUID().slice(0, 8)}`,
  zoneId: "zone-1",
  name: "Standard",
  priceCents,
  currency: "USD",
  freeOverCents: null,
  estimatedDays: { min: 2, max: 4 },
  ...more,
});

/** Shipped to California: 7.25 % added, shipping untaxed; billed to Berlin. */
const californiaTerms = (): OrderTerms => ({
  shippingAddress: { ...CUPERTINO },
  billingAddress: { ...BERLIN },
  shippingOption: option(599),
  taxRate: {
    country: "US",
    region: "CA",
    rateBasisPoints: 725,
    pricesIncludeTax: false,
    shippingTaxed: false,
  },
});

/** Germany: 19 % held in the prices, shipping taxed, free from 100.00. */
const germanTerms = (): OrderTerms => ({
  shippingAddress: { ...BERLIN },
  billingAddress: { ...BERLIN },
  shippingOption: option(1_190, { freeOverCents: 10_000 }),
  taxRate: {
    country: "DE",
    region: null,
    rateBasisPoints: 1_900,
    pricesIncludeTax: true,
    shippingTaxed: true,
  },
});

async function placeUnder(
  fx: OrderFixture,
  lines: readonly StockLine[],
  terms?: OrderTerms,
): Promise<Order> {
  const user = testUser();
  if (fx.users) await fx.users.create(user);
  const order: NewOrder = {
    id: crypto.randomUUID(),
    userId: user.id,
    lines: [...lines].sort((a, b) => (a.sku < b.sku ? -1 : 1)),
    createdAt: at(0),
    expiresAt: at(15),
    source: "items",
    maxPendingPerUser: 1_000,
    terms,
  };
  return await fx.orders.place(order);
}

/** Two SKUs, `a` sorting first: 2 x 19.99 and 3 x 3.33 (subtotal 49.97). */
async function twoSkus(fx: OrderFixture): Promise<[StockLine, StockLine]> {
  const [a, b] = [uniqueSku(), uniqueSku()].sort();
  await fx.inventory.create(stockItem(a, 20, 1_999, "Alpha"));
  await fx.inventory.create(stockItem(b, 20, 333, "Beta"));
  return [{ sku: a, qty: 2 }, { sku: b, qty: 3 }];
}

export function orderCheckoutContract(
  label: string,
  make: MakeFixture<OrderFixture>,
  options: ContractOptions = {},
): void {
  Deno.test({
    name: `${label}: OrderStore delivery terms and totals`,
    ignore: options.ignore,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async (t) => {
      await t.step("exclusive tax: per line, half up, added; snapshots read back", async () => {
        const fx = await make();
        try {
          const terms = californiaTerms();
          const placed = await placeUnder(fx.subject, await twoSkus(fx.subject), terms);
          // 3998 x 7.25 % = 289.855 -> 290; 999 x 7.25 % = 72.4275 -> 72.
          assert.deepEqual(placed.items.map((i) => i.taxCents), [290, 72]);
          assert.equal(placed.subtotalCents, 4_997);
          assert.equal(placed.shippingCents, 599);
          assert.equal(placed.taxCents, 362);
          assert.equal(placed.totalCents, 4_997 + 599 + 362);
          assert.equal(placed.pricesIncludeTax, false);
          assert.deepEqual(placed.shippingAddress, CUPERTINO);
          assert.deepEqual(placed.billingAddress, BERLIN);
          assert.deepEqual(placed.shipping, {
            id: terms.shippingOption.id,
            name: "Standard",
            priceCents: 599,
            taxCents: 0,
          });
          assert.deepEqual(await fx.subject.orders.get(placed.id), placed);
          const listed = await fx.subject.orders.list({ userId: placed.userId, page: 1, size: 5 });
          assert.deepEqual(listed.items, [placed]);
        } finally {
          await fx.close();
        }
      });

      await t.step("inclusive tax: held in the prices, shipping taxed, not added", async () => {
        const fx = await make();
        try {
          const placed = await placeUnder(fx.subject, await twoSkus(fx.subject), germanTerms());
          // 3998 x 19/119 = 638.3 -> 638; 999 -> 159.5 -> 160; 1190 -> 190.
          assert.deepEqual(placed.items.map((i) => i.taxCents), [638, 160]);
          assert.equal(placed.taxCents, 988);
          assert.equal(placed.shipping?.taxCents, 190);
          assert.equal(placed.totalCents, 4_997 + 1_190);
          assert.equal(placed.pricesIncludeTax, true);
          assert.deepEqual(await fx.subject.orders.get(placed.id), placed);
        } finally {
          await fx.close();
        }
      });

      await t.step("shipping is priced on the subtotal read under the reservation", async () => {
        const fx = await make();
        try {
          const [a, b] = await twoSkus(fx.subject);
          // 10 x 19.99 = 199.90 >= 100.00: free, whatever the caller saw earlier.
          const placed = await placeUnder(fx.subject, [{ ...a, qty: 10 }, b], germanTerms());
          assert.equal(placed.subtotalCents, 20_989);
          assert.equal(placed.shippingCents, 0);
          assert.equal(placed.shipping?.priceCents, 0);
          assert.equal(placed.totalCents, 20_989);
        } finally {
          await fx.close();
        }
      });

      await t.step("an option in another currency is CurrencyMismatch, nothing held", async () => {
        const fx = await make();
        try {
          const lines = await twoSkus(fx.subject);
          const terms = { ...californiaTerms(), shippingOption: option(500, { currency: "EUR" }) };
          await assert.rejects(placeUnder(fx.subject, lines, terms), CurrencyMismatch);
          for (const { sku } of lines) {
            assert.equal((await fx.subject.inventory.get(sku))?.reserved, 0);
          }
        } finally {
          await fx.close();
        }
      });

      await t.step(
        "snapshots never change: not by the input, prices, payment or cancel",
        async () => {
          const fx = await make();
          try {
            const { orders, inventory } = fx.subject;
            const lines = await twoSkus(fx.subject);
            const terms = californiaTerms();
            const placed = await placeUnder(fx.subject, lines, terms);
            // The caller's objects and the catalogue change; the order does not.
            (terms.shippingAddress as { line1: string }).line1 = "changed";
            (terms.shippingOption as { name: string }).name = "changed";
            await inventory.adjust(lines[0].sku, { unitPriceCents: 1 }, at(1));
            assert.deepEqual(await orders.get(placed.id), placed);
            const other = await placeUnder(fx.subject, lines, californiaTerms());
            const paid = await orders.confirmPayment({
              id: crypto.randomUUID(),
              orderId: placed.id,
              userId: placed.userId,
              status: "succeeded",
              amountCents: placed.totalCents,
              currency: placed.currency,
              provider: "test",
              providerRef: `ch_${crypto.randomUUID()}`,
              failureReason: null,
              processedAt: at(2),
            });
            const cancelled = await orders.cancel(other.id, at(2));
            const keep = (o: Order) => [
              o.subtotalCents,
              o.shippingCents,
              o.taxCents,
              o.totalCents,
              o.shippingAddress,
              o.billingAddress,
              o.shipping,
              o.items.map((i) => i.taxCents),
            ];
            assert.deepEqual(keep(paid.order), keep(placed));
            assert.deepEqual(keep((await orders.get(placed.id))!), keep(placed));
            assert.deepEqual(keep(cancelled), keep(other));
            assert.equal(other.items[0].unitPriceCents, 1, "a new order takes the new price");
          } finally {
            await fx.close();
          }
        },
      );

      await t.step("without terms: no shipping, no tax, subtotal = total", async () => {
        const fx = await make();
        try {
          const placed = await placeUnder(fx.subject, await twoSkus(fx.subject));
          assert.equal(placed.subtotalCents, 4_997);
          assert.equal(placed.totalCents, 4_997);
          assert.deepEqual(
            [placed.shippingCents, placed.taxCents, placed.pricesIncludeTax],
            [0, 0, false],
          );
          assert.deepEqual(
            [placed.shippingAddress, placed.billingAddress, placed.shipping],
            [null, null, null],
          );
          assert.deepEqual(await fx.subject.orders.get(placed.id), placed);
        } finally {
          await fx.close();
        }
      });
    },
  });
}

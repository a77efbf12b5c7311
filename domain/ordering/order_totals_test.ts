import assert from "node:assert/strict";
import { CurrencyMismatch } from "../errors.ts";
import type { TaxRate } from "../tax/tax.ts";
import { type OrderAddress, type OrderTerms, orderTotals } from "./order_totals.ts";

const ADDRESS: OrderAddress = {
  name: "Ada",
  line1: "1 Main St",
  line2: null,
  city: "Town",
  region: null,
  postalCode: "1",
  country: "US",
  phone: null,
};
const LINES = [
  { sku: "A", unitPriceCents: 1_999, qty: 2 },
  { sku: "B", unitPriceCents: 333, qty: 3 },
];

function terms(rate: TaxRate | null, priceCents = 1_190, freeOverCents: number | null = null) {
  const t: OrderTerms = {
    shippingAddress: ADDRESS,
    billingAddress: ADDRESS,
    shippingOption: {
      id: "s",
      zoneId: "z",
      name: "Standard",
      priceCents,
      currency: "USD",
      freeOverCents,
      estimatedDays: { min: 1, max: 2 },
    },
    taxRate: rate,
  };
  return t;
}

const rate = (bp: number, pricesIncludeTax: boolean, shippingTaxed: boolean): TaxRate => ({
  country: "XX",
  region: null,
  rateBasisPoints: bp,
  pricesIncludeTax,
  shippingTaxed,
});

Deno.test("orderTotals() prices shipping and tax on the lines as priced", async (t) => {
  await t.step("exclusive (US-CA 7.25 %): per-line tax half up, added; shipping untaxed", () => {
    const totals = orderTotals(LINES, "USD", terms(rate(725, false, false), 599));
    assert.deepEqual(totals.lineTaxCents, [290, 72]); // 289.855 -> 290, 72.4275 -> 72
    assert.equal(totals.subtotalCents, 4_997);
    assert.equal(totals.shippingCents, 599);
    assert.equal(totals.taxCents, 362);
    assert.equal(totals.totalCents, 4_997 + 599 + 362);
    assert.deepEqual(totals.shipping, { id: "s", name: "Standard", priceCents: 599, taxCents: 0 });
    assert.equal(totals.pricesIncludeTax, false);
  });

  await t.step("exclusive with shipping taxed (US-NY 4 %): shipping's tax added too", () => {
    const totals = orderTotals(LINES, "USD", terms(rate(400, false, true), 599));
    assert.deepEqual(totals.lineTaxCents, [160, 40]); // 159.92 -> 160, 39.96 -> 40
    assert.equal(totals.shipping.taxCents, 24); // 23.96 -> 24
    assert.equal(totals.taxCents, 224);
    assert.equal(totals.totalCents, 4_997 + 599 + 224);
  });

  await t.step("inclusive (DE 19 %): tax held in lines and shipping, not added", () => {
    const totals = orderTotals(LINES, "USD", terms(rate(1_900, true, true)));
    assert.deepEqual(totals.lineTaxCents, [638, 160]); // 638.34, 159.50 -> 160
    assert.equal(totals.shipping.taxCents, 190);
    assert.equal(totals.taxCents, 988);
    assert.equal(totals.totalCents, 4_997 + 1_190);
    assert.equal(totals.pricesIncludeTax, true);
  });

  await t.step("inclusive with shipping untaxed: only the lines hold tax", () => {
    const totals = orderTotals(LINES, "USD", terms(rate(1_900, true, false)));
    assert.equal(totals.shipping.taxCents, 0);
    assert.equal(totals.taxCents, 798);
  });

  await t.step("no rate: no tax; free shipping from the threshold on the subtotal", () => {
    const free = orderTotals(LINES, "USD", terms(null, 599, 4_997));
    assert.deepEqual([free.shippingCents, free.taxCents, free.totalCents], [0, 0, 4_997]);
    const paid = orderTotals(LINES, "USD", terms(null, 599, 4_998));
    assert.equal(paid.totalCents, 4_997 + 599);
  });

  await t.step("an option in another currency is CurrencyMismatch", () => {
    assert.throws(() => orderTotals(LINES, "EUR", terms(null)), CurrencyMismatch);
  });
});

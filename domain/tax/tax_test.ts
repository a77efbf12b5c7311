import assert from "node:assert/strict";
import { exclusiveTaxCents, inclusiveTaxCents, quoteTax, rateFor, type TaxRate } from "./tax.ts";

const us: TaxRate = {
  country: "US",
  region: "CA",
  rateBasisPoints: 725,
  pricesIncludeTax: false,
  shippingTaxed: false,
};
const de: TaxRate = {
  country: "DE",
  region: null,
  rateBasisPoints: 1900,
  pricesIncludeTax: true,
  shippingTaxed: true,
};

Deno.test("exclusiveTaxCents() rounds half up to the cent", async (t) => {
  await t.step("exact", () => assert.equal(exclusiveTaxCents(10_000, 725), 725));
  await t.step("half a cent rounds up", () => assert.equal(exclusiveTaxCents(10, 500), 1)); // 0.5
  await t.step("just under half rounds down", () => assert.equal(exclusiveTaxCents(9, 500), 0)); // 0.45
  await t.step("just over half rounds up", () => assert.equal(exclusiveTaxCents(11, 500), 1)); // 0.55
  await t.step("1.5 cents -> 2", () => assert.equal(exclusiveTaxCents(30, 500), 2));
  await t.step("2.5 cents -> 3 (not banker's)", () => assert.equal(exclusiveTaxCents(50, 500), 3));
  await t.step("zero rate", () => assert.equal(exclusiveTaxCents(999, 0), 0));
  await t.step("zero amount", () => assert.equal(exclusiveTaxCents(0, 1900), 0));
  await t.step("large amounts stay exact", () => {
    assert.equal(exclusiveTaxCents(123_456_789_01, 1999), 2_467_901_212);
  });
});

Deno.test("inclusiveTaxCents() extracts round(gross * r / (1 + r))", async (t) => {
  await t.step(
    "119.00 at 19% holds 19.00",
    () => assert.equal(inclusiveTaxCents(11_900, 1900), 1900),
  );
  await t.step("1.00 at 19% holds 0.16 (15.97 cents)", () => {
    assert.equal(inclusiveTaxCents(100, 1900), 16);
  });
  await t.step("21 at 10% holds 1.909.. -> 2", () => assert.equal(inclusiveTaxCents(21, 1000), 2));
  await t.step("an exact half rounds up: 3 at 100% holds 1.5 -> 2", () => {
    assert.equal(inclusiveTaxCents(3, 10_000), 2);
  });
  await t.step("an exact half: 105 at 5% holds exactly 5", () => {
    assert.equal(inclusiveTaxCents(105, 500), 5);
  });
  await t.step("21 cents at 5% holds exactly 1", () => {
    assert.equal(inclusiveTaxCents(21, 500), 1);
  });
  await t.step("63 at 5% holds 3; 31 holds 1.476 -> 1", () => {
    assert.equal(inclusiveTaxCents(63, 500), 3);
    assert.equal(inclusiveTaxCents(31, 500), 1);
  });
  await t.step("zero rate holds nothing", () => assert.equal(inclusiveTaxCents(100, 0), 0));
});

Deno.test("quoteTax() taxes each line, rounds it, then sums", async (t) => {
  await t.step("exclusive: per-line rounding differs from rounding the sum", () => {
    // 3 lines of 10 cents at 5%: each 0.5 -> 1, sum 3 (rounding the sum would give 2).
    const q = quoteTax({
      lines: [
        { sku: "A", unitPriceCents: 10, qty: 1 },
        { sku: "B", unitPriceCents: 10, qty: 1 },
        { sku: "C", unitPriceCents: 10, qty: 1 },
      ],
      shippingCents: 0,
      rate: { ...us, rateBasisPoints: 500 },
    });
    assert.deepEqual(q.lines.map((l) => l.taxCents), [1, 1, 1]);
    assert.equal(q.taxCents, 3);
    assert.equal(q.subtotalCents, 30);
    assert.equal(q.totalCents, 33);
  });
  await t.step("exclusive, untaxed shipping is added untaxed", () => {
    const q = quoteTax({
      lines: [{ sku: "A", unitPriceCents: 2_000, qty: 2 }],
      shippingCents: 500,
      rate: us,
    });
    assert.equal(q.lines[0].lineCents, 4_000);
    assert.equal(q.lines[0].taxCents, 290);
    assert.equal(q.shippingTaxCents, 0);
    assert.equal(q.taxCents, 290);
    assert.equal(q.totalCents, 4_000 + 500 + 290);
  });
  await t.step("exclusive, taxed shipping adds its own rounded tax", () => {
    const q = quoteTax({
      lines: [{ sku: "A", unitPriceCents: 2_000, qty: 2 }],
      shippingCents: 499,
      rate: { ...us, shippingTaxed: true },
    });
    assert.equal(q.shippingTaxCents, 36); // 36.1775
    assert.equal(q.taxCents, 290 + 36);
    assert.equal(q.totalCents, 4_000 + 499 + 326);
  });
  await t.step("inclusive: the total is what the shopper saw; tax is extracted", () => {
    const q = quoteTax({
      lines: [{ sku: "A", unitPriceCents: 1_190, qty: 1 }, {
        sku: "B",
        unitPriceCents: 100,
        qty: 3,
      }],
      shippingCents: 595,
      rate: de,
    });
    assert.deepEqual(q.lines.map((l) => l.taxCents), [190, 48]); // 300*19/119 = 47.9
    assert.equal(q.shippingTaxCents, 95);
    assert.equal(q.taxCents, 190 + 48 + 95);
    assert.equal(q.subtotalCents, 1_490);
    assert.equal(q.totalCents, 1_490 + 595);
  });
  await t.step("inclusive with untaxed shipping extracts nothing from shipping", () => {
    const q = quoteTax({
      lines: [{ sku: "A", unitPriceCents: 1_190, qty: 1 }],
      shippingCents: 595,
      rate: { ...de, shippingTaxed: false },
    });
    assert.equal(q.shippingTaxCents, 0);
    assert.equal(q.taxCents, 190);
    assert.equal(q.totalCents, 1_785);
  });
  await t.step("no rate for the place: no tax", () => {
    const q = quoteTax({
      lines: [{ sku: "A", unitPriceCents: 1_000, qty: 1 }],
      shippingCents: 100,
      rate: null,
    });
    assert.equal(q.taxCents, 0);
    assert.equal(q.totalCents, 1_100);
  });
  await t.step("an empty cart costs only shipping", () => {
    const q = quoteTax({ lines: [], shippingCents: 0, rate: us });
    assert.deepEqual(q, {
      lines: [],
      subtotalCents: 0,
      shippingCents: 0,
      shippingTaxCents: 0,
      taxCents: 0,
      totalCents: 0,
    });
  });
});

Deno.test("rateFor() picks the region's rate, else the country's, else none", () => {
  const usAll: TaxRate = { ...us, region: null, rateBasisPoints: 0 };
  const rates = [usAll, us, de];
  assert.equal(rateFor(rates, "US", "CA"), us);
  assert.equal(rateFor(rates, "US", "OR"), usAll);
  assert.equal(rateFor(rates, "US", null), usAll);
  assert.equal(rateFor(rates, "DE", "BY"), de);
  assert.equal(rateFor(rates, "FR", null), null);
});

import assert from "node:assert/strict";
import { MemoryTaxRates } from "../../adapters/memory/tax_rates.ts";
import { TableTaxCalculator } from "./table_tax_calculator.ts";

Deno.test("TableTaxCalculator.quote() applies the place's rate from the table", async (t) => {
  const rates = new MemoryTaxRates();
  const base = { pricesIncludeTax: false, shippingTaxed: false };
  await rates.create({ id: "us", country: "US", region: null, rateBasisPoints: 0, ...base });
  await rates.create({ id: "ca", country: "US", region: "CA", rateBasisPoints: 725, ...base });
  const calc = new TableTaxCalculator(rates);
  const lines = [{ sku: "A", unitPriceCents: 1_000, qty: 2 }];
  await t.step("a region with its own rate", async () => {
    const q = await calc.quote({ country: "US", region: "CA", lines, shippingCents: 500 });
    assert.equal(q.taxCents, 145);
    assert.equal(q.totalCents, 2_645);
  });
  await t.step("another region falls back to the country", async () => {
    const q = await calc.quote({ country: "US", region: "OR", lines, shippingCents: 500 });
    assert.equal(q.taxCents, 0);
  });
  await t.step("a country without rates is untaxed", async () => {
    const q = await calc.quote({ country: "FR", region: null, lines, shippingCents: 0 });
    assert.equal(q.totalCents, 2_000);
  });
});

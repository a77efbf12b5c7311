import assert from "node:assert/strict";
import { AlreadyExists, NotFound } from "../../domain/errors.ts";
import type { StoredTaxRate, TaxRates } from "../tax/tax_rates.ts";
import { type ContractOptions, defineContract, type MakeFixture } from "./_fixture.ts";

function rate(overrides: Partial<StoredTaxRate> = {}): StoredTaxRate {
  return {
    id: crypto.randomUUID(),
    country: "DE",
    region: null,
    rateBasisPoints: 1_900,
    pricesIncludeTax: true,
    shippingTaxed: true,
    ...overrides,
  };
}

export function taxRatesContract(
  label: string,
  make: MakeFixture<TaxRates>,
  options: ContractOptions = {},
): void {
  defineContract("TaxRates", label, make, options, async (step) => {
    await step("rates are created, read, listed by country then region", async (s) => {
      const de = await s.create(rate());
      const ca = await s.create(rate({ country: "US", region: "CA", rateBasisPoints: 725 }));
      const us = await s.create(rate({ country: "US", rateBasisPoints: 0, shippingTaxed: false }));
      assert.deepEqual(await s.get(ca.id), ca);
      assert.deepEqual((await s.list()).map((r) => r.id), [de.id, us.id, ca.id]);
      assert.deepEqual((await s.forCountry("US")).map((r) => r.id), [us.id, ca.id]);
      assert.deepEqual(await s.forCountry("FR"), []);
    });

    await step("one rate per (country, region)", async (s) => {
      const de = await s.create(rate());
      await assert.rejects(s.create(rate()), AlreadyExists);
      await assert.rejects(s.create({ ...de, country: "FR" }), AlreadyExists);
      await s.create(rate({ region: "BY" }));
      const fr = await s.create(rate({ country: "FR" }));
      await assert.rejects(s.replace({ ...fr, country: "DE" }), AlreadyExists);
    });

    await step("replace() updates a known rate; remove() deletes it once", async (s) => {
      const de = await s.create(rate());
      const lower = { ...de, rateBasisPoints: 700, shippingTaxed: false };
      assert.deepEqual(await s.replace(lower), lower);
      assert.deepEqual(await s.get(de.id), lower);
      await assert.rejects(s.replace(rate({ country: "AT" })), NotFound);
      assert.equal(await s.remove(de.id), true);
      assert.equal(await s.remove(de.id), false);
      assert.equal(await s.get(de.id), null);
    });
  });
}

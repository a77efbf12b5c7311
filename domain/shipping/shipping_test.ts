import assert from "node:assert/strict";
import {
  optionsFor,
  type ShippingOption,
  shippingPriceCents,
  type ShippingZone,
} from "./shipping.ts";

const eu: ShippingZone = { id: "z-eu", name: "EU", countries: ["DE", "FR"] };
const uk: ShippingZone = { id: "z-uk", name: "UK", countries: ["GB"] };
const standard: ShippingOption = {
  id: "o-std",
  zoneId: "z-eu",
  name: "Standard",
  priceCents: 495,
  currency: "EUR",
  freeOverCents: 5_000,
  estimatedDays: { min: 2, max: 4 },
};
const express: ShippingOption = {
  ...standard,
  id: "o-exp",
  name: "Express",
  priceCents: 1_500,
  freeOverCents: null,
};
const ukStd: ShippingOption = { ...standard, id: "o-uk", zoneId: "z-uk", currency: "GBP" };

Deno.test("shippingPriceCents() is free from the threshold up, the flat price below", async (t) => {
  await t.step("below", () => assert.equal(shippingPriceCents(standard, 4_999), 495));
  await t.step("at the threshold", () => assert.equal(shippingPriceCents(standard, 5_000), 0));
  await t.step("above", () => assert.equal(shippingPriceCents(standard, 9_000), 0));
  await t.step("no threshold", () => assert.equal(shippingPriceCents(express, 1_000_000), 1_500));
});

Deno.test("optionsFor() lists the options of the zones serving a country, priced", async (t) => {
  await t.step("a served country", () => {
    const found = optionsFor([eu, uk], [standard, express, ukStd], "DE", 6_000);
    assert.deepEqual(found.map((o) => [o.id, o.priceCents]), [["o-std", 0], ["o-exp", 1_500]]);
    assert.equal(found[0].listPriceCents, 495);
  });
  await t.step("an unserved country", () => {
    assert.deepEqual(optionsFor([eu, uk], [standard, express, ukStd], "US", 6_000), []);
  });
});

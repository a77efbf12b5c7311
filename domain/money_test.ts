import assert from "node:assert/strict";
import { isCents, lineTotalCents, loyaltyPoints, sumCents } from "./money.ts";

Deno.test("money", async (t) => {
  await t.step("isCents() accepts only non-negative safe integers", () => {
    assert.equal(isCents(0), true);
    assert.equal(isCents(1999), true);
    assert.equal(isCents(19.99), false);
    assert.equal(isCents(-1), false);
    assert.equal(isCents(Number.MAX_SAFE_INTEGER + 1), false);
  });

  await t.step("lineTotalCents() multiplies and refuses overflow", () => {
    assert.equal(lineTotalCents(1999, 3), 5997);
    assert.throws(() => lineTotalCents(Number.MAX_SAFE_INTEGER, 2), RangeError);
  });

  await t.step("sumCents() adds integer cents exactly", () => {
    assert.equal(sumCents([10, 20, 30]), 60);
    assert.equal(sumCents([]), 0);
  });

  await t.step("loyaltyPoints() gives one point per whole dollar", () => {
    assert.equal(loyaltyPoints(99), 0);
    assert.equal(loyaltyPoints(100), 1);
    assert.equal(loyaltyPoints(379_899), 3798);
  });
});

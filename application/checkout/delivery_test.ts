import assert from "node:assert/strict";
import { NotFound, ShippingUnavailable } from "../../domain/errors.ts";
import { testCore } from "../../testing/core.ts";

const USER = "user-1";
const CUPERTINO = {
  name: "Ada Lovelace",
  line1: "1 Infinite Loop",
  city: "Cupertino",
  region: "CA",
  postalCode: "95014",
  country: "US",
};
const BERLIN = { ...CUPERTINO, city: "Berlin", region: null, postalCode: "10117", country: "DE" };

/** The seeded store (tax-us-ca 7.25 % exclusive, tax-de 19 % inclusive) with a cart. */
async function withCart() {
  const core = await testCore();
  await core.useCases.addToCart(USER, { sku: "BOK-010", qty: 3 });
  await core.useCases.addToCart(USER, { sku: "PHN-002", qty: 1 });
  return core;
}

Deno.test("placeOrder() with delivery charges what the cart quote showed", async (t) => {
  for (
    const [place, address, optionId] of [
      ["US-CA, tax added, shipping untaxed", CUPERTINO, "ship-us-standard"],
      ["DE, tax included, shipping taxed", BERLIN, "ship-eu-standard"],
    ] as const
  ) {
    await t.step(place, async () => {
      const core = await withCart();
      const saved = await core.useCases.addAddress(USER, address);
      const quote = await core.useCases.cartQuote(USER, {
        destination: { addressId: saved.id },
        shippingOptionId: optionId,
      });
      const order = await core.useCases.placeOrder({
        userId: USER,
        delivery: { shippingAddress: { addressId: saved.id }, shippingOptionId: optionId },
      });
      assert.ok(quote.taxCents > 0);
      assert.deepEqual(
        [order.subtotalCents, order.shippingCents, order.taxCents, order.totalCents],
        [quote.subtotalCents, quote.shippingCents, quote.taxCents, quote.totalCents],
      );
      assert.deepEqual(
        order.items.map((i) => i.taxCents),
        quote.lines.map((l) => l.taxCents),
      );
      assert.equal(order.shipping?.taxCents, quote.shippingTaxCents);
      assert.equal(order.pricesIncludeTax, address.country === "DE");
      assert.deepEqual(order.billingAddress, order.shippingAddress, "billing defaults");
      assert.equal(order.shippingAddress?.country, address.country);
    });
  }

  await t.step("refuses before any stock moves", async () => {
    const core = await withCart();
    const theirs = await core.useCases.addAddress("someone-else", CUPERTINO);
    const cases = [
      [
        { shippingAddress: { addressId: theirs.id }, shippingOptionId: "ship-us-standard" },
        NotFound,
      ],
      [{ shippingAddress: { address: inline(CUPERTINO) }, shippingOptionId: "nope" }, NotFound],
      [
        { shippingAddress: { address: inline(BERLIN) }, shippingOptionId: "ship-us-standard" },
        ShippingUnavailable,
      ],
      [
        {
          shippingAddress: { address: inline(CUPERTINO) },
          billingAddress: { addressId: theirs.id },
          shippingOptionId: "ship-us-standard",
        },
        NotFound,
      ],
    ] as const;
    for (const [delivery, error] of cases) {
      await assert.rejects(core.useCases.placeOrder({ userId: USER, delivery }), error);
    }
    assert.equal((await core.ports.inventory.get("BOK-010"))?.reserved, 0);
  });
});

function inline(a: typeof CUPERTINO | typeof BERLIN) {
  return { ...a, line2: null, phone: null };
}

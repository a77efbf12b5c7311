/**
 * POST /orders with delivery terms: addresses (the caller's or inline), the shipping option,
 * the totals with shipping and tax, and the snapshots that later edits never reach.
 */
import assert from "node:assert/strict";
import { assertProblem, type Harness, harness, invalidFields } from "./_harness_test.ts";

const BERLIN = {
  name: "Grace Hopper",
  line1: "Unter den Linden 1",
  city: "Berlin",
  postalCode: "10117",
  country: "DE",
};
const CUPERTINO = {
  name: "Ada Lovelace",
  line1: "1 Infinite Loop",
  city: "Cupertino",
  region: "CA",
  postalCode: "95014",
  country: "US",
};
const POSTAL = {
  ...CUPERTINO,
  line2: null,
  phone: null,
};

/** Zones US and DE, priced options, and DE (19 % inclusive) and US-CA (7.25 % exclusive). */
async function checkoutStore() {
  const h = await harness({ seed: false });
  const admin = await h.admin();
  const post = async (path: string, body: unknown) => {
    const res = await h.call("POST", path, { token: admin, body });
    assert.equal(res.status, 201, res.text);
    return res.body;
  };
  const us = await post("/admin/shipping/zones", { name: "US", countries: ["US"] });
  const eu = await post("/admin/shipping/zones", { name: "EU", countries: ["DE", "FR"] });
  const days = { min: 2, max: 4 };
  const option = (zoneId: string, name: string, priceCents: number, more = {}) =>
    post("/admin/shipping/options", {
      zoneId,
      name,
      priceCents,
      currency: "USD",
      estimatedDays: days,
      ...more,
    });
  const usStandard = await option(us.id, "US standard", 599, { freeOverCents: 10_000 });
  const euStandard = await option(eu.id, "EU standard", 1_190);
  const euroOnly = await option(eu.id, "EU in euros", 900, { currency: "EUR" });
  await post("/admin/tax/rates", {
    country: "DE",
    rateBasisPoints: 1_900,
    pricesIncludeTax: true,
    shippingTaxed: true,
  });
  const california = await post("/admin/tax/rates", {
    country: "US",
    region: "CA",
    rateBasisPoints: 725,
    pricesIncludeTax: false,
    shippingTaxed: false,
  });
  await h.product("DLV-A", { stock: 20, priceCents: 1_999, name: "Alpha" });
  await h.product("DLV-B", { stock: 20, priceCents: 333, name: "Beta" });
  const user = await h.register();
  return { h, admin, user, usStandard, euStandard, euroOnly, california };
}

type Store = Awaited<ReturnType<typeof checkoutStore>>;

function place(s: Store, body: Record<string, unknown>, token = s.user.token) {
  return s.h.call("POST", "/orders", {
    token,
    body: { items: [{ sku: "DLV-A", qty: 2 }, { sku: "DLV-B", qty: 3 }], ...body },
  });
}

async function addAddress(h: Harness, token: string, body: unknown): Promise<string> {
  const res = await h.call("POST", "/me/addresses", { token, body });
  assert.equal(res.status, 201, res.text);
  return res.body.id;
}

const nothingReserved = async (h: Harness) =>
  assert.deepEqual(
    [(await h.inventoryOf("DLV-A")).reserved, (await h.inventoryOf("DLV-B")).reserved],
    [0, 0],
  );

Deno.test("POST /orders refuses orders without usable delivery terms", async (t) => {
  const s = await checkoutStore();
  const { h } = s;

  await t.step("400 naming the missing shipping address and option", async () => {
    assert.deepEqual(invalidFields(await place(s, {})), ["shippingAddress", "shippingOptionId"]);
    assert.deepEqual(
      invalidFields(await place(s, { shippingOptionId: s.usStandard.id })),
      ["shippingAddress"],
    );
    assert.deepEqual(invalidFields(await place(s, { shippingAddress: CUPERTINO })), [
      "shippingOptionId",
    ]);
  });

  await t.step("400 for an address given both by id and inline", async () => {
    const res = await place(s, {
      shippingAddressId: "a1",
      shippingAddress: CUPERTINO,
      shippingOptionId: s.usStandard.id,
    });
    assert.deepEqual(invalidFields(res), ["shippingAddress"]);
    const billing = await place(s, {
      shippingAddress: CUPERTINO,
      billingAddressId: "a1",
      billingAddress: CUPERTINO,
      shippingOptionId: s.usStandard.id,
    });
    assert.deepEqual(invalidFields(billing), ["billingAddress"]);
  });

  await t.step("400 naming each bad field of an inline address", async () => {
    const res = await place(s, {
      shippingAddress: { ...CUPERTINO, country: "XX", line1: "", isDefaultShipping: true },
      billingAddress: { ...BERLIN, postalCode: undefined },
      shippingOptionId: s.usStandard.id,
    });
    assert.deepEqual(invalidFields(res).sort(), [
      "billingAddress.postalCode",
      "shippingAddress.country",
      "shippingAddress.isDefaultShipping",
      "shippingAddress.line1",
    ]);
    await nothingReserved(h);
  });

  await t.step("404 for another user's address, shipping or billing", async () => {
    const other = await h.register();
    const theirs = await addAddress(h, other.token, CUPERTINO);
    const shipping = await place(s, {
      shippingAddressId: theirs,
      shippingOptionId: s.usStandard.id,
    });
    assertProblem(shipping, 404, "not_found");
    const billing = await place(s, {
      shippingAddress: CUPERTINO,
      billingAddressId: theirs,
      shippingOptionId: s.usStandard.id,
    });
    assertProblem(billing, 404, "not_found");
    await nothingReserved(h);
  });

  await t.step("404 for an unknown shipping option", async () => {
    const res = await place(s, { shippingAddress: CUPERTINO, shippingOptionId: "nope" });
    assertProblem(res, 404, "not_found");
    await nothingReserved(h);
  });

  await t.step("422 shipping_unavailable for an option not serving the country", async () => {
    const res = await place(s, { shippingAddress: BERLIN, shippingOptionId: s.usStandard.id });
    assertProblem(res, 422, "shipping_unavailable");
    await nothingReserved(h);
  });

  await t.step("409 currency_mismatch for an option in another currency", async () => {
    const res = await place(s, { shippingAddress: BERLIN, shippingOptionId: s.euroOnly.id });
    assertProblem(res, 409, "currency_mismatch");
    await nothingReserved(h);
  });
});

Deno.test("POST /orders answers the totals with shipping and tax, and snapshots", async (t) => {
  const s = await checkoutStore();
  const { h, user } = s;

  await t.step("US-CA: tax added per line, shipping untaxed, billing = shipping", async () => {
    const id = await addAddress(h, user.token, CUPERTINO);
    const res = await place(s, { shippingAddressId: id, shippingOptionId: s.usStandard.id });
    assert.equal(res.status, 201, res.text);
    // 3998 * 7.25 % = 289.855 -> 290; 999 * 7.25 % = 72.4275 -> 72.
    assert.deepEqual(res.body.items.map((i: { taxCents: number }) => i.taxCents), [290, 72]);
    assert.equal(res.body.subtotalCents, 4_997);
    assert.equal(res.body.shippingCents, 599);
    assert.equal(res.body.taxCents, 362);
    assert.equal(res.body.totalCents, 4_997 + 599 + 362);
    assert.equal(res.body.pricesIncludeTax, false);
    assert.deepEqual(res.body.shippingAddress, POSTAL);
    assert.deepEqual(res.body.billingAddress, POSTAL);
    assert.deepEqual(res.body.shipping, {
      id: s.usStandard.id,
      name: "US standard",
      priceCents: 599,
      taxCents: 0,
    });
  });

  await t.step("DE: tax held in the prices, shipping taxed too, separate billing", async () => {
    const billing = await addAddress(h, user.token, CUPERTINO);
    const res = await place(s, {
      shippingAddress: BERLIN,
      billingAddressId: billing,
      shippingOptionId: s.euStandard.id,
    });
    assert.equal(res.status, 201, res.text);
    // 3998 * 19/119 = 638.34 -> 638; 999 -> 159.50 -> 160 (half up); 1190 -> 190.
    assert.deepEqual(res.body.items.map((i: { taxCents: number }) => i.taxCents), [638, 160]);
    assert.equal(res.body.shippingCents, 1_190);
    assert.equal(res.body.taxCents, 638 + 160 + 190);
    assert.equal(res.body.totalCents, 4_997 + 1_190, "inclusive: the tax is not added");
    assert.equal(res.body.pricesIncludeTax, true);
    assert.equal(res.body.shippingAddress.country, "DE");
    assert.deepEqual(res.body.billingAddress, POSTAL);
    assert.equal(res.body.shipping.taxCents, 190);
  });

  await t.step("from the cart, free shipping over the threshold", async () => {
    await h.call("POST", "/cart/items", { token: user.token, body: { sku: "DLV-A", qty: 6 } });
    const res = await h.call("POST", "/orders", {
      token: user.token,
      body: { shippingAddress: { ...CUPERTINO, region: null }, shippingOptionId: s.usStandard.id },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.source, "cart");
    assert.equal(res.body.subtotalCents, 11_994);
    assert.equal(res.body.shippingCents, 0);
    assert.equal(res.body.taxCents, 0, "no rate for the US outside CA");
    assert.equal(res.body.totalCents, 11_994);
  });
});

Deno.test("a placed order keeps its snapshots and is charged its totalCents", async (t) => {
  const s = await checkoutStore();
  const { h, admin, user } = s;
  const addressId = await addAddress(h, user.token, CUPERTINO);
  const placed = await place(s, {
    shippingAddressId: addressId,
    shippingOptionId: s.usStandard.id,
  });
  assert.equal(placed.status, 201, placed.text);

  await t.step("later edits of the address, option, rate and price do not reach it", async () => {
    const edits = [
      h.call("PATCH", `/me/addresses/${addressId}`, {
        token: user.token,
        body: { line1: "2 Elsewhere", region: "NY" },
      }),
      h.call("PATCH", `/admin/shipping/options/${s.usStandard.id}`, {
        token: admin,
        body: { name: "Renamed", priceCents: 9_999 },
      }),
      h.call("PATCH", `/admin/tax/rates/${s.california.id}`, {
        token: admin,
        body: { rateBasisPoints: 1_000 },
      }),
    ];
    for (const res of await Promise.all(edits)) assert.equal(res.status, 200, res.text);
    await h.useCases.updateProduct("DLV-A", { priceCents: 1 });
    const got = await h.call("GET", `/orders/${placed.body.id}`, { token: user.token });
    const { items: _a, ...head } = got.body;
    const { items: _b, ...placedHead } = placed.body;
    assert.deepEqual(head, placedHead);
    assert.deepEqual(
      got.body.items.map((i: { taxCents: number; unitPriceCents: number }) => [
        i.unitPriceCents,
        i.taxCents,
      ]),
      [[1_999, 290], [333, 72]],
    );
  });

  await t.step("payment charges exactly totalCents", async () => {
    const res = await h.call("POST", "/payments", {
      token: user.token,
      body: { orderId: placed.body.id, provider: "test", paymentToken: "tok_visa" },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.payment.amountCents, placed.body.totalCents);
    assert.equal(h.gateway.charges.at(-1)?.request.amountCents, 5_958);
  });
});

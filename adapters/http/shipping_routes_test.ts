import assert from "node:assert/strict";
import { assertProblem, harness, invalidFields } from "./_harness_test.ts";

const option = (zoneId: string) => ({
  zoneId,
  name: "Standard",
  priceCents: 500,
  currency: "USD",
  freeOverCents: 5_000,
  estimatedDays: { min: 2, max: 4 },
});

Deno.test("/admin/shipping and /admin/tax: admins manage zones, options and rates", async (t) => {
  const h = await harness({ seed: false });
  const admin = await h.admin();
  const { token } = await h.register();

  let zoneId = "";
  await t.step("zones: create, read, update, list", async () => {
    const res = await h.call("POST", "/admin/shipping/zones", {
      token: admin,
      body: { name: "Nordics", countries: ["SE", "NO"] },
    });
    assert.equal(res.status, 201, res.text);
    zoneId = res.body.id;
    const changed = await h.call("PATCH", `/admin/shipping/zones/${zoneId}`, {
      token: admin,
      body: { countries: ["SE", "NO", "DK"] },
    });
    assert.deepEqual(changed.body.countries, ["SE", "NO", "DK"]);
    const got = await h.call("GET", `/admin/shipping/zones/${zoneId}`, { token: admin });
    assert.deepEqual(got.body, changed.body);
    const list = await h.call("GET", "/admin/shipping/zones", { token: admin });
    assert.equal(list.body.items.length, 1);
  });

  await t.step("a zone with a bad or repeated country is 400", async () => {
    for (const countries of [["SE", "XX"], [], ["SE", "SE"]]) {
      const res = await h.call("POST", "/admin/shipping/zones", {
        token: admin,
        body: { name: "Bad", countries },
      });
      assertProblem(res, 400, "validation_failed");
    }
  });

  let optionId = "";
  await t.step("options: create, update, read, list", async () => {
    const res = await h.call("POST", "/admin/shipping/options", {
      token: admin,
      body: option(zoneId),
    });
    assert.equal(res.status, 201, res.text);
    optionId = res.body.id;
    const changed = await h.call("PATCH", `/admin/shipping/options/${optionId}`, {
      token: admin,
      body: { freeOverCents: null, priceCents: 650 },
    });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.freeOverCents, null);
    assert.equal(changed.body.priceCents, 650);
    const list = await h.call("GET", "/admin/shipping/options", { token: admin });
    assert.deepEqual(list.body.items, [changed.body]);
  });

  await t.step("an option of an unknown zone is 404", async () => {
    const res = await h.call("POST", "/admin/shipping/options", {
      token: admin,
      body: option("nope"),
    });
    assertProblem(res, 404, "not_found");
    const moved = await h.call("PATCH", `/admin/shipping/options/${optionId}`, {
      token: admin,
      body: { zoneId: "nope" },
    });
    assertProblem(moved, 404, "not_found");
  });

  await t.step("a negative price, threshold or reversed days is 400", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ priceCents: -1 }, "priceCents"],
      [{ freeOverCents: -5 }, "freeOverCents"],
      [{ priceCents: 1.5 }, "priceCents"],
      [{ estimatedDays: { min: 5, max: 2 } }, "estimatedDays.max"],
      [{ currency: "usd" }, "currency"],
    ];
    for (const [change, field] of cases) {
      const res = await h.call("POST", "/admin/shipping/options", {
        token: admin,
        body: { ...option(zoneId), ...change },
      });
      assertProblem(res, 400, "validation_failed");
      assert.deepEqual(invalidFields(res), [field]);
    }
  });

  await t.step("unknown zones and options are 404", async () => {
    assertProblem(
      await h.call("GET", "/admin/shipping/zones/nope", { token: admin }),
      404,
      "not_found",
    );
    assertProblem(
      await h.call("PATCH", "/admin/shipping/zones/nope", { token: admin, body: { name: "x" } }),
      404,
      "not_found",
    );
    assertProblem(
      await h.call("DELETE", "/admin/shipping/options/nope", { token: admin }),
      404,
      "not_found",
    );
  });

  await t.step("customers are 403, anonymous callers 401", async () => {
    assertProblem(await h.call("GET", "/admin/shipping/zones", { token }), 403, "forbidden");
    assertProblem(await h.call("POST", "/admin/tax/rates", { token, body: {} }), 403, "forbidden");
    assertProblem(await h.call("GET", "/admin/tax/rates"), 401, "unauthenticated");
  });

  await t.step("tax rates: one per (country, region), bad country 400", async () => {
    const body = {
      country: "SE",
      rateBasisPoints: 2_500,
      pricesIncludeTax: true,
      shippingTaxed: true,
    };
    const res = await h.call("POST", "/admin/tax/rates", { token: admin, body });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.region, null);
    assertProblem(
      await h.call("POST", "/admin/tax/rates", { token: admin, body }),
      409,
      "already_exists",
    );
    const bad = await h.call("POST", "/admin/tax/rates", {
      token: admin,
      body: { ...body, country: "XX" },
    });
    assertProblem(bad, 400, "validation_failed");
    const over = await h.call("POST", "/admin/tax/rates", {
      token: admin,
      body: { ...body, region: "AB", rateBasisPoints: 10_001 },
    });
    assertProblem(over, 400, "validation_failed");
    const changed = await h.call("PATCH", `/admin/tax/rates/${res.body.id}`, {
      token: admin,
      body: { rateBasisPoints: 1_200 },
    });
    assert.equal(changed.body.rateBasisPoints, 1_200);
    assert.equal(
      (await h.call("DELETE", `/admin/tax/rates/${res.body.id}`, { token: admin })).status,
      204,
    );
    assertProblem(
      await h.call("GET", `/admin/tax/rates/${res.body.id}`, { token: admin }),
      404,
      "not_found",
    );
  });

  await t.step("deleting a zone deletes its options", async () => {
    assert.equal(
      (await h.call("DELETE", `/admin/shipping/zones/${zoneId}`, { token: admin })).status,
      204,
    );
    assertProblem(
      await h.call("GET", `/admin/shipping/options/${optionId}`, { token: admin }),
      404,
      "not_found",
    );
  });
});

Deno.test("/cart/shipping-options and /cart/quote on the seeded zones and rates", async (t) => {
  const h = await harness({ seed: true });
  const { token } = await h.register();
  const other = await h.register();
  await h.product("QUOTE-1", { stock: 10, priceCents: 2_000 });
  await h.call("POST", "/cart/items", { token, body: { sku: "QUOTE-1", qty: 2 } });

  await t.step("US options, standard charged below the threshold", async () => {
    const res = await h.call("GET", "/cart/shipping-options?country=US", { token });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.subtotalCents, 4_000);
    assert.deepEqual(
      res.body.items.map((o: { id: string; priceCents: number }) => [o.id, o.priceCents]),
      [["ship-us-standard", 599], ["ship-us-express", 1_999]],
    );
  });

  await t.step("free over the threshold", async () => {
    await h.call("PUT", "/cart/items/QUOTE-1", { token, body: { qty: 4 } });
    const res = await h.call("GET", "/cart/shipping-options?country=US", { token });
    assert.equal(res.body.items[0].priceCents, 0);
    assert.equal(res.body.items[0].listPriceCents, 599);
    await h.call("PUT", "/cart/items/QUOTE-1", { token, body: { qty: 2 } });
  });

  await t.step("a country no zone serves lists nothing", async () => {
    const res = await h.call("GET", "/cart/shipping-options?country=JP", { token });
    assert.deepEqual(res.body.items, []);
  });

  await t.step("California: exclusive 7.25 %, shipping untaxed", async () => {
    const res = await h.call(
      "GET",
      "/cart/quote?country=US&region=CA&shippingOptionId=ship-us-standard",
      { token },
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.subtotalCents, 4_000);
    assert.equal(res.body.shippingCents, 599);
    assert.equal(res.body.taxCents, 290);
    assert.equal(res.body.totalCents, 4_889);
    assert.equal(res.body.lines[0].taxCents, 290);
  });

  await t.step("Germany: inclusive 19 %, shipping taxed, total as shown", async () => {
    const res = await h.call("GET", "/cart/quote?country=DE&shippingOptionId=ship-eu-standard", {
      token,
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.taxCents, 639 + 239); // 4000*19/119 = 638.66; 1499*19/119 = 239.3
    assert.equal(res.body.totalCents, 4_000 + 1_499);
  });

  await t.step("an address gives the destination; another user's address is 404", async () => {
    const address = await h.call("POST", "/me/addresses", {
      token,
      body: {
        name: "A",
        line1: "1 Main St",
        city: "LA",
        region: "CA",
        postalCode: "90001",
        country: "US",
      },
    });
    const id = address.body.id;
    const q = await h.call("GET", `/cart/quote?addressId=${id}`, { token });
    assert.equal(q.body.taxCents, 290);
    const opts = await h.call("GET", `/cart/shipping-options?addressId=${id}`, { token });
    assert.equal(opts.body.country, "US");
    assertProblem(
      await h.call("GET", `/cart/quote?addressId=${id}`, { token: other.token }),
      404,
      "not_found",
    );
    assertProblem(
      await h.call("GET", `/cart/shipping-options?addressId=${id}`, { token: other.token }),
      404,
      "not_found",
    );
  });

  await t.step("an option for another zone is 422 shipping_unavailable, unknown 404", async () => {
    assertProblem(
      await h.call("GET", "/cart/quote?country=JP&shippingOptionId=ship-us-standard", { token }),
      422,
      "shipping_unavailable",
    );
    assertProblem(
      await h.call("GET", "/cart/quote?country=US&shippingOptionId=nope", { token }),
      404,
      "not_found",
    );
  });

  await t.step("bad queries are 400", async () => {
    for (
      const q of [
        "/cart/shipping-options",
        "/cart/shipping-options?country=XX",
        "/cart/shipping-options?country=US&addressId=a",
        "/cart/quote?addressId=a&region=CA",
        "/cart/quote?country=US&colour=red",
      ]
    ) {
      assertProblem(await h.call("GET", q, { token }), 400, "validation_failed");
    }
  });
});

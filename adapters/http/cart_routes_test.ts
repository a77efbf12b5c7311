import assert from "node:assert/strict";
import { assertProblem, harness, invalidFields } from "./_harness_test.ts";

Deno.test("cart routes keep one cart per user", async (t) => {
  const h = await harness({ seed: false });
  await h.product("CART-A", { stock: 5, priceCents: 1_000, name: "Alpha" });
  await h.product("CART-B", { stock: 2, priceCents: 2_550, name: "Beta" });
  const { token } = await h.register();

  await t.step("GET /cart starts empty", async () => {
    const res = await h.call("GET", "/cart", { token });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { items: [], totalCents: 0, currency: "USD" });
  });

  await t.step("POST /cart/items adds and increments", async () => {
    await h.call("POST", "/cart/items", { token, body: { sku: "CART-A", qty: 1 } });
    const res = await h.call("POST", "/cart/items", { token, body: { sku: "CART-A", qty: 2 } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.items, [{
      sku: "CART-A",
      productSku: "CART-A",
      productName: "Alpha",
      variantLabel: null,
      name: "Alpha",
      qty: 3,
      unitPriceCents: 1_000,
      lineTotalCents: 3_000,
      available: 5,
    }]);
    assert.equal(res.body.totalCents, 3_000);
  });

  await t.step("POST /cart/items: 404 unknown SKU, 409 over what is available", async () => {
    const unknown = await h.call("POST", "/cart/items", { token, body: { sku: "NOPE", qty: 1 } });
    assertProblem(unknown, 404, "not_found");
    const over = await h.call("POST", "/cart/items", { token, body: { sku: "CART-A", qty: 3 } });
    assertProblem(over, 409, "insufficient_stock");
    assert.deepEqual(over.body.skus, ["CART-A"]);
  });

  await t.step("POST /cart/items: 400 naming bad fields", async () => {
    const res = await h.call("POST", "/cart/items", { token, body: { sku: "", qty: 0 } });
    assert.deepEqual(invalidFields(res).sort(), ["qty", "sku"]);
    const fractional = await h.call("POST", "/cart/items", {
      token,
      body: { sku: "CART-A", qty: 1.5 },
    });
    assert.deepEqual(invalidFields(fractional), ["qty"]);
  });

  await t.step("PUT /cart/items/:sku sets the quantity; 0 removes the line", async () => {
    await h.call("POST", "/cart/items", { token, body: { sku: "CART-B", qty: 1 } });
    const set = await h.call("PUT", "/cart/items/CART-B", { token, body: { qty: 2 } });
    assert.equal(set.status, 200);
    assert.equal(set.body.items.find((i: { sku: string }) => i.sku === "CART-B").qty, 2);
    assert.equal(set.body.totalCents, 3_000 + 5_100);
    const over = await h.call("PUT", "/cart/items/CART-B", { token, body: { qty: 3 } });
    assertProblem(over, 409, "insufficient_stock");
    const zero = await h.call("PUT", "/cart/items/CART-B", { token, body: { qty: 0 } });
    assert.deepEqual(zero.body.items.map((i: { sku: string }) => i.sku), ["CART-A"]);
    assert.deepEqual(invalidFields(await h.call("PUT", "/cart/items/CART-B", { token })), ["qty"]);
  });

  await t.step("DELETE /cart/items/:sku removes a line; 404 when absent", async () => {
    await h.call("POST", "/cart/items", { token, body: { sku: "CART-B", qty: 1 } });
    const res = await h.call("DELETE", "/cart/items/CART-B", { token });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.items.map((i: { sku: string }) => i.sku), ["CART-A"]);
    assertProblem(await h.call("DELETE", "/cart/items/CART-B", { token }), 404, "not_found");
  });

  await t.step("another user's cart is invisible and unreachable (404)", async () => {
    const other = await h.register();
    const theirs = await h.call("GET", "/cart", { token: other.token });
    assert.deepEqual(theirs.body.items, []);
    const res = await h.call("DELETE", "/cart/items/CART-A", { token: other.token });
    assertProblem(res, 404, "not_found");
    const mine = await h.call("GET", "/cart", { token });
    assert.equal(mine.body.items[0].qty, 3);
  });

  await t.step("DELETE /cart empties it with 204", async () => {
    const res = await h.call("DELETE", "/cart", { token });
    assert.equal(res.status, 204);
    assert.deepEqual((await h.call("GET", "/cart", { token })).body.items, []);
  });

  await t.step("401 without a session or a cart token (except a first add)", async () => {
    for (
      const [method, path] of [
        ["GET", "/cart"],
        ["DELETE", "/cart"],
        ["DELETE", "/cart/items/CART-A"],
      ]
    ) {
      assertProblem(await h.call(method, path), 401, "unauthenticated");
    }
    const put = await h.call("PUT", "/cart/items/CART-A", { body: { qty: 1 } });
    assertProblem(put, 401, "unauthenticated");
  });

  await t.step("503 with Retry-After while the cart store is down", async () => {
    h.memory.outages.redis.down = true;
    const res = await h.call("GET", "/cart", { token });
    assertProblem(res, 503, "dependency_unavailable");
    assert.equal(res.headers.get("retry-after"), "5");
    const add = await h.call("POST", "/cart/items", { token, body: { sku: "CART-A", qty: 1 } });
    assertProblem(add, 503, "dependency_unavailable");
    h.memory.outages.redis.down = false;
  });
});

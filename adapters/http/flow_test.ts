/** Whole journeys through the public API only. */
import assert from "node:assert/strict";
import { assertProblem, harness } from "./_harness_test.ts";

Deno.test("a purchase from registration to leaderboard, through the public API", async (t) => {
  const h = await harness();
  const bodies: string[] = [];
  const call = async (...args: Parameters<typeof h.call>) => {
    const res = await h.call(...args);
    bodies.push(res.text);
    return res;
  };
  let token = "";
  let sku = "";
  let before = 0;
  let orderId = "";
  let totalCents = 0;

  await t.step("register", async () => {
    const res = await call("POST", "/auth/register", {
      body: { email: "shopper@polycart.test", password: "a long passphrase", displayName: "Shop" },
    });
    assert.equal(res.status, 201);
    token = res.body.token;
  });

  await t.step("browse: search, list, open a product", async () => {
    const found = await call("GET", "/search?q=headphones&inStock=true");
    assert.ok(found.body.total > 0);
    const listed = await call("GET", "/products?category=headphones&sort=rating&size=20");
    const plenty = listed.body.items.find((p: { availability: { available: number } }) =>
      p.availability.available >= 2
    );
    assert.ok(plenty, "an in-stock pair of headphones");
    const slug = plenty.slug;
    const product = await call("GET", `/products/${slug}`);
    assert.equal(product.status, 200);
    sku = product.body.sku;
    before = product.body.availability.available;
    assert.ok(before >= 2);
  });

  await t.step("cart", async () => {
    const res = await call("POST", "/cart/items", { token, body: { sku, qty: 2 } });
    assert.equal(res.status, 200);
    assert.equal(res.body.items[0].qty, 2);
  });

  await t.step("order from the cart", async () => {
    const res = await call("POST", "/orders", {
      token,
      body: await h.delivery(),
      headers: { "Idempotency-Key": "checkout-1" },
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.status, "pending");
    orderId = res.body.id;
    totalCents = res.body.totalCents;
    // Product pages are cached; the sync worker invalidates them on stock changes.
    await h.memory.syncAll();
    const product = await call("GET", `/products/${sku}`);
    assert.equal(product.body.availability.available, before - 2);
  });

  await t.step("pay", async () => {
    const res = await call("POST", "/payments", {
      token,
      headers: { "Idempotency-Key": "pay-1" },
      body: { orderId, provider: "test", paymentToken: "tok_visa" },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.payment.amountCents, totalCents);
    assert.equal(res.body.order.status, "confirmed");
  });

  await t.step("order confirmed, stock deducted, cart cleared", async () => {
    const order = await call("GET", `/orders/${orderId}`, { token });
    assert.equal(order.body.status, "confirmed");
    assert.equal(order.body.items[0].product.name, order.body.items[0].productName);
    const cart = await call("GET", "/cart", { token });
    assert.deepEqual(cart.body.items, []);
    const admin = await h.admin();
    const inventory = await call("GET", "/admin/inventory?size=100", { token: admin });
    const row = inventory.body.items.find((i: { sku: string }) => i.sku === sku);
    assert.equal(row.reserved, 0);
    assert.equal(row.available, before - 2);
  });

  await t.step("leaderboards and rank updated", async () => {
    const products = await call("GET", "/leaderboards/products?period=daily&limit=5");
    assert.deepEqual(products.body.items[0], {
      sku,
      name: products.body.items[0].name,
      score: 2,
      rank: 1,
    });
    const customers = await call("GET", "/leaderboards/customers?limit=5");
    assert.equal(customers.body.items[0].displayName, "Shop");
    const rank = await call("GET", "/me/rank", { token });
    assert.deepEqual(rank.body, { rank: 1, score: Math.floor(totalCents / 100) });
  });

  await t.step("no response leaked a password hash or another token", () => {
    const all = bodies.join("\n");
    assert.ok(!/scrypt\$|passwordHash|tokenHash/i.test(all));
    const tokens = bodies.flatMap((b) => [...b.matchAll(/"token":"([^"]+)"/g)].map((m) => m[1]));
    assert.deepEqual(tokens, [token]);
  });
});

Deno.test("with Redis and Elasticsearch down, checkout with explicit items still works", async (t) => {
  const h = await harness({ seed: false });
  await h.product("OUT-1", { stock: 3, priceCents: 4_000 });
  const { token } = await h.register();
  h.memory.outages.redis.down = true;
  h.memory.outages.elasticsearch.down = true;

  await t.step("carts answer 503", async () => {
    assertProblem(await h.call("GET", "/cart", { token }), 503, "dependency_unavailable");
    assertProblem(
      await h.call("POST", "/orders", { token, body: await h.delivery() }),
      503,
      "dependency_unavailable",
    );
  });

  await t.step("search answers 503", async () => {
    assertProblem(await h.call("GET", "/search?q=test"), 503, "dependency_unavailable");
  });

  await t.step("product pages still answer from the catalog", async () => {
    assert.equal((await h.call("GET", "/products/OUT-1")).status, 200);
  });

  await t.step("order with items and pay: 201, confirmed, stock deducted", async () => {
    const order = await h.call("POST", "/orders", {
      token,
      body: { ...await h.delivery(), items: [{ sku: "OUT-1", qty: 2 }] },
    });
    assert.equal(order.status, 201, order.text);
    const paid = await h.call("POST", "/payments", {
      token,
      body: { orderId: order.body.id, provider: "test", paymentToken: "tok_visa" },
    });
    assert.equal(paid.status, 201, paid.text);
    assert.equal(paid.body.order.status, "confirmed");
    assert.deepEqual(await h.inventoryOf("OUT-1"), { stock: 1, reserved: 0, available: 1 });
  });

  await t.step("readiness degrades but stays up", async () => {
    const ready = await h.call("GET", "/ready");
    assert.equal(ready.status, 200);
    assert.equal(ready.body.status, "degraded");
  });

  await t.step("search catches up once the index is back", async () => {
    h.memory.outages.redis.down = false;
    h.memory.outages.elasticsearch.down = false;
    await h.memory.syncAll();
    const res = await h.call("GET", "/search?q=OUT-1");
    assert.equal(res.status, 200);
  });
});

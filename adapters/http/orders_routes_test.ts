import assert from "node:assert/strict";
import { assertProblem, harness, invalidFields } from "./_harness_test.ts";

const ORDER_KEYS = [
  "billingAddress",
  "createdAt",
  "currency",
  "expiresAt",
  "id",
  "items",
  "paidAt",
  "payment",
  "pricesIncludeTax",
  "shipping",
  "shippingAddress",
  "shippingCents",
  "source",
  "status",
  "subtotalCents",
  "taxCents",
  "totalCents",
];

Deno.test("POST /orders places a pending order that reserves stock", async (t) => {
  const h = await harness({ seed: false });
  await h.product("ORD-A", { stock: 5, priceCents: 1_999, name: "Alpha" });
  await h.product("ORD-B", { stock: 1, priceCents: 500, name: "Beta" });
  const { token } = await h.register();

  await t.step("201 from explicit items, merged, with expiresAt", async () => {
    const res = await h.call("POST", "/orders", {
      token,
      body: { ...await h.delivery(), items: [{ sku: "ORD-A", qty: 1 }, { sku: "ORD-A", qty: 1 }] },
    });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(Object.keys(res.body).sort(), ORDER_KEYS);
    assert.equal(res.body.status, "pending");
    assert.deepEqual(res.body.items, [{
      sku: "ORD-A",
      productSku: "ORD-A",
      productName: "Alpha",
      variantLabel: null,
      qty: 2,
      unitPriceCents: 1_999,
      lineTotalCents: 3_998,
      taxCents: 0,
    }]);
    assert.equal(res.body.totalCents, 3_998);
    assert.equal(res.body.createdAt, "2025-03-03T10:00:00.000Z");
    assert.equal(res.body.expiresAt, "2025-03-03T10:15:00.000Z");
    assert.deepEqual(await h.inventoryOf("ORD-A"), { stock: 5, reserved: 2, available: 3 });
  });

  await t.step("201 from the cart when items is absent", async () => {
    await h.call("POST", "/cart/items", { token, body: { sku: "ORD-B", qty: 1 } });
    const res = await h.call("POST", "/orders", { token, body: await h.delivery() });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body.items.map((i: { sku: string }) => i.sku), ["ORD-B"]);
  });

  await t.step("409 insufficient stock names the SKUs and reserves nothing", async () => {
    const res = await h.call("POST", "/orders", {
      token,
      body: {
        ...await h.delivery(),
        items: [{ sku: "ORD-A", qty: 1 }, { sku: "ORD-B", qty: 1 }, { sku: "GONE", qty: 1 }],
      },
    });
    assertProblem(res, 409, "insufficient_stock");
    assert.deepEqual(res.body.skus.sort(), ["GONE", "ORD-B"]);
    assert.deepEqual(await h.inventoryOf("ORD-A"), { stock: 5, reserved: 2, available: 3 });
  });

  await t.step("422 for an empty order: no items, or an empty cart", async () => {
    assertProblem(
      await h.call("POST", "/orders", { token, body: { ...await h.delivery(), items: [] } }),
      422,
      "empty_order",
    );
    const fresh = await h.register();
    assertProblem(
      await h.call("POST", "/orders", { token: fresh.token, body: await h.delivery() }),
      422,
      "empty_order",
    );
  });

  await t.step("400 naming bad lines", async () => {
    const res = await h.call("POST", "/orders", {
      token,
      body: { ...await h.delivery(), items: [{ sku: "ORD-A", qty: 0 }, { qty: 1 }] },
    });
    assert.deepEqual(invalidFields(res), ["items[0].qty", "items[1].sku"]);
  });

  await t.step("401 without a token", async () => {
    assertProblem(
      await h.call("POST", "/orders", { body: { ...await h.delivery() } }),
      401,
      "unauthenticated",
    );
  });
});

Deno.test("GET /orders and GET /orders/:id answer only the caller's orders", async (t) => {
  const h = await harness({ seed: false });
  await h.product("LST-A", { stock: 10, name: "Listed" });
  const alice = await h.register();
  const bob = await h.register();
  const placed: string[] = [];
  for (let i = 0; i < 3; i++) {
    h.clock.advance(1_000);
    const res = await h.call("POST", "/orders", {
      token: alice.token,
      body: { ...await h.delivery(), items: [{ sku: "LST-A", qty: 1 }] },
    });
    placed.push(res.body.id);
  }

  await t.step("list, newest first, paged", async () => {
    const res = await h.call("GET", "/orders?size=2", { token: alice.token });
    assert.equal(res.status, 200);
    assert.equal(res.body.total, 3);
    assert.deepEqual(res.body.items.map((o: { id: string }) => o.id), [placed[2], placed[1]]);
    assert.deepEqual(Object.keys(res.body.items[0]).sort(), ORDER_KEYS);
    const empty = await h.call("GET", "/orders", { token: bob.token });
    assert.equal(empty.body.total, 0);
    assert.deepEqual(invalidFields(await h.call("GET", "/orders?size=500", { token: bob.token })), [
      "size",
    ]);
    assert.deepEqual(
      invalidFields(await h.call("GET", "/orders?status=lost", { token: bob.token })),
      ["status"],
    );
  });

  await t.step("detail joins catalog data", async () => {
    const res = await h.call("GET", `/orders/${placed[0]}`, { token: alice.token });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.items[0].product, {
      name: "Listed",
      slug: "listed",
      image: "https://img.polycart.example/LST-A.jpg",
    });
  });

  await t.step("another user's order is 404, not 403", async () => {
    const res = await h.call("GET", `/orders/${placed[0]}`, { token: bob.token });
    assertProblem(res, 404, "not_found");
    const cancel = await h.call("POST", `/orders/${placed[0]}/cancel`, { token: bob.token });
    assertProblem(cancel, 404, "not_found");
  });

  await t.step("unknown order is 404; a malformed id is 400", async () => {
    assertProblem(
      await h.call("GET", "/orders/00000000-0000-4000-8000-0000000fffff", { token: alice.token }),
      404,
      "not_found",
    );
    assert.deepEqual(invalidFields(await h.call("GET", "/orders/a.b", { token: alice.token })), [
      "id",
    ]);
  });

  await t.step("a product gone from the catalog shows as unavailable", async () => {
    const admin = await h.admin();
    assert.equal((await h.call("DELETE", "/admin/products/LST-A", { token: admin })).status, 204);
    const res = await h.call("GET", `/orders/${placed[0]}`, { token: alice.token });
    assert.equal(res.status, 200);
    assert.equal(res.body.items[0].productName, "Listed");
    assert.deepEqual(res.body.items[0].product, {
      name: "Product unavailable",
      slug: null,
      image: null,
    });
  });
});

Deno.test("POST /orders/:id/cancel cancels a pending order and releases its stock", async () => {
  const h = await harness({ seed: false });
  await h.product("CNL-A", { stock: 4 });
  const { token } = await h.register();
  const order = await h.call("POST", "/orders", {
    token,
    body: { ...await h.delivery(), items: [{ sku: "CNL-A", qty: 3 }] },
  });
  assert.equal((await h.inventoryOf("CNL-A")).reserved, 3);
  const res = await h.call("POST", `/orders/${order.body.id}/cancel`, { token });
  assert.equal(res.status, 200);
  assert.equal(res.body.status, "cancelled");
  assert.deepEqual(await h.inventoryOf("CNL-A"), { stock: 4, reserved: 0, available: 4 });
  const again = await h.call("POST", `/orders/${order.body.id}/cancel`, { token });
  assertProblem(again, 409, "invalid_transition");
  assert.deepEqual({ from: again.body.from, to: again.body.to }, {
    from: "cancelled",
    to: "cancelled",
  });
});

Deno.test("POST /orders honours Idempotency-Key", async (t) => {
  const h = await harness({ seed: false });
  await h.product("IDM-A", { stock: 3 });
  const { token } = await h.register();
  const body = { ...await h.delivery(), items: [{ sku: "IDM-A", qty: 1 }] };

  await t.step("a retry replays the first response and reserves once", async () => {
    const headers = { "Idempotency-Key": "order-1" };
    const first = await h.call("POST", "/orders", {
      token,
      body,
      headers,
    });
    assert.equal(first.status, 201);
    assert.equal(first.headers.get("idempotent-replayed"), null);
    const second = await h.call("POST", "/orders", {
      token,
      body,
      headers,
    });
    assert.equal(second.status, 201);
    assert.equal(second.headers.get("idempotent-replayed"), "true");
    assert.equal(second.text, first.text);
    assert.equal((await h.inventoryOf("IDM-A")).reserved, 1);
  });

  await t.step("the same key with another body is 422", async () => {
    const res = await h.call("POST", "/orders", {
      token,
      body: { ...await h.delivery(), items: [{ sku: "IDM-A", qty: 2 }] },
      headers: { "Idempotency-Key": "order-1" },
    });
    assertProblem(res, 422, "idempotency_key_mismatch");
  });

  await t.step("keys are per user", async () => {
    const other = await h.register();
    const res = await h.call("POST", "/orders", {
      token: other.token,
      body,
      headers: { "Idempotency-Key": "order-1" },
    });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get("idempotent-replayed"), null);
  });

  await t.step("a 409 is stored and replayed as the same 409", async () => {
    const headers = { "Idempotency-Key": "too-many" };
    const big = { ...await h.delivery(), items: [{ sku: "IDM-A", qty: 3 }] };
    const first = await h.call("POST", "/orders", { token, body: big, headers });
    assertProblem(first, 409, "insufficient_stock");
    // Stock frees up, but the key still answers what it answered first.
    await h.useCases.adjustInventory("IDM-A", { delta: 10 });
    const replay = await h.call("POST", "/orders", { token, body: big, headers });
    assertProblem(replay, 409, "insufficient_stock");
    assert.equal(replay.headers.get("idempotent-replayed"), "true");
    assert.deepEqual(replay.body, first.body);
    const fresh = await h.call("POST", "/orders", {
      token,
      body: big,
      headers: { "Idempotency-Key": "too-many-2" },
    });
    assert.equal(fresh.status, 201);
  });

  await t.step("a concurrent duplicate is refused or replayed, never run twice", async () => {
    await h.useCases.adjustInventory("IDM-A", { stock: 100 });
    const before = (await h.inventoryOf("IDM-A")).reserved;
    const headers = { "Idempotency-Key": "racing" };
    const [a, b] = await Promise.all([
      h.call("POST", "/orders", { token, body, headers }),
      h.call("POST", "/orders", { token, body, headers }),
    ]);
    const outcome = (r: typeof a) =>
      r.status === 201
        ? (r.headers.get("idempotent-replayed") === "true" ? "replayed" : "created")
        : r.body.type;
    const outcomes = [outcome(a), outcome(b)];
    const other = outcomes.filter((o) => o !== "created");
    assert.equal(other.length, 1, outcomes.join());
    assert.ok(
      ["replayed", "/docs#problem-idempotency_in_flight"].includes(other[0]),
      outcomes.join(),
    );
    assert.equal((await h.inventoryOf("IDM-A")).reserved, before + 1);
  });

  await t.step("400 for a key that is empty, too long or not visible ASCII", async () => {
    for (const key of ["x".repeat(256), "with space", "caf\u00e9"]) {
      const res = await h.call("POST", "/orders", {
        token,
        body,
        headers: { "Idempotency-Key": key },
      });
      assert.deepEqual(invalidFields(res), ["Idempotency-Key"], key);
    }
  });
});

Deno.test("200 concurrent POST /orders for a SKU with stock 50: exactly 50 succeed", async () => {
  // Ten orders per user at once: the pending cap is not what this tests.
  const h = await harness({ seed: false, settings: { maxPendingOrdersPerUser: 1_000 } });
  await h.product("HOT-1", { stock: 50 });
  const users = await Promise.all(Array.from({ length: 20 }, () => h.register()));
  const delivery = await h.delivery();
  const responses = await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      h.call("POST", "/orders", {
        token: users[i % users.length].token,
        body: { ...delivery, items: [{ sku: "HOT-1", qty: 1 }] },
      })),
  );
  const statuses = responses.map((r) => r.status);
  assert.equal(statuses.filter((s) => s === 201).length, 50);
  assert.equal(statuses.filter((s) => s === 409).length, 150);
  for (const r of responses.filter((r) => r.status === 409)) {
    assert.deepEqual(r.body.skus, ["HOT-1"]);
  }
  assert.deepEqual(await h.inventoryOf("HOT-1"), { stock: 50, reserved: 50, available: 0 });
});

Deno.test("pending orders expire after the TTL and release their stock", async () => {
  const h = await harness({ seed: false });
  await h.product("EXP-1", { stock: 2 });
  const { token } = await h.register();
  const order = await h.call("POST", "/orders", {
    token,
    body: { ...await h.delivery(), items: [{ sku: "EXP-1", qty: 2 }] },
  });
  assert.equal(order.status, 201);
  assert.deepEqual(await h.inventoryOf("EXP-1"), { stock: 2, reserved: 2, available: 0 });

  h.clock.advance(14 * 60_000);
  assert.equal(await h.useCases.expireOrders(), 0);

  h.clock.advance(60_000);
  assert.equal(await h.useCases.expireOrders(), 1);
  const res = await h.call("GET", `/orders/${order.body.id}`, { token });
  assert.equal(res.body.status, "cancelled");
  assert.deepEqual(await h.inventoryOf("EXP-1"), { stock: 2, reserved: 0, available: 2 });

  const late = await h.call("POST", "/payments", {
    token,
    body: { orderId: order.body.id, provider: "test", paymentToken: "tok_visa" },
  });
  assertProblem(late, 409, "order_not_pending");
});

Deno.test("POST /orders holds one currency and caps pending orders per user", async (t) => {
  const h = await harness({ seed: false });
  await h.product("CUR-USD", { stock: 50, priceCents: 1_000 });
  await h.useCases.createProduct({
    sku: "CUR-EUR",
    name: "Euro product",
    category: "testing",
    brand: "Polycart",
    description: "A product priced in euros.",
    images: [],
    attrs: {},
    variants: [],
    tags: [],
    priceCents: 900,
    currency: "EUR",
    stock: 50,
  });
  const { token } = await h.register();

  await t.step(
    "409 currency_mismatch for an order mixing currencies, nothing reserved",
    async () => {
      const res = await h.call("POST", "/orders", {
        token,
        body: {
          ...await h.delivery(),
          items: [{ sku: "CUR-USD", qty: 1 }, { sku: "CUR-EUR", qty: 1 }],
        },
      });
      assertProblem(res, 409, "currency_mismatch");
      assert.deepEqual([res.body.sku, res.body.expected, res.body.found], [
        "CUR-USD",
        "EUR",
        "USD",
      ]);
      assert.equal((await h.inventoryOf("CUR-USD")).reserved, 0);
      assert.equal((await h.inventoryOf("CUR-EUR")).reserved, 0);
    },
  );

  await t.step("409 currency_mismatch when the cart gets a line in another currency", async () => {
    const added = await h.call("POST", "/cart/items", { token, body: { sku: "CUR-USD", qty: 1 } });
    assert.equal(added.status, 200, added.text);
    const res = await h.call("POST", "/cart/items", { token, body: { sku: "CUR-EUR", qty: 1 } });
    assertProblem(res, 409, "currency_mismatch");
    assert.deepEqual([res.body.sku, res.body.expected, res.body.found], [
      "CUR-EUR",
      "USD",
      "EUR",
    ]);
    assertProblem(
      await h.call("PUT", "/cart/items/CUR-EUR", { token, body: { qty: 1 } }),
      409,
      "currency_mismatch",
    );
    await h.call("DELETE", "/cart", { token });
  });

  await t.step("409 too_many_pending_orders beyond 3 pending orders (the default)", async () => {
    const delivery = await h.delivery();
    const place = () =>
      h.call("POST", "/orders", {
        token,
        body: { ...delivery, items: [{ sku: "CUR-USD", qty: 1 }] },
      });
    const placed = [];
    for (let i = 0; i < 3; i++) {
      const res = await place();
      assert.equal(res.status, 201, res.text);
      placed.push(res.body.id);
    }
    const refused = await place();
    assertProblem(refused, 409, "too_many_pending_orders");
    assert.equal(refused.body.limit, 3);
    assert.equal((await h.inventoryOf("CUR-USD")).reserved, 3);
    const cancelled = await h.call("POST", `/orders/${placed[0]}/cancel`, { token });
    assert.equal(cancelled.body.expiresAt, null, "a cancelled order no longer expires");
    assert.equal((await place()).status, 201);
  });
});

Deno.test("an order shows paidAt and its payment once paid", async () => {
  const h = await harness({ seed: false });
  await h.product("SHOW-1", { stock: 5, priceCents: 700 });
  const { token } = await h.register();
  const placed = await h.call("POST", "/orders", {
    token,
    body: { ...await h.delivery(), items: [{ sku: "SHOW-1", qty: 2 }] },
  });
  assert.equal(placed.body.source, "items");
  assert.equal(placed.body.paidAt, null);
  assert.equal(placed.body.payment, null);
  assert.equal(placed.body.expiresAt, "2025-03-03T10:15:00.000Z");
  h.clock.advance(60_000);
  const paid = await h.call("POST", "/payments", {
    token,
    body: { orderId: placed.body.id, provider: "test", paymentToken: "tok_visa" },
  });
  assert.equal(paid.status, 201, paid.text);
  const detail = await h.call("GET", `/orders/${placed.body.id}`, { token });
  assert.equal(detail.body.status, "confirmed");
  assert.equal(detail.body.expiresAt, null);
  assert.equal(detail.body.paidAt, "2025-03-03T10:01:00.000Z");
  assert.deepEqual(detail.body.payment, {
    provider: "test",
    status: "succeeded",
    amountCents: 1_400,
    currency: "USD",
    providerRef: paid.body.payment.providerRef,
    processedAt: "2025-03-03T10:01:00.000Z",
  });
  const [listed] = (await h.call("GET", "/orders", { token })).body.items;
  assert.deepEqual(listed.payment, detail.body.payment);
});

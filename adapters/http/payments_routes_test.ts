import assert from "node:assert/strict";
import { assertProblem, harness, invalidFields } from "./_harness_test.ts";

async function setup() {
  const h = await harness({ seed: false });
  await h.product("PAY-A", { stock: 5, priceCents: 12_345, name: "Payable" });
  const user = await h.register();
  const place = async (qty = 1) => {
    const res = await h.call("POST", "/orders", {
      token: user.token,
      body: { ...await h.delivery(), items: [{ sku: "PAY-A", qty }] },
    });
    assert.equal(res.status, 201, res.text);
    return res.body.id as string;
  };
  const pay = (orderId: string, paymentToken: string, headers?: Record<string, string>) =>
    h.call("POST", "/payments", {
      token: user.token,
      body: { orderId, provider: "test", paymentToken },
      headers,
    });
  return { h, user, place, pay };
}

Deno.test("POST /payments confirms the order on success", async () => {
  const { h, place, pay } = await setup();
  const orderId = await place(2);
  const res = await pay(orderId, "tok_visa");
  assert.equal(res.status, 201, res.text);
  assert.deepEqual(Object.keys(res.body).sort(), ["order", "payment"]);
  assert.deepEqual(Object.keys(res.body.payment).sort(), [
    "amountCents",
    "id",
    "orderId",
    "processedAt",
    "provider",
    "providerRef",
    "status",
  ]);
  assert.deepEqual(Object.keys(res.body.order).sort(), [
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
  ]);
  assert.equal(res.body.payment.status, "succeeded");
  assert.equal(res.body.payment.amountCents, 24_690);
  assert.equal(res.body.payment.orderId, orderId);
  assert.equal(res.body.payment.provider, "test");
  assert.equal(res.body.payment.processedAt, "2025-03-03T10:00:00.000Z");
  assert.equal(res.body.order.status, "confirmed");
  assert.equal(res.body.order.paidAt, "2025-03-03T10:00:00.000Z");
  assert.equal(res.body.order.expiresAt, null, "a paid order no longer expires");
  assert.deepEqual(res.body.order.payment, {
    provider: "test",
    status: "succeeded",
    amountCents: 24_690,
    currency: "USD",
    providerRef: res.body.payment.providerRef,
    processedAt: "2025-03-03T10:00:00.000Z",
  });
  assert.deepEqual(await h.inventoryOf("PAY-A"), { stock: 3, reserved: 0, available: 3 });

  const again = await pay(orderId, "tok_visa");
  assertProblem(again, 409, "order_not_pending");
  assert.equal(h.gateway.charges.length, 1);
});

Deno.test("POST /payments: 402 when declined, and the order stays pending", async () => {
  const { h, user, place, pay } = await setup();
  const orderId = await place();
  const res = await pay(orderId, "tok_declined");
  assertProblem(res, 402, "payment_declined");
  assert.equal(res.body.reason, "card_declined");
  assert.equal(res.body.orderId, orderId);
  const order = await h.call("GET", `/orders/${orderId}`, { token: user.token });
  assert.equal(order.body.status, "pending");
  assert.deepEqual(await h.inventoryOf("PAY-A"), { stock: 5, reserved: 1, available: 4 });
});

Deno.test("POST /payments: 502 when the gateway is down", async () => {
  const { h, user, place, pay } = await setup();
  const orderId = await place();
  const res = await pay(orderId, "tok_error");
  assertProblem(res, 502, "payment_gateway_error");
  assert.equal(res.body.provider, "test");
  const order = await h.call("GET", `/orders/${orderId}`, { token: user.token });
  assert.equal(order.body.status, "pending");
});

Deno.test("POST /payments: failures a client can fix", async (t) => {
  const { h, user, place, pay } = await setup();
  const orderId = await place();

  await t.step("422 for an unknown provider", async () => {
    const res = await h.call("POST", "/payments", {
      token: (await h.register()).token,
      body: { orderId, provider: "paypal", paymentToken: "tok_visa" },
    });
    assertProblem(res, 422, "unsupported_provider");
  });

  await t.step("404 for another user's order (never 403), and nothing is charged", async () => {
    const other = await h.register();
    const res = await h.call("POST", "/payments", {
      token: other.token,
      body: { orderId, provider: "test", paymentToken: "tok_visa" },
    });
    assertProblem(res, 404, "not_found");
    assert.equal(h.gateway.charges.length, 0);
  });

  await t.step("409 for a cancelled order", async () => {
    const cancelled = await place();
    await h.call("POST", `/orders/${cancelled}/cancel`, { token: user.token });
    assertProblem(await pay(cancelled, "tok_visa"), 409, "order_not_pending");
  });

  await t.step("400 naming missing fields; 401 without a token", async () => {
    const res = await h.call("POST", "/payments", {
      token: (await h.register()).token,
      body: { provider: "" },
    });
    assert.deepEqual(invalidFields(res).sort(), ["orderId", "paymentToken", "provider"]);
    assertProblem(await h.call("POST", "/payments", { body: {} }), 401, "unauthenticated");
  });
});

Deno.test("POST /payments honours Idempotency-Key", async (t) => {
  const { h, place, pay } = await setup();
  const orderId = await place();

  await t.step("a declined attempt is replayed as the same 402", async () => {
    const headers = { "Idempotency-Key": "pay-declined" };
    const first = await pay(orderId, "tok_declined", headers);
    assertProblem(first, 402, "payment_declined");
    const replay = await pay(orderId, "tok_declined", headers);
    assertProblem(replay, 402, "payment_declined");
    assert.equal(replay.headers.get("idempotent-replayed"), "true");
    assert.equal(replay.text, first.text);
  });

  await t.step("a gateway outage is not stored: the retry runs again", async () => {
    const headers = { "Idempotency-Key": "pay-outage" };
    assertProblem(await pay(orderId, "tok_error", headers), 502, "payment_gateway_error");
    const retry = await pay(orderId, "tok_error", headers);
    assertProblem(retry, 502, "payment_gateway_error");
    assert.equal(retry.headers.get("idempotent-replayed"), null);
  });

  await t.step("a success is replayed without charging again", async () => {
    const second = await place();
    const headers = { "Idempotency-Key": "pay-ok" };
    const first = await pay(second, "tok_visa", headers);
    assert.equal(first.status, 201);
    const replay = await pay(second, "tok_visa", headers);
    assert.equal(replay.status, 201);
    assert.equal(replay.headers.get("idempotent-replayed"), "true");
    assert.deepEqual(replay.body, first.body);
    assert.equal(h.gateway.charges.filter((c) => c.request.orderId === second).length, 1);
  });

  await t.step("the same key for another order is 422", async () => {
    const third = await place();
    const res = await pay(third, "tok_visa", { "Idempotency-Key": "pay-ok" });
    assertProblem(res, 422, "idempotency_key_mismatch");
  });
});

Deno.test("POST /payments: paymentToken for the test provider, paymentMethod for stripe", async (t) => {
  const { h, user, place } = await setup();
  const orderId = await place();
  const call = (body: Record<string, unknown>) =>
    h.call("POST", "/payments", { token: user.token, body: { orderId, ...body } });

  await t.step("stripe without a paymentMethod names paymentMethod", async () => {
    const res = await call({ provider: "stripe" });
    assert.deepEqual(invalidFields(res), ["paymentMethod"]);
  });

  await t.step("both a token and a payment method is 400", async () => {
    const res = await call({ provider: "test", paymentToken: "tok_visa", paymentMethod: "pm_1" });
    assert.deepEqual(invalidFields(res), ["paymentToken"]);
  });

  await t.step("stripe unconfigured (no STRIPE_SECRET_KEY) is 422", async () => {
    assertProblem(
      await call({ provider: "stripe", paymentMethod: "pm_card_visa" }),
      422,
      "unsupported_provider",
    );
  });
});

import assert from "node:assert/strict";
import { integrationUrl } from "../../testing/integration.ts";
import { StripePaymentGateway } from "../payments/stripe_gateway.ts";
import { assertProblem, harness } from "./_harness_test.ts";

const mockUrl = integrationUrl("STRIPE_MOCK_URL");

Deno.test({
  name: "POST /payments with provider stripe reaches stripe-mock through the real adapter",
  ignore: !mockUrl,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const stripe = new StripePaymentGateway({
      secretKey: "sk_test_123",
      apiBase: mockUrl,
      maxNetworkRetries: 0,
    });
    const h = await harness({
      seed: false,
      ports: (ports) => ({ gateways: new Map([...ports.gateways, ["stripe", stripe]]) }),
    });
    await h.product("MOCK-A", { stock: 3, priceCents: 1_250 });
    const user = await h.register();
    const placed = await h.call("POST", "/orders", {
      token: user.token,
      body: { ...await h.delivery(), items: [{ sku: "MOCK-A", qty: 1 }] },
    });
    assert.equal(placed.status, 201, placed.text);
    const res = await h.call("POST", "/payments", {
      token: user.token,
      body: { orderId: placed.body.id, provider: "stripe", paymentMethod: "pm_card_visa" },
    });
    // stripe-mock answers from a fixture whose PaymentIntent never succeeds: the request was
    // accepted, and the order stays pending with the attempt recorded.
    assertProblem(res, 402, "payment_declined");
    const [attempt] = await h.memory.ports.orders.payments(placed.body.id);
    assert.match(attempt.providerRef, /^pi_[A-Za-z0-9]+:requires_payment_method$/);
    assert.equal(attempt.provider, "stripe");
    assert.ok(!res.text.includes("sk_test_123"));
  },
});

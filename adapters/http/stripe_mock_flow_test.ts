import assert from "node:assert/strict";
import { integrationUrl } from "../../testing/integration.ts";
import { StripePaymentGateway } from "../payments/stripe_gateway.ts";
import { harness } from "./_harness_test.ts";

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
    // stripe-mock answers from a fixture whose PaymentIntent never succeeds (it stays
    // `requires_payment_method`): the request was accepted, nothing is charged, the order stays
    // pending, and the browser gets the client secret to finish the payment with Stripe.js.
    assert.equal(res.status, 202, res.text);
    assert.equal(res.body.order.status, "pending");
    assert.equal(res.body.action.type, "confirm_payment");
    assert.match(res.body.action.providerRef, /^pi_[A-Za-z0-9]+$/);
    assert.match(res.body.action.clientSecret, /^pi_[A-Za-z0-9]+_secret_/);
    assert.equal(res.body.action.nextStep, "requires_payment_method");
    assert.deepEqual(await h.memory.ports.orders.payments(placed.body.id), []);
    assert.ok(!res.text.includes("sk_test_123"));
  },
});

import assert from "node:assert/strict";
import { StripePaymentGateway } from "../adapters/payments/stripe_gateway.ts";
import { integrationUrl } from "./integration.ts";
import { StripeShim } from "./stripe_shim.ts";

const mockUrl = integrationUrl("STRIPE_MOCK_URL");

Deno.test({
  name: "StripeShim over stripe-mock: the adapter's PaymentIntent succeeds once the browser " +
    "finishes it, idempotent replays and one refund",
  ignore: !mockUrl,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const shim = StripeShim.start(mockUrl!);
    try {
      const gateway = new StripePaymentGateway({
        secretKey: "sk_test_shim",
        apiBase: shim.url,
        maxNetworkRetries: 0,
      });
      const request = {
        orderId: "order-shim",
        amountCents: 4_250,
        currency: "EUR",
        token: "pm_card_visa",
        attempt: 1,
      };
      const first = await gateway.charge(request);
      assert.equal(first.status, "requires_action");
      assert.equal(shim.intents.get(first.providerRef)?.orderId, "order-shim");
      shim.finish(first.providerRef);
      assert.deepEqual(await gateway.charge(request), {
        status: "succeeded",
        providerRef: first.providerRef,
      });
      const other = await gateway.charge({ ...request, attempt: 2 });
      assert.notEqual(other.providerRef, first.providerRef);
      await gateway.refund(first.providerRef, 4_250);
      await gateway.refund(first.providerRef, 4_250);
      assert.deepEqual([...shim.refunds], [[first.providerRef, 4_250]]);
      assert.deepEqual(shim.refused, []);
    } finally {
      await shim.stop();
    }
  },
});

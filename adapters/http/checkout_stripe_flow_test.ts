/**
 * The checkout end to end (`testing/checkout_flow.ts`) through the HTTP API on the memory
 * stack. With STRIPE_MOCK_URL the Stripe adapter talks to stripe-mock behind `StripeShim` (the
 * mock validates every request; the shim keeps the PaymentIntent the customer finishes);
 * without it, to the in-memory PaymentIntent fake of the application tests. "Late" is an hour
 * later on the fixed clock, past the order's expiry.
 */
import { IntentGateway } from "../../application/payments/_intent_fakes_test.ts";
import { checkoutFlow } from "../../testing/checkout_flow.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { StripeShim } from "../../testing/stripe_shim.ts";
import { MemoryProcessedEvents } from "../memory/processed_events.ts";
import { stripeClient, StripePaymentGateway } from "../payments/stripe_gateway.ts";
import { StripeEventSource } from "../payments/stripe_webhook.ts";
import { harness } from "./_harness_test.ts";

const mockUrl = integrationUrl("STRIPE_MOCK_URL");
const SECRET = "whsec_checkout_flow";
/** stripe-mock accepts keys of letters and digits after `sk_test_`. */
const KEY = "sk_test_checkoutflow";

Deno.test({
  name: `checkout end to end: guest cart, merge, address, shipping, tax, Stripe ` +
    `(${mockUrl ? "stripe-mock" : "in-memory PaymentIntents"}), webhook twice and late`,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const shim = mockUrl ? StripeShim.start(mockUrl) : null;
    const fake = new IntentGateway();
    const client = stripeClient({ secretKey: KEY, apiBase: shim?.url, maxNetworkRetries: 0 });
    const gateway = shim ? new StripePaymentGateway({ client }) : fake;
    try {
      const h = await harness({
        seed: false,
        ports: (ports) => ({
          gateways: new Map([...ports.gateways, ["stripe", gateway]]),
          paymentEvents: new Map([["stripe", new StripeEventSource(client, SECRET)]]),
          processedEvents: new MemoryProcessedEvents(),
        }),
      });
      await checkoutFlow(t, {
        call: h.call,
        adminToken: await h.admin(),
        ports: { ...h.memory.ports },
        secretKey: KEY,
        webhookSecret: SECRET,
        product: async (sku, stock, priceCents) => void await h.product(sku, { stock, priceCents }),
        finish: (id) => shim ? shim.finish(id) : fake.finish(id),
        intentAmount: (id) =>
          shim ? shim.intents.get(id)?.amount : fake.intents.get(id)?.amountCents,
        later: () => {
          h.clock.advance(60 * 60_000);
          return Promise.resolve();
        },
        refundsAtProvider: () => shim ? shim.refunds.size : fake.refundCalls,
        refusedByProvider: () => shim?.refused ?? [],
      });
    } finally {
      await shim?.stop();
    }
  },
});

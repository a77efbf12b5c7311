/**
 * The checkout end to end through the public API on the memory stack: a guest cart, register
 * (the cart merges), an address, a shipping option, an order with tax, a Stripe payment that
 * needs 3-D Secure (202 with the client secret), the browser finishing it, the client's
 * confirmation, then the `payment_intent.succeeded` webhook delivered twice and late (after the
 * order would have expired): one confirmation, stock deducted once, nothing refunded.
 *
 * With STRIPE_MOCK_URL the Stripe adapter talks to stripe-mock behind `StripeShim` (the mock
 * validates every request; the shim keeps the PaymentIntent that the customer finishes);
 * without it, to the in-memory PaymentIntent fake of the application tests.
 */
import assert from "node:assert/strict";
import Stripe from "stripe";
import { IntentGateway } from "../../application/payments/_intent_fakes_test.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { StripeShim } from "../../testing/stripe_shim.ts";
import { MemoryProcessedEvents } from "../memory/processed_events.ts";
import { stripeClient, StripePaymentGateway } from "../payments/stripe_gateway.ts";
import { StripeEventSource } from "../payments/stripe_webhook.ts";
import { harness } from "./_harness_test.ts";

const mockUrl = integrationUrl("STRIPE_MOCK_URL");
const SECRET = "whsec_checkout_flow";
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
    const finish = (intentId: string) => shim ? shim.finish(intentId) : fake.finish(intentId);
    const processed = new MemoryProcessedEvents();
    try {
      const h = await harness({
        seed: false,
        ports: (ports) => ({
          gateways: new Map([...ports.gateways, ["stripe", gateway]]),
          paymentEvents: new Map([["stripe", new StripeEventSource(client, SECRET)]]),
          processedEvents: processed,
        }),
      });
      await h.product("FLOW-A", { stock: 5, priceCents: 2_000 });
      await h.product("FLOW-B", { stock: 2, priceCents: 1_500 });
      const admin = await h.admin();
      let optionId = "";

      await t.step("the shop ships to the US and taxes California", async () => {
        const zone = await h.call("POST", "/admin/shipping/zones", {
          token: admin,
          body: { name: "United States", countries: ["US"] },
        });
        assert.equal(zone.status, 201, zone.text);
        const option = await h.call("POST", "/admin/shipping/options", {
          token: admin,
          body: {
            zoneId: zone.body.id,
            name: "Standard",
            priceCents: 599,
            currency: "USD",
            freeOverCents: null,
            estimatedDays: { min: 3, max: 5 },
          },
        });
        assert.equal(option.status, 201, option.text);
        optionId = option.body.id;
        const tax = await h.call("POST", "/admin/tax/rates", {
          token: admin,
          body: {
            country: "US",
            region: "CA",
            rateBasisPoints: 725,
            pricesIncludeTax: false,
            shippingTaxed: true,
          },
        });
        assert.equal(tax.status, 201, tax.text);
      });

      let cartToken = "";
      await t.step("a guest fills a cart without an account", async () => {
        const first = await h.call("POST", "/cart/items", { body: { sku: "FLOW-A", qty: 2 } });
        assert.equal(first.status, 200, first.text);
        cartToken = first.headers.get("x-cart-token")!;
        assert.ok(cartToken);
        const second = await h.call("POST", "/cart/items", {
          headers: { "X-Cart-Token": cartToken },
          body: { sku: "FLOW-B", qty: 1 },
        });
        assert.equal(second.status, 200, second.text);
      });

      let token = "";
      await t.step("registering with the cart token merges the guest cart", async () => {
        const res = await h.call("POST", "/auth/register", {
          headers: { "X-Cart-Token": cartToken },
          body: { email: "flow@polycart.test", password: "correct horse battery" },
        });
        assert.equal(res.status, 201, res.text);
        token = res.body.token;
        const cart = await h.call("GET", "/cart", { token });
        assert.deepEqual(
          cart.body.items.map((i: { sku: string; qty: number }) => [i.sku, i.qty]).sort(),
          [["FLOW-A", 2], ["FLOW-B", 1]],
        );
      });

      let addressId = "";
      await t.step("an address in California, and the option that serves it", async () => {
        const address = await h.call("POST", "/me/addresses", {
          token,
          body: {
            name: "Ada Lovelace",
            line1: "1 Infinite Loop",
            city: "Cupertino",
            region: "CA",
            postalCode: "95014",
            country: "US",
            isDefaultShipping: true,
            isDefaultBilling: true,
          },
        });
        assert.equal(address.status, 201, address.text);
        addressId = address.body.id;
        const options = await h.call("GET", `/cart/shipping-options?addressId=${addressId}`, {
          token,
        });
        assert.equal(options.status, 200, options.text);
        assert.deepEqual(options.body.items.map((o: { id: string }) => o.id), [optionId]);
      });

      let order = { id: "", totalCents: 0, currency: "" };
      await t.step("the order from the cart carries shipping and per-line tax", async () => {
        const res = await h.call("POST", "/orders", {
          token,
          body: { shippingAddressId: addressId, shippingOptionId: optionId },
        });
        assert.equal(res.status, 201, res.text);
        // Lines 4000 + 1500; tax 7.25 % per line, half up: 290 + 108.75 -> 109; shipping 599
        // taxed: 43.43 -> 43.
        assert.equal(res.body.subtotalCents, 5_500);
        assert.equal(res.body.shippingCents, 599);
        assert.equal(res.body.taxCents, 290 + 109 + 43);
        assert.equal(res.body.totalCents, 5_500 + 599 + 442);
        order = res.body;
      });

      let intentId = "";
      const pay = (key: string) =>
        h.call("POST", "/payments", {
          token,
          headers: { "Idempotency-Key": key },
          body: { orderId: order.id, provider: "stripe", paymentMethod: "pm_card_visa" },
        });
      await t.step("Stripe asks for 3-D Secure: 202 with the client secret", async () => {
        const res = await pay("pay-1");
        assert.equal(res.status, 202, res.text);
        assert.equal(res.body.order.status, "pending");
        intentId = res.body.action.providerRef;
        assert.match(intentId, /^pi_/);
        assert.match(res.body.action.clientSecret, new RegExp(`^${intentId}_secret_`));
        if (shim) assert.equal(shim.intents.get(intentId)?.amount, order.totalCents);
        assert.ok(!res.text.includes(KEY) && !res.text.includes(SECRET));
      });

      await t.step("the browser finishes it; the client's confirmation confirms", async () => {
        finish(intentId);
        const res = await pay("pay-2");
        assert.equal(res.status, 201, res.text);
        assert.equal(res.body.order.status, "confirmed");
        assert.equal(res.body.payment.providerRef, intentId);
        assert.equal(res.body.payment.amountCents, order.totalCents);
      });

      const stripe = new Stripe(KEY, { httpClient: Stripe.createFetchHttpClient() });
      const cryptoProvider = Stripe.createSubtleCryptoProvider();
      const event = (id: string) =>
        JSON.stringify({
          id,
          object: "event",
          type: "payment_intent.succeeded",
          data: {
            object: {
              id: intentId,
              object: "payment_intent",
              amount: order.totalCents,
              currency: order.currency.toLowerCase(),
              status: "succeeded",
              metadata: { orderId: order.id },
            },
          },
        });
      const deliver = async (payload: string) =>
        h.call("POST", "/webhooks/stripe", {
          rawBody: payload,
          headers: {
            "Content-Type": "application/json",
            "Stripe-Signature": await stripe.webhooks.generateTestHeaderStringAsync({
              payload,
              secret: SECRET,
              cryptoProvider,
            }),
          },
        });

      await t.step("the webhook, twice and late, confirms nothing more", async () => {
        const first = await deliver(event("evt_flow_1"));
        assert.equal(first.status, 200, first.text);
        assert.equal(first.body.outcome, "replayed");
        // Past the order's expiry: the success is this order's own, so never refunded.
        h.clock.advance(60 * 60_000);
        const again = await deliver(event("evt_flow_1"));
        assert.equal(again.body.outcome, "duplicate");
        const resent = await deliver(event("evt_flow_1b"));
        assert.equal(resent.body.outcome, "replayed");
      });

      await t.step("one confirmation: one payment, stock deducted once, cart empty", async () => {
        const detail = await h.call("GET", `/orders/${order.id}`, { token });
        assert.equal(detail.body.status, "confirmed");
        const payments = await h.memory.ports.orders.payments(order.id);
        assert.deepEqual(payments.map((p) => [p.status, p.providerRef]), [
          ["succeeded", intentId],
        ]);
        assert.deepEqual(await h.inventoryOf("FLOW-A"), { stock: 3, reserved: 0, available: 3 });
        assert.deepEqual(await h.inventoryOf("FLOW-B"), { stock: 1, reserved: 0, available: 1 });
        assert.deepEqual((await h.call("GET", "/cart", { token })).body.items, []);
        assert.deepEqual(await h.memory.ports.refundedCharges!.forOrder(order.id), []);
        if (shim) {
          assert.equal(shim.refunds.size, 0);
          assert.deepEqual(shim.refused, []);
        } else assert.equal(fake.refundCalls, 0);
      });
    } finally {
      await shim?.stop();
    }
  },
});

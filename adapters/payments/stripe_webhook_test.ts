import assert from "node:assert/strict";
import Stripe from "stripe";
import { InvalidWebhookSignature } from "../../domain/errors.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { StripeEventSource } from "./stripe_webhook.ts";

const SECRET = "whsec_polycart_test";
const mockUrl = integrationUrl("STRIPE_MOCK_URL");
const offline = new Stripe("sk_test_123", { httpClient: Stripe.createFetchHttpClient() });
const cryptoProvider = Stripe.createSubtleCryptoProvider();

async function signed(type: string, object: Record<string, unknown>) {
  const payload = JSON.stringify({ id: "evt_1", object: "event", type, data: { object } });
  const header = await offline.webhooks.generateTestHeaderStringAsync({
    payload,
    secret: SECRET,
    cryptoProvider,
  });
  return { payload, header };
}

Deno.test("StripeEventSource", async (t) => {
  const source = new StripeEventSource(offline, SECRET);

  await t.step("payment_intent.succeeded: the intent's id, amount, currency, order", async () => {
    const { payload, header } = await signed("payment_intent.succeeded", {
      id: "pi_1",
      object: "payment_intent",
      amount: 4200,
      currency: "eur",
      metadata: { orderId: "o-1" },
    });
    const event = await source.verify(payload, header);
    assert.deepEqual(
      { kind: event.kind, ref: event.providerRef, amount: event.amountCents, cur: event.currency },
      { kind: "payment_succeeded", ref: "pi_1", amount: 4200, cur: "EUR" },
    );
    assert.equal(event.orderId, "o-1");
  });

  await t.step("payment_failed: the decline code is the reason", async () => {
    const { payload, header } = await signed("payment_intent.payment_failed", {
      id: "pi_2",
      object: "payment_intent",
      amount: 100,
      currency: "usd",
      metadata: {},
      last_payment_error: { type: "card_error", code: "card_declined", decline_code: "lost_card" },
    });
    const event = await source.verify(payload, header);
    assert.equal(event.failureReason, "lost_card");
    assert.equal(event.orderId, null);
  });

  await t.step("other types are ignored; a wrong signature throws", async () => {
    const { payload, header } = await signed("customer.created", { id: "cus_1" });
    assert.equal((await source.verify(payload, header)).kind, "ignored");
    await assert.rejects(source.verify(payload + " ", header), InvalidWebhookSignature);
    await assert.rejects(source.verify(payload, null), InvalidWebhookSignature);
    await assert.rejects(
      new StripeEventSource(offline, "whsec_other").verify(payload, header),
      InvalidWebhookSignature,
    );
  });
});

Deno.test({
  name: "StripeEventSource on stripe-mock: charge.refunded without the order in the charge's " +
    "metadata reads it from the PaymentIntent (a request the mock accepts)",
  ignore: !mockUrl,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const base = new URL(mockUrl!);
    const client = new Stripe("sk_test_123", {
      httpClient: Stripe.createFetchHttpClient(),
      host: base.hostname,
      port: Number(base.port),
      protocol: "http",
    });
    const { payload, header } = await signed("charge.refunded", {
      id: "ch_1",
      object: "charge",
      payment_intent: "pi_123",
      amount_refunded: 500,
      refunded: true,
      currency: "usd",
      metadata: {},
    });
    const event = await new StripeEventSource(client, SECRET).verify(payload, header);
    assert.equal(event.kind, "charge_refunded");
    assert.equal(event.providerRef, "pi_123");
    assert.equal(event.fullyRefunded, true);
  },
});

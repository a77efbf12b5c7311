import assert from "node:assert/strict";
import Stripe from "stripe";
import { StripeEventSource } from "../payments/stripe_webhook.ts";
import { MemoryProcessedEvents } from "../memory/processed_events.ts";
import type {
  ChargeRequest,
  ChargeResult,
  PaymentGateway,
} from "../../ports/payments/payment_gateway.ts";
import { assertProblem, harness } from "./_harness_test.ts";

const SECRET = "whsec_test_polycart";
const stripe = new Stripe("sk_test_123", { httpClient: Stripe.createFetchHttpClient() });
const crypto_ = Stripe.createSubtleCryptoProvider();

/** Stands in for Stripe's API (tested on its own): charges succeed, refunds are recorded. */
class FakeStripeGateway implements PaymentGateway {
  readonly provider = "stripe";
  readonly refunds: { providerRef: string; amountCents: number }[] = [];
  charge(request: ChargeRequest): Promise<ChargeResult> {
    return Promise.resolve({ status: "succeeded", providerRef: `pi_${request.orderId}` });
  }
  refund(providerRef: string, amountCents: number): Promise<void> {
    this.refunds.push({ providerRef, amountCents });
    return Promise.resolve();
  }
}

async function setup(options: { stripe?: boolean } = { stripe: true }) {
  const gateway = new FakeStripeGateway();
  const processed = new MemoryProcessedEvents();
  const h = await harness({
    seed: false,
    ports: (ports) =>
      options.stripe
        ? {
          gateways: new Map([...ports.gateways, [gateway.provider, gateway]]),
          paymentEvents: new Map([["stripe", new StripeEventSource(stripe, SECRET)]]),
          processedEvents: processed,
        }
        : {},
  });
  await h.product("HOOK-A", { stock: 5, priceCents: 2_500 });
  const user = await h.register();
  const place = async () => {
    const res = await h.call("POST", "/orders", {
      token: user.token,
      body: { ...await h.delivery(), items: [{ sku: "HOOK-A", qty: 2 }] },
    });
    assert.equal(res.status, 201, res.text);
    return res.body as { id: string; totalCents: number; currency: string };
  };
  const order = (id: string) => h.call("GET", `/orders/${id}`, { token: user.token });
  let n = 0;
  const deliver = async (
    type: string,
    object: Record<string, unknown>,
    init: { id?: string; secret?: string; tamper?: boolean } = {},
  ) => {
    const payload = JSON.stringify({
      id: init.id ?? `evt_${++n}_${crypto.randomUUID().slice(0, 8)}`,
      object: "event",
      type,
      data: { object },
    });
    const signature = await stripe.webhooks.generateTestHeaderStringAsync({
      payload,
      secret: init.secret ?? SECRET,
      cryptoProvider: crypto_,
    });
    return h.call("POST", "/webhooks/stripe", {
      rawBody: init.tamper ? payload.replace("}", " }") : payload,
      headers: { "Stripe-Signature": signature, "Content-Type": "application/json" },
    });
  };
  const intent = (o: { id: string; totalCents: number; currency: string }, extra = {}) => ({
    id: `pi_${o.id}`,
    object: "payment_intent",
    amount: o.totalCents,
    currency: o.currency.toLowerCase(),
    metadata: { orderId: o.id },
    ...extra,
  });
  return { h, user, gateway, place, order, deliver, intent };
}

Deno.test("POST /webhooks/stripe", async (t) => {
  await t.step("a bad or missing signature is 400 and changes nothing", async () => {
    const { h, place, order, deliver, intent } = await setup();
    const o = await place();
    assertProblem(
      await deliver("payment_intent.succeeded", intent(o), { secret: "whsec_other" }),
      400,
      "invalid_webhook_signature",
    );
    assertProblem(
      await deliver("payment_intent.succeeded", intent(o), { tamper: true }),
      400,
      "invalid_webhook_signature",
    );
    const unsigned = await h.call("POST", "/webhooks/stripe", { rawBody: "{}" });
    assertProblem(unsigned, 400, "invalid_webhook_signature");
    assert.equal((await order(o.id)).body.status, "pending");
  });

  await t.step("payment_intent.succeeded confirms once; a redelivery is a duplicate", async () => {
    const { order, place, deliver, intent } = await setup();
    const o = await place();
    const first = await deliver("payment_intent.succeeded", intent(o), { id: "evt_once" });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.outcome, "confirmed");
    assert.equal((await order(o.id)).body.status, "confirmed");
    const again = await deliver("payment_intent.succeeded", intent(o), { id: "evt_once" });
    assert.equal(again.body.outcome, "duplicate");
  });

  await t.step("client confirmation and webhook confirm exactly once", async () => {
    const { h, user, place, deliver, intent, order } = await setup();
    const o = await place();
    const paid = await h.call("POST", "/payments", {
      token: user.token,
      body: { orderId: o.id, provider: "stripe", paymentMethod: "pm_card_visa" },
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    assert.equal(paid.status, 201, paid.text);
    const hook = await deliver("payment_intent.succeeded", intent(o));
    assert.equal(hook.status, 200, hook.text);
    const detail = await order(o.id);
    assert.equal(detail.body.status, "confirmed");
    const payments = await h.memory.ports.orders.payments(o.id);
    assert.equal(payments.filter((p) => p.status === "succeeded").length, 1);
  });

  await t.step("payment_intent.payment_failed records the failure; order stays", async () => {
    const { h, place, deliver, intent, order } = await setup();
    const o = await place();
    const res = await deliver(
      "payment_intent.payment_failed",
      intent(o, { last_payment_error: { code: "card_declined", decline_code: "expired_card" } }),
    );
    assert.equal(res.body.outcome, "failure_recorded");
    assert.equal((await order(o.id)).body.status, "pending");
    const [failed] = await h.memory.ports.orders.payments(o.id);
    assert.equal(failed.failureReason, "expired_card");
  });

  await t.step("a PaymentIntent that failed first and then succeeded confirms", async () => {
    const { place, deliver, intent, order } = await setup();
    const o = await place();
    const failed = intent(o, { last_payment_error: { code: "card_declined" } });
    await deliver("payment_intent.payment_failed", failed);
    const res = await deliver("payment_intent.succeeded", intent(o));
    assert.equal(res.body.outcome, "confirmed");
    assert.equal((await order(o.id)).body.status, "confirmed");
  });

  await t.step("charge.refunded marks a paid order refunded, once", async () => {
    const { place, deliver, intent, order } = await setup();
    const o = await place();
    await deliver("payment_intent.succeeded", intent(o));
    const charge = {
      id: "ch_1",
      object: "charge",
      payment_intent: `pi_${o.id}`,
      amount_refunded: o.totalCents,
      refunded: true,
      currency: o.currency.toLowerCase(),
      metadata: { orderId: o.id },
    };
    assert.equal((await deliver("charge.refunded", charge)).body.outcome, "order_refunded");
    assert.equal((await order(o.id)).body.status, "refunded");
    assert.equal((await deliver("charge.refunded", charge)).body.outcome, "already_refunded");
  });

  await t.step("a late success for an expired order is refunded, not lost", async () => {
    const { h, gateway, place, deliver, intent, order } = await setup();
    const o = await place();
    h.clock.advance(16 * 60_000);
    const res = await deliver("payment_intent.succeeded", intent(o));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.outcome, "refunded_late");
    assert.deepEqual(gateway.refunds, [{ providerRef: `pi_${o.id}`, amountCents: o.totalCents }]);
    assert.notEqual((await order(o.id)).body.status, "confirmed");
  });

  await t.step("a success for another amount never confirms; it is refunded", async () => {
    const { gateway, place, deliver, intent, order } = await setup();
    const o = await place();
    const res = await deliver("payment_intent.succeeded", intent(o, { amount: 1 }));
    assert.equal(res.body.outcome, "amount_mismatch_refunded");
    assert.equal(gateway.refunds.length, 1);
    assert.equal((await order(o.id)).body.status, "pending");
  });

  await t.step("without Stripe configured the route is 422 unsupported_provider", async () => {
    const { deliver, intent, place } = await setup({ stripe: false });
    const o = await place();
    assertProblem(
      await deliver("payment_intent.succeeded", intent(o)),
      422,
      "unsupported_provider",
    );
  });
});

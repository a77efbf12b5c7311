/**
 * Stripe payments racing on the real stack: across many orders, the client's confirmation
 * (`POST /payments` after 3-D Secure), the `payment_intent.succeeded` webhook (signed with the
 * SDK's `generateTestHeaderStringAsync` and the API's webhook secret, delivered twice, the second
 * time late) and the worker's expiry sweeper. Every order must be confirmed at most once, every
 * succeeded charge either attached to a confirmed order or refunded (through Stripe, and recorded
 * in `refunded_charges`), and stock conserved (the bank test's ledger checks).
 *
 * The API with Stripe is an extra API process of the stack (`STRIPE_SECRET_KEY`,
 * `STRIPE_WEBHOOK_SECRET`, `STRIPE_API_BASE`), on the stack's PostgreSQL, Redis and sweeper.
 * Its Stripe is stripe-mock behind `StripeShim` (`testing/stripe_shim.ts`): the mock validates every
 * request the adapter sends (any it refuses fails this scenario), the shim keeps the state the
 * stateless mock cannot (which PaymentIntent succeeded, idempotent replays, refunds).
 *
 * How a webhook names the PaymentIntent the API created: stripe-mock answers each create with a
 * fresh id (`pi_...`); the adapter keeps that id as the payment's `providerRef` and, since every
 * card here asks for 3-D Secure, `POST /payments` answers 202 with it as `action.providerRef`
 * (and its client secret). The scenario builds each `payment_intent.succeeded` event from that
 * id, the order's server total and currency, and `metadata.orderId` (which the adapter set on
 * the PaymentIntent), exactly what Stripe's own event would carry.
 *
 * Each order (shipped to Texas: shipping and tax in its total, which is what Stripe charges):
 * placed (`placeOrder`, the one helper that knows the order body), paid once to get
 * its PaymentIntent (202), finished by the "browser" (`shim.finish`), then the client's second
 * `POST /payments` and the first webhook delivery are sent at once with random offsets (the
 * webhook a little later on average, as the client's request first calls Stripe twice); the same
 * event is delivered again 0.1-0.6 s later; a quarter of the orders also get the event signed with
 * another secret first (400, nothing changes), and a refunded late charge its `charge.refunded`
 * (the API reads the PaymentIntent back through the shim; the order stays cancelled). Orders of the expiry batch (placed first, TTL one
 * minute) are raced the same way around their expiry instant, against the sweeper (every second).
 */
import assert from "node:assert/strict";
import Stripe from "stripe";
import { conservationViolations, ledger, orderViolations } from "./_checks.ts";
import type { Figures } from "./_figures.ts";
import {
  type Account,
  createProduct,
  expectStatus,
  Http,
  isProblem,
  register,
  type Reply,
  responses,
  uniqueTag,
} from "./_http.ts";
import { delay } from "./_servers.ts";
import type { Stack } from "./_stack.ts";
import { StripeShim } from "../testing/stripe_shim.ts";
import {
  chargeViolations,
  deliveryTerms,
  type PlacedOrder,
  placeOrder,
} from "./_payment_race_orders.ts";

const RACES = 40;
const EXPIRY_RACES = 24;
const LANES = 4;
const STOCK = 400;

type Winner = "client" | "webhook" | "sweeper";

export async function paymentRace(stack: Stack, figures: Figures): Promise<void> {
  const mockUrl = Deno.env.get("STRIPE_MOCK_URL");
  if (!mockUrl) {
    console.warn("payment race SKIPPED: STRIPE_MOCK_URL is not set (stripe-mock)");
    figures.note("payment race skipped: STRIPE_MOCK_URL unset");
    return;
  }
  const webhookSecret = `whsec_reliability${crypto.randomUUID().replaceAll("-", "")}`;
  const shim = StripeShim.start(mockUrl);
  const api = await stack.startExtraApi("api-stripe", {
    STRIPE_SECRET_KEY: "sk_test_reliability",
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    STRIPE_API_BASE: shim.url,
  });
  try {
    const http = new Http(api.url);
    const stripe = new Stripe("sk_test_reliability", {
      httpClient: Stripe.createFetchHttpClient(),
    });
    const cryptoProvider = Stripe.createSubtleCryptoProvider();
    const tag = uniqueTag();
    const skus = [0, 1, 2].map((i) => `PAY-${tag}-${i}`);
    for (const sku of skus) await createProduct(stack.http, stack.admin.token, sku, STOCK);
    const terms = await deliveryTerms(stack, tag);
    const buyers = await Promise.all([0, 1, 2, 3].map((i) => register(http, `payrace${i}`)));
    const unexpected: string[] = [];
    const note = (what: string, reply: Reply) =>
      unexpected.push(`${what}: ${reply.status} ${reply.text.slice(0, 300)}`);

    const pay = (buyer: Account, orderId: string) =>
      http.post("/payments", {
        token: buyer.token,
        json: { orderId, provider: "stripe", paymentMethod: "pm_card_visa" },
        headers: { "Idempotency-Key": crypto.randomUUID() },
      });
    const succeeded = (order: PlacedOrder, intentId: string) =>
      JSON.stringify({
        id: `evt_${crypto.randomUUID().replaceAll("-", "")}`,
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
    const chargeRefunded = (order: PlacedOrder, intentId: string) =>
      JSON.stringify({
        id: `evt_${crypto.randomUUID().replaceAll("-", "")}`,
        object: "event",
        type: "charge.refunded",
        data: {
          object: {
            id: `ch_${crypto.randomUUID().replaceAll("-", "")}`,
            object: "charge",
            amount: order.totalCents,
            amount_refunded: order.totalCents,
            currency: order.currency.toLowerCase(),
            refunded: true,
            payment_intent: intentId,
            metadata: {},
          },
        },
      });
    const deliver = async (payload: string, secret = webhookSecret) => {
      const signature = await stripe.webhooks.generateTestHeaderStringAsync({
        payload,
        secret,
        cryptoProvider,
      });
      return await http.post("/webhooks/stripe", {
        body: payload,
        headers: { "Stripe-Signature": signature, "Content-Type": "application/json" },
      });
    };

    /** Places an order and starts its payment: the PaymentIntent the browser then finishes. */
    const prepare = async (n: number) => {
      const buyer = buyers[n % buyers.length];
      const order = await placeOrder(http, buyer, terms, skus[n % skus.length], 1 + (n % 3));
      const started = await pay(buyer, order.id);
      expectStatus(started, 202, `start the payment of ${order.id}`);
      const intentId: string = started.body.action.providerRef;
      assert.match(started.body.action.clientSecret, /_secret_/);
      shim.finish(intentId);
      return { buyer, order, intentId };
    };

    const tally = {
      client: 0,
      webhook: 0,
      sweeper: 0,
      duplicates: 0,
      deliveries: 0,
      forged: 0,
      refundEvents: 0,
    };
    const orders: PlacedOrder[] = [];
    /** The client and the webhook at once, then the same event again, late. */
    const race = async (p: Awaited<ReturnType<typeof prepare>>): Promise<void> => {
      const event = succeeded(p.order, p.intentId);
      if (Math.random() < 0.25) {
        // Signed with another secret: 400, and the order stays as it was.
        const forged = await deliver(event, `whsec_forged${crypto.randomUUID().slice(0, 8)}`);
        tally.forged++;
        if (!isProblem(forged, 400, "invalid_webhook_signature")) note("forged event", forged);
        const [{ count }] = await stack.sql`
          SELECT count(*) AS count FROM payments WHERE order_id = ${p.order.id}`;
        if (Number(count) !== 0) note(`forged event paid ${p.order.id}`, forged);
      }
      // The client's request makes two calls to Stripe before it confirms, the webhook none:
      // the webhook starts a little later on average so that both get to win.
      const [client, hook] = await Promise.all([
        delay(Math.random() * 20).then(() => pay(p.buyer, p.order.id)),
        delay(10 + Math.random() * 50).then(() => deliver(event)),
      ]);
      await delay(100 + Math.random() * 500);
      const late = await deliver(event);
      tally.deliveries += 2;
      if (late.status === 200 && late.body.outcome === "duplicate") tally.duplicates++;
      else note(`late redelivery for ${p.order.id}`, late);
      if (hook.status !== 200) return void note(`webhook for ${p.order.id}`, hook);
      const outcome: string = hook.body.outcome;
      let winner: Winner | null = null;
      if (outcome === "replayed" && client.status === 201) winner = "client";
      if (outcome === "confirmed" && [201, 409].includes(client.status)) winner = "webhook";
      if (outcome === "refunded_late" && client.status === 409) winner = "sweeper";
      if (!winner) return void note(`client vs webhook ${outcome} for ${p.order.id}`, client);
      tally[winner]++;
      if (winner === "sweeper") {
        // Stripe then reports the refund (`charge.refunded`, its PaymentIntent read back through
        // the API): the order is cancelled and never paid, so nothing changes.
        const refunded = await deliver(chargeRefunded(p.order, p.intentId));
        tally.refundEvents++;
        if (refunded.status !== 200 || refunded.body.outcome !== "ignored") {
          note(`charge.refunded for ${p.order.id}`, refunded);
        }
      }
    };

    const inLanes = async <T>(count: number, work: (n: number) => Promise<T>) => {
      const out: T[] = [];
      let next = 0;
      await Promise.all(Array.from({ length: LANES }, async () => {
        while (next < count) {
          const n = next++;
          out[n] = await work(n);
        }
      }));
      return out;
    };

    // The expiry batch first: its orders expire in a minute, while the other races run.
    const started = performance.now();
    const expiring = await inLanes(EXPIRY_RACES, (n) => prepare(1_000 + n));
    orders.push(...expiring.map((p) => p.order));
    await inLanes(RACES, async (n) => {
      const p = await prepare(n);
      orders.push(p.order);
      await race(p);
    });
    // Each expiring order raced around its own expiry instant (-2 s to +1.5 s).
    await Promise.all(expiring.map(async (p) => {
      const at = p.order.expiresAt - 2_000 + Math.random() * 3_500;
      await delay(Math.max(0, at - Date.now()));
      await race(p);
    }));

    // The sweeper (every second) takes what is still pending and expired.
    const deadline = Date.now() + 15_000;
    let pending = orders.length;
    while (Date.now() < deadline) {
      const [{ count }] = await stack.sql`
        SELECT count(*) AS count FROM orders
        WHERE id = ANY(${orders.map((o) => o.id)}) AND status = 'pending'`;
      pending = Number(count);
      if (pending === 0) break;
      await delay(500);
    }

    const problems = [...unexpected];
    if (pending > 0) problems.push(`${pending} orders still pending after their expiry`);
    problems.push(...shim.refused.map((r) => `stripe-mock refused ${r}`));
    const userIds = buyers.map((b) => b.id);
    problems.push(...(await orderViolations(stack.sql, userIds)).violations);
    const initial = new Map(skus.map((sku) => [sku, STOCK]));
    problems.push(...conservationViolations(await ledger(stack.sql, initial), initial));
    problems.push(...await chargeViolations(stack, shim));
    // Provider secrets never in a log line or a response.
    const seen = [await api.log(), ...responses.texts];
    for (const secret of [webhookSecret, "sk_test_reliability"]) {
      if (seen.some((text) => text.includes(secret))) problems.push(`${secret} leaked`);
    }
    assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);

    const refundedCents = [...shim.refunds.values()].reduce((a, b) => a + b, 0);
    figures.checked("payment races (client vs webhook vs sweeper, stripe-mock)", orders.length);
    figures.note(
      `payment race: ${orders.length} orders (${EXPIRY_RACES} raced at their expiry) in ` +
        `${Math.round((performance.now() - started) / 1000)} s; confirmed first by the client ` +
        `${tally.client}, by the webhook ${tally.webhook}; expired first ${tally.sweeper}, ` +
        `their charges refunded (${shim.refunds.size} refunds, ${refundedCents} cents); ` +
        `${tally.deliveries} webhook deliveries, ${tally.duplicates} late redeliveries all ` +
        `duplicates, ${tally.forged} forged ones 400, ${tally.refundEvents} charge.refunded ` +
        `ignored; stripe-mock accepted all ${shim.forwarded} requests`,
    );
  } finally {
    await api.stop();
    await shim.stop();
  }
}

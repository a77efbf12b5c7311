/**
 * The payment race's orders (placed with delivery terms: a Texas address, so shipping and tax
 * are in the total Stripe charges) and its check on every charge. See `_payment_race.ts`.
 */
import assert from "node:assert/strict";
import type { StripeShim } from "../testing/stripe_shim.ts";
import { type Account, expectStatus, type Http } from "./_http.ts";
import type { Stack } from "./_stack.ts";

export interface PlacedOrder {
  readonly id: string;
  readonly totalCents: number;
  readonly currency: string;
  readonly expiresAt: number;
  readonly qty: number;
  readonly sku: string;
}

/** What the orders of this scenario are shipped with: a US address and a flat option. */
export interface DeliveryTerms {
  readonly shippingOptionId: string;
}

const ADDRESS = {
  name: "Payment Race",
  line1: "1 Race Street",
  city: "Austin",
  region: "TX",
  postalCode: "78701",
  country: "US",
};

/**
 * A shipping zone and option for the US, and a Texas tax rate (taxed shipping), through the
 * admin API; a rate that already exists (an earlier scenario) is fine.
 */
export async function deliveryTerms(stack: Stack, tag: string): Promise<DeliveryTerms> {
  const token = stack.admin.token;
  const zone = await stack.http.post("/admin/shipping/zones", {
    token,
    json: { name: `Race ${tag}`, countries: ["US"] },
  });
  expectStatus(zone, 201, "create a shipping zone");
  const option = await stack.http.post("/admin/shipping/options", {
    token,
    json: {
      zoneId: zone.body.id,
      name: `Race ${tag}`,
      priceCents: 499,
      currency: "USD",
      freeOverCents: null,
      estimatedDays: { min: 1, max: 3 },
    },
  });
  expectStatus(option, 201, "create a shipping option");
  const tax = await stack.http.post("/admin/tax/rates", {
    token,
    json: {
      country: "US",
      region: "TX",
      rateBasisPoints: 625,
      pricesIncludeTax: false,
      shippingTaxed: true,
    },
  });
  expectStatus(tax, [201, 409], "create the Texas tax rate");
  return { shippingOptionId: option.body.id };
}

/**
 * The one place this scenario places an order: the body `POST /orders` takes (lines, an inline
 * shipping address, a shipping option). When the order body changes, this is the one edit.
 */
export async function placeOrder(
  http: Http,
  account: Account,
  terms: DeliveryTerms,
  sku: string,
  qty: number,
): Promise<PlacedOrder> {
  const reply = await http.post("/orders", {
    token: account.token,
    json: {
      items: [{ sku, qty }],
      shippingAddress: ADDRESS,
      shippingOptionId: terms.shippingOptionId,
    },
  });
  expectStatus(reply, 201, `place ${qty} x ${sku}`);
  const body = reply.body;
  assert.ok(body.taxCents > 0 && body.shippingCents > 0, `no tax or shipping: ${reply.text}`);
  return {
    id: body.id,
    totalCents: body.totalCents,
    currency: body.currency,
    expiresAt: Date.parse(body.expiresAt),
    qty,
    sku,
  };
}

/**
 * Every PaymentIntent the customer finished either paid a confirmed order (one `succeeded`
 * payment row, not refunded by Stripe) or was refunded by Stripe and recorded in
 * `refunded_charges`, never both, never neither.
 */
export async function chargeViolations(stack: Stack, shim: StripeShim): Promise<string[]> {
  const succeeded = [...shim.intents.values()].filter((i) => i.status === "succeeded");
  const ids = succeeded.map((i) => i.id);
  const paid = new Map(
    (await stack.sql`
      SELECT p.provider_ref, o.status FROM payments p JOIN orders o ON o.id = p.order_id
      WHERE p.provider_ref = ANY(${ids}) AND p.status = 'succeeded'`)
      .map((r) => [r.provider_ref as string, r.status as string]),
  );
  const recorded = new Set(
    (await stack.sql`SELECT provider_ref FROM refunded_charges WHERE provider_ref = ANY(${ids})`)
      .map((r) => r.provider_ref as string),
  );
  const out: string[] = [];
  for (const intent of succeeded) {
    const attached = paid.get(intent.id) === "confirmed";
    const refunded = shim.refunds.has(intent.id);
    if (attached && refunded) out.push(`${intent.id}: paid order ${intent.orderId} AND refunded`);
    if (!attached && !refunded) out.push(`${intent.id}: charged, neither paid nor refunded`);
    if (refunded && !recorded.has(intent.id)) out.push(`${intent.id}: refund not recorded`);
    if (refunded && shim.refunds.get(intent.id) !== intent.amount) {
      out.push(`${intent.id}: refunded ${shim.refunds.get(intent.id)} of ${intent.amount}`);
    }
  }
  return out;
}

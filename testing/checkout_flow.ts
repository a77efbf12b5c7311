/**
 * The checkout end to end through the public API, shared by the HTTP test on the memory stack
 * (`adapters/http/checkout_stripe_flow_test.ts`) and the e2e test on the real servers
 * (`e2e/checkout_stripe_test.ts`): a guest cart, register (the cart merges), an address, a
 * shipping option, an order with per-line tax, a Stripe payment that needs 3-D Secure (202 with
 * the client secret), the browser finishing it, the client's confirmation, then the
 * `payment_intent.succeeded` webhook delivered twice and late: one confirmation, stock deducted
 * once, nothing refunded.
 */
import assert from "node:assert/strict";
import Stripe from "stripe";
import type { Ports } from "../application/use_cases.ts";

export interface FlowReply {
  readonly status: number;
  readonly headers: Headers;
  // deno-lint-ignore no-explicit-any
  readonly body: any;
  readonly text: string;
}

export interface FlowShop {
  call(
    method: string,
    path: string,
    init?: {
      token?: string;
      headers?: Record<string, string>;
      body?: unknown;
      rawBody?: string;
    },
  ): Promise<FlowReply>;
  /** An admin's bearer token. */
  readonly adminToken: string;
  /** The ports behind the API, to read the sources of truth. */
  readonly ports: Ports;
  readonly secretKey: string;
  readonly webhookSecret: string;
  /** Creates a product with this stock and price. */
  product(sku: string, stock: number, priceCents: number): Promise<void>;
  /** The customer finishing the PaymentIntent in the browser (3-D Secure passed). */
  finish(intentId: string): void;
  /** The amount the provider holds for the PaymentIntent. */
  intentAmount(intentId: string): number | undefined;
  /** Lets time pass: past the order's expiry on a fixed clock, a moment on a real one. */
  later(): Promise<void>;
  refundsAtProvider(): number;
  /** Requests the provider (stripe-mock) refused. */
  refusedByProvider(): readonly string[];
}

async function levels(shop: FlowShop, sku: string) {
  const item = await shop.ports.inventory.get(sku);
  return { stock: item?.stock, reserved: item?.reserved };
}

export async function checkoutFlow(t: Deno.TestContext, shop: FlowShop): Promise<void> {
  await shop.product("FLOW-A", 5, 2_000);
  await shop.product("FLOW-B", 2, 1_500);
  let optionId = "";

  await t.step("the shop ships to the US and taxes California", async () => {
    const zone = await shop.call("POST", "/admin/shipping/zones", {
      token: shop.adminToken,
      body: { name: "United States", countries: ["US"] },
    });
    assert.equal(zone.status, 201, zone.text);
    const option = await shop.call("POST", "/admin/shipping/options", {
      token: shop.adminToken,
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
    const tax = await shop.call("POST", "/admin/tax/rates", {
      token: shop.adminToken,
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
    const first = await shop.call("POST", "/cart/items", { body: { sku: "FLOW-A", qty: 2 } });
    assert.equal(first.status, 200, first.text);
    cartToken = first.headers.get("x-cart-token")!;
    assert.ok(cartToken);
    const second = await shop.call("POST", "/cart/items", {
      headers: { "X-Cart-Token": cartToken },
      body: { sku: "FLOW-B", qty: 1 },
    });
    assert.equal(second.status, 200, second.text);
  });

  let token = "";
  await t.step("registering with the cart token merges the guest cart", async () => {
    const res = await shop.call("POST", "/auth/register", {
      headers: { "X-Cart-Token": cartToken },
      body: { email: "flow@polycart.test", password: "correct horse battery" },
    });
    assert.equal(res.status, 201, res.text);
    token = res.body.token;
    const cart = await shop.call("GET", "/cart", { token });
    assert.deepEqual(
      cart.body.items.map((i: { sku: string; qty: number }) => [i.sku, i.qty]).sort(),
      [["FLOW-A", 2], ["FLOW-B", 1]],
    );
  });

  let addressId = "";
  await t.step("an address in California, and the option that serves it", async () => {
    const address = await shop.call("POST", "/me/addresses", {
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
    const options = await shop.call("GET", `/cart/shipping-options?addressId=${addressId}`, {
      token,
    });
    assert.equal(options.status, 200, options.text);
    assert.deepEqual(options.body.items.map((o: { id: string }) => o.id), [optionId]);
  });

  let order = { id: "", totalCents: 0, currency: "" };
  await t.step("the order from the cart carries shipping and per-line tax", async () => {
    const res = await shop.call("POST", "/orders", {
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
    shop.call("POST", "/payments", {
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
    assert.equal(shop.intentAmount(intentId), order.totalCents);
    assert.ok(!res.text.includes(shop.secretKey) && !res.text.includes(shop.webhookSecret));
  });

  await t.step("the browser finishes it; the client's confirmation confirms", async () => {
    shop.finish(intentId);
    const res = await pay("pay-2");
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.order.status, "confirmed");
    assert.equal(res.body.payment.providerRef, intentId);
    assert.equal(res.body.payment.amountCents, order.totalCents);
  });

  const stripe = new Stripe(shop.secretKey, { httpClient: Stripe.createFetchHttpClient() });
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
    shop.call("POST", "/webhooks/stripe", {
      rawBody: payload,
      headers: {
        "Content-Type": "application/json",
        "Stripe-Signature": await stripe.webhooks.generateTestHeaderStringAsync({
          payload,
          secret: shop.webhookSecret,
          cryptoProvider,
        }),
      },
    });

  await t.step("the webhook, twice and late, confirms nothing more", async () => {
    const first = await deliver(event("evt_flow_1"));
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.outcome, "replayed");
    // Past the order's expiry: the success is this order's own, so never refunded.
    await shop.later();
    const again = await deliver(event("evt_flow_1"));
    assert.equal(again.body.outcome, "duplicate");
    const resent = await deliver(event("evt_flow_1b"));
    assert.equal(resent.body.outcome, "replayed");
  });

  await t.step("one confirmation: one payment, stock deducted once, cart empty", async () => {
    const detail = await shop.call("GET", `/orders/${order.id}`, { token });
    assert.equal(detail.body.status, "confirmed");
    const payments = await shop.ports.orders.payments(order.id);
    assert.deepEqual(payments.map((p) => [p.status, p.providerRef]), [
      ["succeeded", intentId],
    ]);
    assert.deepEqual(await levels(shop, "FLOW-A"), { stock: 3, reserved: 0 });
    assert.deepEqual(await levels(shop, "FLOW-B"), { stock: 1, reserved: 0 });
    assert.deepEqual((await shop.call("GET", "/cart", { token })).body.items, []);
    assert.deepEqual(await shop.ports.refundedCharges!.forOrder(order.id), []);
    assert.equal(shop.refundsAtProvider(), 0);
    assert.deepEqual(shop.refusedByProvider(), []);
  });
}

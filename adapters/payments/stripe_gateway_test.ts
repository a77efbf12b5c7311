import assert from "node:assert/strict";
import Stripe from "stripe";
import { PaymentGatewayUnavailable } from "../../domain/errors.ts";
import {
  paymentGatewayContract,
  type SentRequest,
} from "../../ports/contracts/payment_gateway_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { chargeIdempotencyKey, StripePaymentGateway } from "./stripe_gateway.ts";

const mockUrl = integrationUrl("STRIPE_MOCK_URL");
/** stripe-mock accepts any key of the right shape. */
const KEY = "sk_test_123";

/** A Stripe client on stripe-mock whose fetch records every request and its status. */
function recordingClient(apiBase: string, sent: SentRequest[], retries = 0): Stripe {
  const base = new URL(apiBase);
  const spy: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init?.headers);
    sent.push({
      method: init?.method ?? "GET",
      path: url.pathname,
      idempotencyKey: headers.get("Idempotency-Key"),
      status: response.status,
    });
    return response;
  };
  return new Stripe(KEY, {
    httpClient: Stripe.createFetchHttpClient(spy),
    maxNetworkRetries: retries,
    host: base.hostname,
    port: Number(base.port),
    protocol: base.protocol === "https:" ? "https" : "http",
  });
}

paymentGatewayContract("StripePaymentGateway on stripe-mock", () => {
  const sent: SentRequest[] = [];
  return Promise.resolve({
    subject: {
      gateway: new StripePaymentGateway({ client: recordingClient(mockUrl!, sent) }),
      // A port nothing listens on: a connection error, no retries.
      unreachable: new StripePaymentGateway({
        secretKey: KEY,
        apiBase: "http://127.0.0.1:9",
        maxNetworkRetries: 0,
      }),
      paymentMethod: "pm_card_visa",
      settles: false,
      requests: () => sent,
    },
    close: () => Promise.resolve(),
  });
}, { ignore: !mockUrl });

Deno.test({
  name: "StripePaymentGateway on stripe-mock: the PaymentIntent carries the order total, " +
    "currency, payment method and order id",
  ignore: !mockUrl,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const bodies: string[] = [];
    const base = new URL(mockUrl!);
    const spy: typeof fetch = (input, init) => {
      bodies.push(String(init?.body ?? ""));
      return fetch(input, init);
    };
    const client = new Stripe(KEY, {
      httpClient: Stripe.createFetchHttpClient(spy),
      host: base.hostname,
      port: Number(base.port),
      protocol: "http",
    });
    const gateway = new StripePaymentGateway({ client });
    const result = await gateway.charge({
      orderId: "order-1",
      amountCents: 1999,
      currency: "EUR",
      token: "pm_card_visa",
      attempt: 1,
    });
    assert.match(result.providerRef, /^pi_/);
    const form = new URLSearchParams(bodies[0]);
    assert.equal(form.get("amount"), "1999");
    assert.equal(form.get("currency"), "eur");
    assert.equal(form.get("payment_method"), "pm_card_visa");
    assert.equal(form.get("confirm"), "true");
    assert.equal(form.get("metadata[orderId]"), "order-1");
  },
});

/** A client whose every request is answered by `answer` (Stripe's documented error bodies). */
function scriptedClient(status: number, body: unknown): Stripe {
  const respond: typeof fetch = () =>
    Promise.resolve(
      new Response(JSON.stringify(body), {
        status,
        headers: { "content-type": "application/json", "request-id": "req_test" },
      }),
    );
  return new Stripe(KEY, {
    httpClient: Stripe.createFetchHttpClient(respond),
    maxNetworkRetries: 0,
  });
}

const charge = {
  orderId: "o-1",
  amountCents: 500,
  currency: "USD",
  token: "pm_card_visa",
  attempt: 1,
};

Deno.test("Stripe error mapping (documented error payloads)", async (t) => {
  await t.step("card_error with a decline_code is a decline naming it", async () => {
    const gateway = new StripePaymentGateway({
      client: scriptedClient(402, {
        error: {
          type: "card_error",
          code: "card_declined",
          decline_code: "insufficient_funds",
          message: "Your card has insufficient funds.",
          payment_intent: { id: "pi_declined_1", object: "payment_intent" },
        },
      }),
    });
    assert.deepEqual(await gateway.charge(charge), {
      status: "declined",
      providerRef: "pi_declined_1:insufficient_funds",
      reason: "insufficient_funds",
    });
  });

  await t.step("card_error without a decline_code is a decline naming its code", async () => {
    const gateway = new StripePaymentGateway({
      client: scriptedClient(402, {
        error: { type: "card_error", code: "expired_card", message: "Your card has expired." },
      }),
    });
    const result = await gateway.charge(charge);
    assert.equal(result.status, "declined");
    assert.equal(result.status === "declined" && result.reason, "expired_card");
    assert.equal(result.providerRef, `stripe_dc_${await chargeIdempotencyKey(charge)}`);
  });

  await t.step("an unknown payment method is a decline, not an outage", async () => {
    const gateway = new StripePaymentGateway({
      client: scriptedClient(400, {
        error: {
          type: "invalid_request_error",
          code: "resource_missing",
          param: "payment_method",
          message: "No such PaymentMethod: 'pm_nope'",
        },
      }),
    });
    const result = await gateway.charge(charge);
    assert.equal(result.status === "declined" && result.reason, "resource_missing");
  });

  for (
    const [name, status, error] of [
      ["rate limit (429)", 429, { type: "invalid_request_error", code: "rate_limit" }],
      ["api_error (500)", 500, { type: "api_error", message: "Something went wrong" }],
      ["authentication_error (401)", 401, { type: "invalid_request_error", message: "bad key" }],
    ] as const
  ) {
    await t.step(`${name} is PaymentGatewayUnavailable`, async () => {
      const gateway = new StripePaymentGateway({ client: scriptedClient(status, { error }) });
      await assert.rejects(gateway.charge(charge), PaymentGatewayUnavailable);
      await assert.rejects(gateway.refund("pi_1", 100), PaymentGatewayUnavailable);
    });
  }

  await t.step("api_connection (nothing listening) is PaymentGatewayUnavailable", async () => {
    const gateway = new StripePaymentGateway({
      secretKey: KEY,
      apiBase: "http://127.0.0.1:9",
      maxNetworkRetries: 0,
    });
    const error = await gateway.charge(charge).catch((e) => e);
    assert.ok(error instanceof PaymentGatewayUnavailable);
    assert.ok(!String(error.cause).includes(KEY), "the key stays out of the error");
  });

  await t.step("refunding an already refunded charge is a no-op", async () => {
    const gateway = new StripePaymentGateway({
      client: scriptedClient(400, {
        error: {
          type: "invalid_request_error",
          code: "charge_already_refunded",
          message: "Charge ch_1 has already been refunded.",
        },
      }),
    });
    await gateway.refund("pi_1", 500);
  });

  await t.step("any other invalid request is a bug: it is thrown as it is", async () => {
    const gateway = new StripePaymentGateway({
      client: scriptedClient(400, {
        error: { type: "invalid_request_error", param: "amount", message: "Invalid integer" },
      }),
    });
    await assert.rejects(gateway.charge(charge), Stripe.errors.StripeInvalidRequestError);
  });
});

Deno.test("the charge idempotency key depends on the order, amount, currency and method", async () => {
  const key = await chargeIdempotencyKey(charge);
  assert.equal(await chargeIdempotencyKey({ ...charge }), key);
  assert.notEqual(await chargeIdempotencyKey({ ...charge, token: "pm_other" }), key);
  assert.notEqual(await chargeIdempotencyKey({ ...charge, amountCents: 501 }), key);
  assert.notEqual(await chargeIdempotencyKey({ ...charge, orderId: "o-2" }), key);
  assert.ok(key.length <= 255);
});

/** A client answering each request by method and path; records what it was asked. */
function routedClient(
  answer: (method: string, path: string) => [number, unknown],
  asked: string[] = [],
): Stripe {
  const respond: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? "GET";
    asked.push(`${method} ${url.pathname}`);
    const [status, body] = answer(method, url.pathname);
    return Promise.resolve(
      new Response(JSON.stringify(body), {
        status,
        headers: { "content-type": "application/json", "request-id": "req_test" },
      }),
    );
  };
  return new Stripe(KEY, {
    httpClient: Stripe.createFetchHttpClient(respond),
    maxNetworkRetries: 0,
  });
}

const intent = (status: string) => ({
  id: "pi_3ds",
  object: "payment_intent",
  amount: 500,
  currency: "usd",
  status,
  client_secret: "pi_3ds_secret_abc",
  metadata: { orderId: "o-1" },
});

Deno.test("StripePaymentGateway: PaymentIntents that need the customer", async (t) => {
  for (const status of ["requires_action", "requires_confirmation", "requires_payment_method"]) {
    await t.step(`${status} answers the client secret after reading its state`, async () => {
      const asked: string[] = [];
      const gateway = new StripePaymentGateway({
        client: routedClient(() => [200, intent(status)], asked),
      });
      assert.deepEqual(await gateway.charge(charge), {
        status: "requires_action",
        providerRef: "pi_3ds",
        clientSecret: "pi_3ds_secret_abc",
        nextStep: status,
      });
      assert.deepEqual(asked, ["POST /v1/payment_intents", "GET /v1/payment_intents/pi_3ds"]);
    });
  }

  await t.step("a retried attempt the customer finished meanwhile is a success", async () => {
    // Stripe replays the first answer for the key; the PaymentIntent itself has succeeded.
    const gateway = new StripePaymentGateway({
      client: routedClient((method) =>
        method === "POST" ? [200, intent("requires_action")] : [200, intent("succeeded")]
      ),
    });
    assert.deepEqual(await gateway.charge(charge), { status: "succeeded", providerRef: "pi_3ds" });
  });

  await t.step("a cancelled PaymentIntent is a decline", async () => {
    const gateway = new StripePaymentGateway({
      client: routedClient(() => [200, intent("canceled")]),
    });
    const result = await gateway.charge(charge);
    assert.deepEqual(result, {
      status: "declined",
      providerRef: "pi_3ds:canceled",
      reason: "canceled",
    });
  });

  await t.step("the same key still in flight (409 idempotency_error) is an outage", async () => {
    const gateway = new StripePaymentGateway({
      client: routedClient(() => [409, {
        error: { type: "idempotency_error", message: "another request is in progress" },
      }]),
    });
    await assert.rejects(gateway.charge(charge), PaymentGatewayUnavailable);
  });
});

Deno.test("the charge idempotency key names the order and the attempt", async () => {
  const key = await chargeIdempotencyKey(charge);
  assert.match(key, /^polycart-charge-o-1-1-[0-9a-f]{32}$/);
  assert.notEqual(await chargeIdempotencyKey({ ...charge, attempt: 2 }), key);
});

/** Paying a pending order through a payment provider. */
import { Hono } from "hono";
import type { UseCases } from "../../application/use_cases.ts";
import { respondIdempotently } from "./_idempotent.ts";
import { type AppEnv, principalOf, route } from "./_route.ts";
import { orderJson, paymentJson } from "./_views.ts";
import { IdempotencyHeaders } from "./schemas/_common.ts";
import { PaymentActionRequired, PaymentResult, PayRequest } from "./schemas/payments.ts";

const pay = route({
  tag: "Payments",
  summary: "Pay a pending order",
  description: "Charges the order's total as computed by the server. On success the order is " +
    "confirmed, its stock deducted, its lines taken out of the cart (only for an order placed " +
    "from the cart; lines added or raised since stay) and the leaderboards updated. A declined " +
    "payment (402) leaves the order pending; a gateway outage is 502. A Stripe payment that " +
    "needs the customer (3-D Secure, ...) answers 202 with the PaymentIntent's client secret: " +
    "the browser finishes it with Stripe.js, then POST the same body again with a new " +
    "Idempotency-Key (the same attempt, now succeeded) or let the webhook confirm the order. " +
    "Whichever comes first confirms it, once.",
  access: "user",
  headers: IdempotencyHeaders,
  body: PayRequest,
  success: {
    status: 201,
    description: "The succeeded payment and the confirmed order.",
    schema: PaymentResult,
    headers: { "Idempotent-Replayed": "`true` when this is a replay of an earlier response." },
    alternatives: [{
      status: 202,
      description: "The payment needs the customer: nothing charged yet, the order pending.",
      schema: PaymentActionRequired,
    }],
  },
  problems: [
    "not_found",
    "order_not_pending",
    "payment_declined",
    "unsupported_provider",
    "payment_gateway_error",
    "idempotency_key_mismatch",
    "idempotency_in_flight",
  ],
});

export function paymentsRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .post("/", pay.guard, async (c) => {
      const userId = principalOf(c).user.id;
      const key = pay.headers(c)["Idempotency-Key"];
      const { orderId, provider, paymentToken, paymentMethod } = await pay.body(c);
      return await respondIdempotently(c, useCases, { userId, key }, async () => {
        const paid = await useCases.payOrder({
          userId,
          orderId,
          provider,
          paymentToken: paymentToken ?? paymentMethod!,
        });
        if (paid.kind === "action_required") {
          return {
            status: 202,
            body: {
              order: orderJson(paid.order),
              action: { type: "confirm_payment", ...paid.action },
            },
          };
        }
        return {
          status: 201,
          body: { payment: paymentJson(paid.payment), order: orderJson(paid.order) },
        };
      });
    });
}

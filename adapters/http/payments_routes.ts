/** Paying a pending order through a payment provider. */
import { Hono } from "hono";
import type { UseCases } from "../../application/use_cases.ts";
import { respondIdempotently } from "./_idempotent.ts";
import { type AppEnv, principalOf, route } from "./_route.ts";
import { orderJson, paymentJson } from "./_views.ts";
import { IdempotencyHeaders } from "./schemas/_common.ts";
import { PaymentResult, PayRequest } from "./schemas/payments.ts";

const pay = route({
  tag: "Payments",
  summary: "Pay a pending order",
  description: "Charges the order's total as computed by the server. On success the order is " +
    "confirmed, its stock deducted, its lines taken out of the cart (only for an order placed " +
    "from the cart; lines added or raised since stay) and the leaderboards updated. A declined " +
    "payment (402) leaves the order pending; a gateway outage is 502.",
  access: "user",
  headers: IdempotencyHeaders,
  body: PayRequest,
  success: {
    status: 201,
    description: "The succeeded payment and the confirmed order.",
    schema: PaymentResult,
    headers: { "Idempotent-Replayed": "`true` when this is a replay of an earlier response." },
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
        const { payment, order } = await useCases.payOrder({
          userId,
          orderId,
          provider,
          paymentToken: paymentToken ?? paymentMethod!,
        });
        return { status: 201, body: { payment: paymentJson(payment), order: orderJson(order) } };
      });
    });
}

/**
 * Payment providers' webhooks. The body is read raw, exactly as sent: the signature covers its
 * bytes, so this route bypasses the JSON body parsing and strict-body rules every other route
 * follows. A bad signature is 400 and changes nothing.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { UseCases } from "../../application/use_cases.ts";
import { type AppEnv, route } from "./_route.ts";
import { doc } from "./schemas/_common.ts";

const WebhookReceipt = doc(
  z.object({
    received: z.literal(true),
    eventId: z.string(),
    type: z.string(),
    outcome: z.string().describe(
      "What the event did: confirmed, replayed (already confirmed by this payment), duplicate, " +
        "refunded_late, ignored, ...",
    ),
  }),
  { id: "WebhookReceipt", description: "A provider event, verified and handled once." },
);

const stripe = route({
  tag: "Payments",
  summary: "Stripe webhook endpoint",
  description: "Point a Stripe webhook endpoint here (events payment_intent.succeeded, " +
    "payment_intent.payment_failed, charge.refunded). The `Stripe-Signature` header is " +
    "verified on the raw body with STRIPE_WEBHOOK_SECRET; each event id is handled once. " +
    "A success confirms the order (exactly once with the client's own confirmation); a success " +
    "for an order that expired meanwhile is refunded; a failure is recorded; a full refund " +
    "marks a paid order refunded. Absent unless STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET " +
    "are set (then 422 unsupported_provider).",
  access: "public",
  success: { status: 200, description: "The event was received.", schema: WebhookReceipt },
  problems: ["invalid_webhook_signature", "unsupported_provider", "payment_gateway_error"],
});

export function webhooksRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .post("/stripe", stripe.guard, async (c) => {
      const receipt = await useCases.receivePaymentEvent({
        provider: "stripe",
        rawBody: await c.req.text(),
        signature: c.req.header("Stripe-Signature") ?? null,
      });
      return c.json({ received: true as const, ...receipt }, 200);
    });
}

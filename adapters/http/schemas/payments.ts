import { z } from "zod";
import { PAYMENT_STATUSES } from "../../../domain/payments/payment.ts";
import { cents, doc, isoDateTime, ResourceId } from "./_common.ts";
import { Order } from "./orders.ts";

// ---- Payments ----

export const PayRequest = doc(
  z.strictObject({
    orderId: ResourceId,
    provider: z.string().min(1).max(64).describe('Payment provider: "test" or "stripe".'),
    paymentToken: z.string().min(1).max(512).optional()
      .describe("Test provider token: tok_visa, tok_declined, tok_error."),
    paymentMethod: z.string().min(1).max(255).optional()
      .describe("Stripe PaymentMethod id (pm_...) created by Stripe.js; no card data here."),
  }).superRefine((b, ctx) => {
    if ((b.paymentToken === undefined) === (b.paymentMethod === undefined)) {
      ctx.addIssue({
        code: "custom",
        message: "give exactly one: paymentToken for the test provider, paymentMethod for stripe",
        path: [b.provider === "stripe" ? "paymentMethod" : "paymentToken"],
      });
    }
  }, { when: (payload) => typeof payload.value === "object" && payload.value !== null }),
  {
    id: "PayRequest",
    description: "The amount charged is always the order's total. `paymentToken` for the " +
      "test provider, `paymentMethod` for Stripe.",
  },
);

export const Payment = doc(
  z.object({
    id: z.string(),
    orderId: z.string(),
    status: z.enum(PAYMENT_STATUSES),
    amountCents: cents("Amount charged in cents."),
    provider: z.string(),
    providerRef: z.string().describe("The provider's charge reference."),
    processedAt: isoDateTime("When the provider answered."),
  }),
  { id: "Payment" },
);

export const PaymentResult = doc(z.object({ payment: Payment, order: Order }), {
  id: "PaymentResult",
});

export const PaymentActionRequired = doc(
  z.object({
    order: Order,
    action: z.object({
      type: z.literal("confirm_payment")
        .describe("Finish the payment in the browser (Stripe.js `confirmPayment`)."),
      provider: z.string(),
      providerRef: z.string().describe("The provider's payment reference (a PaymentIntent id)."),
      clientSecret: z.string()
        .describe("The PaymentIntent's client secret, for Stripe.js in the customer's browser."),
      nextStep: z.string()
        .describe("The provider's status: requires_action, requires_confirmation, ..."),
    }),
  }),
  {
    id: "PaymentActionRequired",
    description: "Nothing charged yet: the order stays pending until the customer finishes the " +
      "payment; then POST /payments again (a new Idempotency-Key) or the provider's webhook " +
      "confirms it.",
  },
);

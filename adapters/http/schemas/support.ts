import { z } from "zod";
import { ORDER_STATUSES } from "../../../domain/ordering/order.ts";
import { PAYMENT_STATUSES } from "../../../domain/payments/payment.ts";
import { cents, doc, isoDateTime, pageOf, PageQuery } from "./_common.ts";
import { AdminOrder, QueryInstant } from "./admin.ts";
import { User } from "./identity.ts";
import { Payment } from "./payments.ts";

// ---- Support: order search, one order in full, customers ----

/** Free text without control characters (PostgreSQL refuses U+0000 in text). */
// deno-lint-ignore no-control-regex
const Text = z.string().max(200).regex(/^[^\u0000-\u001f\u007f]*$/, {
  error: "must not contain control characters",
});

const SupportQ = Text.default("").describe(
  "An order id or its first characters, the customer's email (or its start), the customer's " +
    "or a product's name (typos tolerated), a SKU or a payment reference. Empty: every order.",
);

export const SupportOrderSearchQuery = z.object({
  q: SupportQ,
  status: z.enum(ORDER_STATUSES).optional(),
  from: QueryInstant.optional().describe("Placed at or after this instant."),
  to: QueryInstant.optional().describe("Placed before this instant."),
  ...PageQuery.shape,
}).refine((q) => !q.from || !q.to || q.from.getTime() < q.to.getTime(), {
  message: "from must be before to",
  path: ["from"],
});

const OrderCustomer = doc(
  z.object({ id: z.string(), email: z.string(), displayName: z.string().nullable() }),
  { id: "OrderCustomer", description: "Who placed the order." },
);

export const SupportOrderHit = doc(
  z.object({
    id: z.string(),
    status: z.enum(ORDER_STATUSES),
    customer: OrderCustomer,
    skus: z.array(z.string()),
    productNames: z.array(z.string()).describe("Names when ordered (with the variant label)."),
    currency: z.string(),
    totals: z.record(z.string(), z.int().min(0)).describe(
      "Money in cents of `currency`: `totalCents`, and its parts where orders carry them.",
    ),
    payments: z.array(z.object({
      provider: z.string(),
      providerRef: z.string(),
      status: z.enum(PAYMENT_STATUSES),
      amountCents: cents("Amount of the attempt, in cents."),
      processedAt: isoDateTime("When the provider answered."),
    })).describe("Every attempt, failed ones included, oldest first."),
    createdAt: isoDateTime("When the order was placed."),
    updatedAt: isoDateTime("Its last change."),
    paidAt: isoDateTime("When it was paid; null before.").nullable(),
  }),
  {
    id: "SupportOrderHit",
    description: "An order as the support index holds it (derived from PostgreSQL through the " +
      "outbox: as current as the sync's lag, see `GET /admin/sync/status`).",
  },
);

export const SupportOrderPage = pageOf(SupportOrderHit, "SupportOrderPage");

export const SupportOrder = doc(
  AdminOrder.extend({
    customer: OrderCustomer.nullable(),
    payments: z.array(Payment.extend({
      currency: z.string(),
      failureReason: z.string().nullable().describe("Why a declined or failed attempt failed."),
    })).describe("Every payment attempt, oldest first."),
  }),
  {
    id: "SupportOrder",
    description: "One order as PostgreSQL holds it now, with every payment and its customer.",
  },
);

export const CustomerSearchQuery = z.object({
  q: Text.optional().describe(
    "The start of an email or part of a display name, case-insensitive. Absent: everyone.",
  ),
  ...PageQuery.shape,
});

export const CustomerPage = pageOf(User, "CustomerPage");

import { z } from "zod";
import { ORDER_SOURCES, ORDER_STATUSES } from "../../../domain/ordering/order.ts";
import { PAYMENT_STATUSES } from "../../../domain/payments/payment.ts";
import { cents, doc, isoDateTime, pageOf, PageQuery, ResourceId, Sku } from "./_common.ts";
import { Qty } from "./cart.ts";

// ---- Orders ----

export const PlaceOrderRequest = doc(
  z.strictObject({
    items: z.array(z.strictObject({ sku: Sku, qty: Qty(1) })).max(100).optional()
      .describe("Lines to order; when absent, the cart's lines. Repeated SKUs are merged."),
  }),
  { id: "PlaceOrderRequest" },
);

export const OrderItem = z.object({
  sku: z.string().describe("The SKU sold: the product's own, or one of its variants'."),
  productSku: z.string().describe("The product the SKU belongs to (= sku without variants)."),
  productName: z.string().describe("Name when ordered."),
  variantLabel: z.string().nullable().describe("The variant's label when ordered; null without."),
  qty: z.int().min(1),
  unitPriceCents: cents("Unit price when ordered, in cents."),
  lineTotalCents: cents("qty x unitPriceCents."),
});

const OrderPayment = doc(
  z.object({
    provider: z.string(),
    status: z.enum(PAYMENT_STATUSES).describe('"succeeded", or "refunded" after a refund.'),
    amountCents: cents("Amount charged in cents."),
    currency: z.string(),
    providerRef: z.string().describe("The provider's charge reference."),
    processedAt: isoDateTime("When the provider answered."),
  }),
  { id: "OrderPayment", description: "The payment that confirmed the order." },
);

export const orderFields = {
  id: z.string(),
  status: z.enum(ORDER_STATUSES),
  totalCents: cents("Order total in cents."),
  currency: z.string().describe("The one currency of every line and the total."),
  source: z.enum(ORDER_SOURCES).describe(
    '"cart": the lines came from the cart, and paying takes exactly them out of it; ' +
      '"items": the request named them, and the cart is left alone.',
  ),
  createdAt: isoDateTime("When the order was placed."),
  expiresAt: isoDateTime(
    "While pending: when the order is cancelled and its stock released. Null once it no " +
      "longer expires (paid, cancelled).",
  ).nullable(),
  paidAt: isoDateTime("When it was paid; null before.").nullable(),
  payment: OrderPayment.nullable().describe("The confirming payment once paid; null before."),
};

export const Order = doc(z.object({ ...orderFields, items: z.array(OrderItem) }), {
  id: "Order",
});

export const OrderDetail = doc(
  z.object({
    ...orderFields,
    items: z.array(OrderItem.extend({
      product: z.object({
        name: z.string().describe('Current catalog name, or "Product unavailable".'),
        slug: z.string().nullable(),
        image: z.string().nullable(),
      }),
    })),
  }),
  { id: "OrderDetail", description: "An order with current catalog data joined in." },
);

export const OrderPage = pageOf(Order, "OrderPage");

export const OrderListQuery = z.object({
  status: z.enum(ORDER_STATUSES).optional(),
  ...PageQuery.shape,
});

export const OrderIdParams = z.object({ id: ResourceId });

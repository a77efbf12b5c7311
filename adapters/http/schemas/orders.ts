import { z } from "zod";
import { ORDER_SOURCES, ORDER_STATUSES } from "../../../domain/ordering/order.ts";
import { PAYMENT_STATUSES } from "../../../domain/payments/payment.ts";
import { cents, doc, isoDateTime, pageOf, PageQuery, ResourceId, Sku } from "./_common.ts";
import { Qty } from "./cart.ts";
import { addressFields } from "./checkout.ts";

// ---- Orders ----

const { isDefaultShipping: _s, isDefaultBilling: _b, ...postalFields } = addressFields;

/** An address given in the order itself: an address book entry's fields, minus the defaults. */
export const OrderAddressInput = doc(z.strictObject(postalFields), { id: "OrderAddressInput" });

/** An address or shipping option id (opaque). */
const RefId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/);

export const PlaceOrderRequest = doc(
  z.strictObject({
    items: z.array(z.strictObject({ sku: Sku, qty: Qty(1) })).max(100).optional()
      .describe("Lines to order; when absent, the cart's lines. Repeated SKUs are merged."),
    shippingAddressId: RefId.optional()
      .describe("One of the caller's addresses (/me/addresses); or give `shippingAddress`."),
    shippingAddress: OrderAddressInput.optional()
      .describe("The address inline; or give `shippingAddressId`."),
    billingAddressId: RefId.optional()
      .describe("One of the caller's addresses; absent with `billingAddress`: the shipping one."),
    billingAddress: OrderAddressInput.optional().describe("The billing address inline."),
    shippingOptionId: RefId.optional().describe(
      "A shipping option serving the shipping address's country (GET /cart/shipping-options). " +
        "Required.",
    ),
  }).superRefine((b, ctx) => {
    const one = (id: string, inline: string, required: boolean) => {
      const given = [id, inline].filter((k) => b[k as keyof typeof b] !== undefined);
      if (given.length > 1) {
        ctx.addIssue({
          code: "custom",
          path: [inline],
          message: `give ${id} or ${inline}, not both`,
        });
      } else if (required && given.length === 0) {
        ctx.addIssue({ code: "custom", path: [inline], message: `give ${id} or ${inline}` });
      }
    };
    one("shippingAddressId", "shippingAddress", true);
    one("billingAddressId", "billingAddress", false);
    if (b.shippingOptionId === undefined) {
      ctx.addIssue({ code: "custom", path: ["shippingOptionId"], message: "is required" });
    }
  }),
  { id: "PlaceOrderRequest" },
);

const OrderAddress = doc(
  z.object({
    name: z.string(),
    line1: z.string(),
    line2: z.string().nullable(),
    city: z.string(),
    region: z.string().nullable(),
    postalCode: z.string(),
    country: z.string(),
    phone: z.string().nullable(),
  }),
  { id: "OrderAddress", description: "The address as ordered; later edits do not change it." },
);

const OrderShipping = doc(
  z.object({
    id: z.string().describe("The shipping option ordered."),
    name: z.string().describe("Its name when ordered."),
    priceCents: cents("What shipping cost this order (0 past the free-over threshold)."),
    taxCents: cents("The tax on shipping (0 where shipping is not taxed)."),
  }),
  { id: "OrderShipping" },
);

export const OrderItem = z.object({
  sku: z.string().describe("The SKU sold: the product's own, or one of its variants'."),
  productSku: z.string().describe("The product the SKU belongs to (= sku without variants)."),
  productName: z.string().describe("Name when ordered."),
  variantLabel: z.string().nullable().describe("The variant's label when ordered; null without."),
  qty: z.int().min(1),
  unitPriceCents: cents("Unit price when ordered, in cents."),
  lineTotalCents: cents("qty x unitPriceCents."),
  taxCents: cents(
    "The line's tax, rounded half up to the cent: held in lineTotalCents when prices " +
      "include tax, added on top otherwise.",
  ),
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
  subtotalCents: cents("The lines' sum, as priced when the order was placed."),
  shippingCents: cents("Shipping as ordered (0 without delivery terms)."),
  taxCents: cents("The lines' tax plus shipping's, each rounded half up before summing."),
  totalCents: cents(
    "What is charged: subtotal + shipping, plus tax unless prices include it.",
  ),
  pricesIncludeTax: z.boolean().describe(
    "true where catalogue prices include tax (e.g. DE): subtotal and shipping hold taxCents.",
  ),
  shippingAddress: OrderAddress.nullable().describe(
    "Snapshot of the shipping address; null only on orders from before delivery terms.",
  ),
  billingAddress: OrderAddress.nullable().describe("Snapshot of the billing address."),
  shipping: OrderShipping.nullable().describe("Snapshot of the shipping option."),
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

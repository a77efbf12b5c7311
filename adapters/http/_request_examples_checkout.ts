/** Request examples for buying: the cart, placing orders, paying them. */
import type { BodyExample } from "./_request_examples.ts";

type Examples = Readonly<Record<string, Readonly<Record<string, BodyExample>>>>;

/** Cart lines, orders and payments, in the order a purchase makes them. */
export const CHECKOUT_EXAMPLES: Examples = {
  "POST /cart/items": {
    laptop: { summary: "One laptop (a variant SKU)", value: { sku: "LAP-001-32-1024", qty: 1 } },
    guest: {
      summary: "Sent without a session: starts a guest cart, named by the X-Cart-Token answered",
      value: { sku: "PHN-002", qty: 1 },
    },
  },
  "PUT /cart/items/:sku": {
    two: { summary: "Two of them", value: { qty: 2 } },
    remove: { summary: "Remove the line", value: { qty: 0 } },
  },
  "POST /orders": {
    cart: {
      summary: "Order the cart's lines to California (tax added), standard shipping",
      value: {
        shippingAddress: {
          name: "Ada Lovelace",
          line1: "1 Infinite Loop",
          city: "Cupertino",
          region: "CA",
          postalCode: "95014",
          country: "US",
        },
        shippingOptionId: "ship-us-standard",
      },
    },
    items: {
      summary: "Order these lines to Berlin (tax included), billed to London",
      value: {
        items: [{ sku: "LAP-001-32-1024", qty: 1 }, { sku: "PHN-002", qty: 2 }],
        shippingAddress: {
          name: "Grace Hopper",
          line1: "Unter den Linden 1",
          city: "Berlin",
          postalCode: "10117",
          country: "DE",
        },
        billingAddress: {
          name: "Grace Hopper",
          line1: "10 Downing Street",
          city: "London",
          postalCode: "SW1A 2AA",
          country: "GB",
        },
        shippingOptionId: "ship-eu-standard",
      },
    },
  },
  "POST /payments": {
    approved: {
      summary: "Pay with the test provider (approved)",
      value: {
        orderId: "0f8fad5b-d9cb-469f-a165-70867728950e",
        provider: "test",
        paymentToken: "tok_visa",
      },
    },
    declined: {
      summary: "A card the test provider declines",
      value: {
        orderId: "0f8fad5b-d9cb-469f-a165-70867728950e",
        provider: "test",
        paymentToken: "tok_declined",
      },
    },
    stripe: {
      summary: "Pay with Stripe (a PaymentMethod id from Stripe.js; needs STRIPE_SECRET_KEY)",
      value: {
        orderId: "0f8fad5b-d9cb-469f-a165-70867728950e",
        provider: "stripe",
        paymentMethod: "pm_card_visa",
      },
    },
  },
};

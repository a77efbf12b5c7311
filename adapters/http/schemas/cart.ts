import { z } from "zod";
import { cents, count, doc, Sku } from "./_common.ts";

// ---- Cart ----

export const Qty = (min: number) => z.int().min(min).max(1_000);

export const AddCartItemRequest = doc(z.strictObject({ sku: Sku, qty: Qty(1) }), {
  id: "AddCartItemRequest",
  description: "Adds `qty` to the line (creating it).",
});

export const SetCartItemRequest = doc(z.strictObject({ qty: Qty(0) }), {
  id: "SetCartItemRequest",
  description: "Sets the line's quantity; 0 removes it.",
});

export const Cart = doc(
  z.object({
    items: z.array(z.object({
      sku: z.string().describe("The SKU in the cart: a product's own, or a variant's."),
      productSku: z.string(),
      productName: z.string(),
      variantLabel: z.string().nullable(),
      name: z.string().describe("The product name (same as productName)."),
      qty: z.int().min(1),
      unitPriceCents: cents("Current unit price in cents."),
      lineTotalCents: cents("qty x unitPriceCents."),
      available: count().describe("Units available now."),
    })),
    totalCents: cents("Sum of the line totals."),
    currency: z.string(),
  }),
  { id: "Cart" },
);

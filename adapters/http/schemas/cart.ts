import { z } from "zod";
import { MAX_LINE_QTY } from "../../../domain/cart/cart.ts";
import { cents, count, doc, Sku } from "./_common.ts";

// ---- Cart ----

export const Qty = (min: number) => z.int().min(min).max(MAX_LINE_QTY);

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

// ---- Guest carts and versions ----

const CART_TOKEN = doc(z.string(), {
  description: "The guest cart's token, from the `X-Cart-Token` header of the first " +
    "`POST /cart/items` sent without a session. Ignored when a valid bearer token is sent " +
    "(the user's cart is used). An unknown, expired (7 days after the cart's last change), " +
    "malformed or already merged token is 404 `cart_not_found`.",
});

const IF_MATCH = doc(z.string(), {
  description: "The cart's `ETag` as last read (one strong entity tag, or `*`): the write " +
    "applies only if the cart has not changed since, else 412 `precondition_failed` with the " +
    "current cart. A weak or unknown tag never matches (412); a list or a malformed value is 400.",
});

export const CartReadHeaders = z.object({ "X-Cart-Token": CART_TOKEN.optional() });

export const CartWriteHeaders = z.object({
  "X-Cart-Token": CART_TOKEN.optional(),
  "If-Match": IF_MATCH.optional(),
});

export const CART_ETAG =
  'The cart\'s version as a strong entity tag (`"12"`): send it back in `If-Match`. ' +
  "It changes with every change of the cart's lines; prices and availability shown may change " +
  "without it.";

const MergedLine = z.object({ sku: z.string(), qty: z.int().min(1) });

export const CartMerge = doc(
  z.object({
    result: z.enum(["merged", "already_merged", "cart_not_found", "cart_unavailable"]),
    merged: z.array(MergedLine).describe("Guest lines added in full."),
    capped: z.array(z.object({
      sku: z.string(),
      requested: z.int().min(1),
      merged: count().describe("Units added (the line now holds `limit`)."),
      limit: count().describe("What is available, at most 1000 per line."),
    })).describe("Guest lines added only up to what is available."),
    dropped: z.array(z.object({
      sku: z.string(),
      qty: z.int().min(1),
      reason: z.enum(["unavailable", "out_of_stock", "currency_mismatch"]),
    })).describe("Guest lines that cannot be sold now, left out."),
  }),
  {
    id: "CartMerge",
    description: "What signing in did with the guest cart named by `X-Cart-Token` (absent " +
      "without that header). A token is used once: a later sign-in with it, by any account, " +
      "finds no cart. `cart_unavailable`: the cart store is down; the guest cart is kept and " +
      "signing in again with the token merges it.",
  },
);

export const MergeCartHeaders = z.object({
  "X-Cart-Token": doc(z.string(), {
    description: "A guest cart's token: once signed in, its lines are merged into the " +
      "account's cart (see `cartMerge`) and the token is used up.",
  }).optional(),
});

/** The caller's cart: one per user, SKU -> quantity. */
import { Hono } from "hono";
import type { UseCases } from "../../application/use_cases.ts";
import { type AppEnv, principalOf, route } from "./_route.ts";
import { cartJson } from "./_views.ts";
import { AddCartItemRequest, Cart, SetCartItemRequest } from "./schemas/cart.ts";
import { SkuParams } from "./schemas/catalog.ts";

const CART_DOWN = "dependency_unavailable" as const;

const get = route({
  tag: "Cart",
  summary: "The caller's cart with current prices and availability",
  access: "user",
  success: { status: 200, description: "The cart.", schema: Cart },
  problems: [CART_DOWN],
});

const add = route({
  tag: "Cart",
  summary: "Add units of a SKU",
  description: "A cart holds one currency: a SKU priced in another currency than the cart's " +
    "lines is 409 `currency_mismatch`.",
  access: "user",
  body: AddCartItemRequest,
  success: { status: 200, description: "The updated cart.", schema: Cart },
  problems: ["not_found", "insufficient_stock", "currency_mismatch", "variant_required", CART_DOWN],
});

const set = route({
  tag: "Cart",
  summary: "Set a line's quantity (0 removes it)",
  description: "A cart holds one currency, as for adding.",
  access: "user",
  params: SkuParams,
  body: SetCartItemRequest,
  success: { status: 200, description: "The updated cart.", schema: Cart },
  problems: ["not_found", "insufficient_stock", "currency_mismatch", "variant_required", CART_DOWN],
});

const remove = route({
  tag: "Cart",
  summary: "Remove a line",
  access: "user",
  params: SkuParams,
  success: { status: 200, description: "The updated cart.", schema: Cart },
  problems: ["not_found", CART_DOWN],
});

const clear = route({
  tag: "Cart",
  summary: "Empty the cart",
  access: "user",
  success: { status: 204, description: "The cart is empty." },
  problems: [CART_DOWN],
});

export function cartRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .get("/", get.guard, async (c) => {
      return c.json(cartJson(await useCases.getCart(principalOf(c).user.id)), 200);
    })
    .delete("/", clear.guard, async (c) => {
      await useCases.clearCart(principalOf(c).user.id);
      return c.body(null, 204);
    })
    .post("/items", add.guard, async (c) => {
      const body = await add.body(c);
      return c.json(cartJson(await useCases.addToCart(principalOf(c).user.id, body)), 200);
    })
    .put("/items/:sku", set.guard, async (c) => {
      const { sku } = set.params(c);
      const { qty } = await set.body(c);
      const cart = await useCases.setCartItem(principalOf(c).user.id, { sku, qty });
      return c.json(cartJson(cart), 200);
    })
    .delete("/items/:sku", remove.guard, async (c) => {
      const { sku } = remove.params(c);
      return c.json(cartJson(await useCases.removeCartItem(principalOf(c).user.id, sku)), 200);
    });
}

/**
 * The caller's cart: the signed-in user's, or a guest cart named by `X-Cart-Token` (made by
 * the first `POST /cart/items` sent without either). Every answer carries the cart's `ETag`;
 * writes honour `If-Match`.
 */
import { type Context, Hono } from "hono";
import type { CartView } from "../../application/cart/cart.ts";
import type { UseCases } from "../../application/use_cases.ts";
import { PreconditionFailed } from "../../domain/errors.ts";
import { cartOf, requiredCart } from "./_cart_owner.ts";
import { etagOf, ifMatchOf } from "./_etag.ts";
import { type AppEnv, route } from "./_route.ts";
import { cartJson } from "./_views.ts";
import {
  AddCartItemRequest,
  Cart,
  CART_ETAG,
  CartReadHeaders,
  CartWriteHeaders,
  SetCartItemRequest,
} from "./schemas/cart.ts";
import { SkuParams } from "./schemas/catalog.ts";

const CART_DOWN = "dependency_unavailable" as const;
const WHO = "unauthenticated" as const;
const ACCESS = " Signed in (`Authorization`), the user's cart; otherwise the guest cart of " +
  "`X-Cart-Token` (404 `cart_not_found` when it names none); with neither, 401.";
const CONDITIONAL = " With `If-Match`, applied only if the cart is still at that version, " +
  "else 412 `precondition_failed` whose `cart` member (and `ETag` header) is the current cart.";
const ETAG = { ETag: CART_ETAG };

const get = route({
  tag: "Cart",
  summary: "The caller's cart with current prices and availability",
  description: ACCESS.trim(),
  access: "public",
  headers: CartReadHeaders,
  success: { status: 200, description: "The cart.", schema: Cart, headers: ETAG },
  problems: [WHO, "cart_not_found", CART_DOWN],
});

const add = route({
  tag: "Cart",
  summary: "Add units of a SKU (without a session or a cart token: start a guest cart)",
  description: "A cart holds one currency: a SKU priced in another currency than the cart's " +
    "lines is 409 `currency_mismatch`. Sent with neither `Authorization` nor `X-Cart-Token`, " +
    "this creates a guest cart and answers its token in `X-Cart-Token` (keep it: it names the " +
    "cart from now on; it expires 7 days after the cart's last change; signing in with it " +
    "merges the cart into the account's)." + ACCESS + CONDITIONAL,
  access: "public",
  headers: CartWriteHeaders,
  body: AddCartItemRequest,
  success: {
    status: 200,
    description: "The updated cart.",
    schema: Cart,
    headers: {
      ...ETAG,
      "X-Cart-Token": "Only when this request created a guest cart: the token naming it.",
    },
  },
  problems: [
    WHO,
    "cart_not_found",
    "precondition_failed",
    "not_found",
    "insufficient_stock",
    "currency_mismatch",
    "variant_required",
    CART_DOWN,
  ],
});

const set = route({
  tag: "Cart",
  summary: "Set a line's quantity (0 removes it)",
  description: "A cart holds one currency, as for adding." + ACCESS + CONDITIONAL,
  access: "public",
  params: SkuParams,
  headers: CartWriteHeaders,
  body: SetCartItemRequest,
  success: { status: 200, description: "The updated cart.", schema: Cart, headers: ETAG },
  problems: [
    WHO,
    "cart_not_found",
    "precondition_failed",
    "not_found",
    "insufficient_stock",
    "currency_mismatch",
    "variant_required",
    CART_DOWN,
  ],
});

const remove = route({
  tag: "Cart",
  summary: "Remove a line",
  description: (ACCESS + CONDITIONAL).trim(),
  access: "public",
  params: SkuParams,
  headers: CartWriteHeaders,
  success: { status: 200, description: "The updated cart.", schema: Cart, headers: ETAG },
  problems: [WHO, "cart_not_found", "precondition_failed", "not_found", CART_DOWN],
});

const clear = route({
  tag: "Cart",
  summary: "Empty the cart",
  description: "A guest cart stays, empty: its token keeps working." + ACCESS + CONDITIONAL,
  access: "public",
  headers: CartWriteHeaders,
  success: { status: 204, description: "The cart is empty.", headers: ETAG },
  problems: [WHO, "cart_not_found", "precondition_failed", CART_DOWN],
});

function answer(c: Context<AppEnv>, cart: CartView) {
  c.header("ETag", etagOf(cart.version));
  return c.json(cartJson(cart), 200);
}

/** A stale `If-Match` answers the current cart in its HTTP shape. */
async function write(run: () => Promise<CartView>): Promise<CartView> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof PreconditionFailed && error.resource === "cart") {
      throw new PreconditionFailed("cart", error.version, cartJson(error.current as CartView));
    }
    throw error;
  }
}

export function cartRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .get("/", get.guard, async (c) => {
      return answer(c, await useCases.getCart(await requiredCart(c, useCases)));
    })
    .delete("/", clear.guard, async (c) => {
      const when = ifMatchOf(c.req.header("if-match"));
      const ref = await requiredCart(c, useCases);
      const cart = await write(() => useCases.clearCart(ref, when));
      c.header("ETag", etagOf(cart.version));
      return c.body(null, 204);
    })
    .post("/items", add.guard, async (c) => {
      const when = ifMatchOf(c.req.header("if-match"));
      const body = await add.body(c);
      const ref = await cartOf(c, useCases);
      if (ref === null) {
        // A new guest cart: If-Match has no cart to match yet and is ignored.
        const { token, cart } = await useCases.createGuestCart(body);
        c.header("X-Cart-Token", token);
        return answer(c, cart);
      }
      return answer(c, await write(() => useCases.addToCart(ref, body, when)));
    })
    .put("/items/:sku", set.guard, async (c) => {
      const when = ifMatchOf(c.req.header("if-match"));
      const { sku } = set.params(c);
      const { qty } = await set.body(c);
      const ref = await requiredCart(c, useCases);
      return answer(c, await write(() => useCases.setCartItem(ref, { sku, qty }, when)));
    })
    .delete("/items/:sku", remove.guard, async (c) => {
      const when = ifMatchOf(c.req.header("if-match"));
      const { sku } = remove.params(c);
      const ref = await requiredCart(c, useCases);
      return answer(c, await write(() => useCases.removeCartItem(ref, sku, when)));
    });
}

/** Which cart a request names: the signed-in user's, or the guest cart of `X-Cart-Token`. */
import type { Context } from "hono";
import type { CartRef } from "../../application/cart/cart.ts";
import type { UseCases } from "../../application/use_cases.ts";
import { CartNotFound, Unauthenticated } from "../../domain/errors.ts";
import type { AppEnv } from "./_route.ts";

/** Longer than any token we issue: refused without hashing it. */
const MAX_TOKEN_LENGTH = 512;

/**
 * The cart a request names, or null without a session or a cart token. A bearer token that
 * does not authenticate is 401 even with a cart token: it must not silently fall back to a
 * guest cart.
 */
export async function cartOf(c: Context<AppEnv>, useCases: UseCases): Promise<CartRef | null> {
  const identity = c.get("identity");
  if (identity) return identity.user.id;
  if (c.get("credentialsSent")) {
    throw new Unauthenticated("the bearer token is invalid, expired or revoked");
  }
  const token = c.req.header("x-cart-token");
  if (token === undefined) return null;
  if (token === "" || token.length > MAX_TOKEN_LENGTH) throw new CartNotFound();
  return await useCases.guestCartOwner(token);
}

export async function requiredCart(c: Context<AppEnv>, useCases: UseCases): Promise<CartRef> {
  const ref = await cartOf(c, useCases);
  if (ref === null) {
    throw new Unauthenticated(
      "this route needs an Authorization: Bearer <token> header or a guest cart's X-Cart-Token",
    );
  }
  return ref;
}

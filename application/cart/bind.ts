/** The cart use cases (signed-in and guest carts), bound to their ports. */
import type { WriteCondition } from "../../ports/cart/carts.ts";
import type { Ports, Shared } from "../use_case_ports.ts";
import * as cart from "./cart.ts";
import * as guestCarts from "./guest_cart.ts";

/** What the cart use cases read and write; the checkout quote reads it too. */
export function cartDepsOf(p: Ports, { shopperInventory }: Shared) {
  return {
    carts: p.carts,
    inventory: shopperInventory,
    catalog: p.catalog,
    clock: p.clock,
  };
}

export function bindCart(p: Ports, shared: Shared) {
  const cartDeps = cartDepsOf(p, shared);
  return {
    /** A cart by owner (`guestCartOwner(token)` for a guest) or by user id. */
    getCart: (ref: cart.CartRef) => cart.getCart(cartDeps, ref),
    addToCart: (ref: cart.CartRef, input: { sku: string; qty: number }, when?: WriteCondition) =>
      cart.addToCart(cartDeps, ref, input, when),
    setCartItem: (ref: cart.CartRef, input: { sku: string; qty: number }, when?: WriteCondition) =>
      cart.setCartItem(cartDeps, ref, input, when),
    removeCartItem: (ref: cart.CartRef, sku: string, when?: WriteCondition) =>
      cart.removeCartItem(cartDeps, ref, sku, when),
    clearCart: (ref: cart.CartRef, when?: WriteCondition) => cart.clearCart(cartDeps, ref, when),
    guestCartOwner: (token: string) => guestCarts.guestOwner(token),
    createGuestCart: (input: { sku: string; qty: number }) =>
      guestCarts.createGuestCart({ ...cartDeps, ids: p.ids }, input),
    mergeGuestCart: (userId: string, token: string) =>
      guestCarts.mergeGuestCart(cartDeps, userId, token),
  };
}

import { cartToLines } from "../../domain/cart/cart.ts";
import {
  AlreadyExists,
  EmptyOrder,
  InsufficientStock,
  TooManyPendingOrders,
} from "../../domain/errors.ts";
import type { Catalog } from "../../ports/catalog/catalog.ts";
import { assertNoneSoldInVariants } from "../catalog/variant_required.ts";
import type { StockLine } from "../../domain/inventory/stock.ts";
import { mergeLines } from "../../domain/inventory/stock.ts";
import type { Order } from "../../domain/ordering/order.ts";
import type { CartStore } from "../../ports/cart/carts.ts";
import type { Clock } from "../../ports/clock.ts";
import type { IdGenerator } from "../../ports/ids.ts";
import type { OrderStore } from "../../ports/ordering/orders.ts";
import type { IdempotentRun } from "../idempotency.ts";
import { type DeliveryDeps, type DeliveryInput, resolveDelivery } from "../checkout/delivery.ts";

export interface PlaceOrderDeps extends DeliveryDeps {
  readonly orders: OrderStore;
  readonly carts: CartStore;
  /** Read only when lines are refused, to tell a product sold in variants (when given). */
  readonly catalog?: Pick<Catalog, "getMany">;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly orderTtlMs: number;
  /** Placing is refused with `TooManyPendingOrders` once the user holds this many. */
  readonly maxPendingOrdersPerUser: number;
}

/**
 * Reserves stock for every line and creates a pending order that expires after the TTL.
 * Lines come from the request, or from the cart when the request names none (paying such an
 * order later takes exactly its quantities out of the cart). All lines reserve or none do,
 * in one currency, and only while the user holds fewer pending orders than the cap.
 *
 * With `delivery` (the HTTP API always sends it) the order snapshots its addresses and
 * shipping option and carries shipping and tax. The terms (addresses, option serving the
 * country, tax rate) are resolved first, before any stock moves; the money is then decided in
 * one step by the store: it reads the lines' prices under the reservation and computes
 * subtotal, shipping (free-over on that subtotal), per-line tax and total from exactly those
 * prices (`buildOrder`), so the total can never disagree with the lines it charges for. A
 * quote taken earlier is a preview: a price changed in between shows in the order, never a
 * mix of old and new.
 *
 * Under an idempotency key the order is created under the key's resource id; when an earlier
 * attempt with the key died, the order it may have placed is answered instead of a second one.
 */
export async function placeOrder(
  deps: PlaceOrderDeps,
  input: {
    userId: string;
    items?: readonly StockLine[];
    delivery?: DeliveryInput;
    attempt?: IdempotentRun;
  },
): Promise<Order> {
  const id = input.attempt?.resourceId ?? deps.ids.id();
  if (input.attempt?.recovered) {
    const earlier = await ownOrder(deps, input.userId, id);
    if (earlier) return earlier;
  }
  const terms = input.delivery && await resolveDelivery(deps, input.userId, input.delivery);
  const requested = input.items ?? cartToLines(await deps.carts.get(input.userId));
  const lines = mergeLines(requested.filter((l) => l.qty > 0));
  if (lines.length === 0) throw new EmptyOrder();
  const now = deps.clock.now();
  try {
    return await deps.orders.place({
      id,
      userId: input.userId,
      lines,
      createdAt: now,
      expiresAt: new Date(now.getTime() + deps.orderTtlMs),
      source: input.items ? "items" : "cart",
      maxPendingPerUser: deps.maxPendingOrdersPerUser,
      terms,
    });
  } catch (error) {
    // The earlier attempt was slow, not dead, and has just placed the order (which may now
    // also be the one that fills the user's pending cap).
    const earlier = input.attempt &&
      (error instanceof AlreadyExists || error instanceof TooManyPendingOrders) &&
      await ownOrder(deps, input.userId, id);
    if (earlier) return earlier;
    if (error instanceof InsufficientStock && deps.catalog) {
      await assertNoneSoldInVariants(deps.catalog, error.skus);
    }
    throw error;
  }
}

async function ownOrder(deps: PlaceOrderDeps, userId: string, id: string): Promise<Order | null> {
  const order = await deps.orders.get(id);
  return order?.userId === userId ? order : null;
}

import { cartToLines } from "../domain/cart/cart.ts";
import { EmptyOrder } from "../domain/errors.ts";
import type { StockLine } from "../domain/inventory/stock.ts";
import { mergeLines } from "../domain/inventory/stock.ts";
import type { Order } from "../domain/ordering/order.ts";
import type { CartStore } from "../ports/carts.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/ids.ts";
import type { OrderStore } from "../ports/orders.ts";

export interface PlaceOrderDeps {
  readonly orders: OrderStore;
  readonly carts: CartStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly orderTtlMs: number;
}

/**
 * Reserves stock for every line and creates a pending order that expires after the TTL.
 * Lines come from the request, or from the cart when the request names none (the cart is
 * emptied only once the order is paid). All lines reserve or none do.
 */
export async function placeOrder(
  deps: PlaceOrderDeps,
  input: { userId: string; items?: readonly StockLine[] },
): Promise<Order> {
  const requested = input.items ?? cartToLines(await deps.carts.get(input.userId));
  const lines = mergeLines(requested.filter((l) => l.qty > 0));
  if (lines.length === 0) throw new EmptyOrder();
  const now = deps.clock.now();
  return deps.orders.place({
    id: deps.ids.id(),
    userId: input.userId,
    lines,
    createdAt: now,
    expiresAt: new Date(now.getTime() + deps.orderTtlMs),
  });
}

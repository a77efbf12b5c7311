/** Reads of the in-memory order store: a page of orders (newest first) and verified purchases. */
import type { Order } from "../../domain/ordering/order.ts";
import { type Page, pageOf } from "../../domain/pagination.ts";
import type { OrderListQuery } from "../../ports/ordering/orders.ts";
import { copyOrder } from "./order_copies.ts";

/** Order statuses that count as a purchase (a review's verified purchase). */
const PURCHASED: ReadonlySet<string> = new Set(["confirmed", "shipped", "delivered"]);

export function listOrders(orders: Iterable<Order>, query: OrderListQuery): Page<Order> {
  const all = [...orders]
    .filter((o) => query.userId === undefined || o.userId === query.userId)
    .filter((o) => query.status === undefined || o.status === query.status)
    .sort(newestFirst);
  const page = pageOf(all, query);
  return { ...page, items: page.items.map(copyOrder) };
}

export function hasPurchased(
  orders: Iterable<Order>,
  userId: string,
  skus: readonly string[],
): boolean {
  const wanted = new Set(skus);
  return [...orders].some((o) =>
    o.userId === userId && PURCHASED.has(o.status) && o.items.some((i) => wanted.has(i.sku))
  );
}

function newestFirst(a: Order, b: Order): number {
  const byTime = b.createdAt.getTime() - a.createdAt.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

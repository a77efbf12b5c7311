/**
 * Lifecycle transitions of the order store: cancellation (stock released), shipping and
 * delivery, refunds (stock restocked, payments refunded) and the expiry sweep.
 */
import { type Order, transition } from "../../domain/ordering/order.ts";
import { type RetryOptions, transaction } from "./_db.ts";
import { copyOrder, requireOrder, updateOrders } from "./_order_writes.ts";
import { orderColumns, toOrder } from "./_rows.ts";
import { moveStock } from "./_stock_moves.ts";
import type { Sql } from "./connect.ts";

export function cancelOrder(sql: Sql, retry: RetryOptions, id: string, at: Date): Promise<Order> {
  return transaction(sql, async (tx) => {
    const order = await requireOrder(tx, id);
    const cancelled = transition(order, "cancelled", at);
    await moveStock(tx, [order], "release", at);
    await updateOrders(tx, [cancelled]);
    return copyOrder(cancelled);
  }, retry);
}

export function advanceOrder(
  sql: Sql,
  retry: RetryOptions,
  id: string,
  to: "shipped" | "delivered",
  at: Date,
): Promise<Order> {
  return transaction(sql, async (tx) => {
    const next = transition(await requireOrder(tx, id), to, at);
    await updateOrders(tx, [next]);
    return copyOrder(next);
  }, retry);
}

export function refundOrder(sql: Sql, retry: RetryOptions, id: string, at: Date): Promise<Order> {
  return transaction(sql, async (tx) => {
    const order = await requireOrder(tx, id);
    const refunded = transition(order, "refunded", at);
    await moveStock(tx, [order], "restock", at);
    await Promise.all([
      updateOrders(tx, [refunded]),
      tx`UPDATE payments SET status = 'refunded'
           WHERE order_id = ${id} AND status = 'succeeded'`,
    ]);
    return copyOrder(refunded);
  }, retry);
}

export async function expireDue(
  sql: Sql,
  retry: RetryOptions,
  now: Date,
  limit: number,
): Promise<Order[]> {
  if (limit <= 0) return [];
  return await transaction(sql, async (tx) => {
    const rows = await tx`
        SELECT ${orderColumns(tx)} FROM orders o
        WHERE o.status = 'pending' AND o.expires_at <= ${now}
        ORDER BY o.expires_at, o.id
        LIMIT ${limit}
        FOR UPDATE OF o SKIP LOCKED`;
    const due = rows.map(toOrder);
    if (due.length === 0) return [];
    const cancelled = due.map((o) => transition(o, "cancelled", now));
    await moveStock(tx, due, "release", now);
    await updateOrders(tx, cancelled);
    return cancelled.map(copyOrder);
  }, retry);
}

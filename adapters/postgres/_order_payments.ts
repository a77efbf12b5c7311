/**
 * Payments of the order store: a confirmation (replayed by provider reference, stock deducted,
 * order confirmed), failed attempts recorded, and an order's payments listed.
 */
import { NotFound, OrderNotPending } from "../../domain/errors.ts";
import { confirmWith, isExpired } from "../../domain/ordering/order.ts";
import type { Payment } from "../../domain/payments/payment.ts";
import type { ConfirmResult } from "../../ports/ordering/orders.ts";
import {
  type Db,
  isForeignKeyViolation,
  isUniqueViolation,
  type RetryOptions,
  transaction,
  type Tx,
} from "./_db.ts";
import { copyOrder, findOrder, updateOrders } from "./_order_writes.ts";
import { paymentColumns, toPayment } from "./_rows.ts";
import { moveStock } from "./_stock_moves.ts";
import type { Sql } from "./connect.ts";

export async function confirmPayment(
  sql: Sql,
  retry: RetryOptions,
  payment: Payment,
): Promise<ConfirmResult> {
  // A concurrent confirmation with the same providerRef for another order may win the
  // UNIQUE race after our replay check; one more attempt then finds and replays it.
  for (let attempt = 1;; attempt++) {
    try {
      return await transaction(sql, (tx) => confirm(tx, payment), retry);
    } catch (error) {
      if (attempt < 3 && isUniqueViolation(error, "payments_provider_ref_key")) continue;
      throw error;
    }
  }
}

async function confirm(tx: Tx, payment: Payment): Promise<ConfirmResult> {
  const order = await findOrder(tx, payment.orderId, true);
  if (!order) throw new NotFound("order", payment.orderId);
  // Read after the order lock: a concurrent confirmation of this order has committed by now.
  const [stored] = await tx`
      SELECT ${paymentColumns(tx)} FROM payments p WHERE p.provider_ref = ${payment.providerRef}`;
  if (stored) {
    const first = toPayment(stored);
    const of = first.orderId === order.id ? order : await findOrder(tx, first.orderId, false);
    return { kind: "replayed", order: of!, payment: first };
  }
  if (order.status !== "pending") throw new OrderNotPending(order.id, order.status);
  if (isExpired(order, payment.processedAt)) throw new OrderNotPending(order.id, "expired");
  const confirmed = confirmWith(order, payment);
  await moveStock(tx, [order], "deduct", payment.processedAt);
  await Promise.all([insertPayment(tx, payment), updateOrders(tx, [confirmed])]);
  return {
    kind: "confirmed",
    order: copyOrder(confirmed),
    payment: { ...payment, processedAt: new Date(payment.processedAt) },
  };
}

export async function recordFailedPayment(sql: Sql, payment: Payment): Promise<void> {
  try {
    // A new attempt changes what support sees of the order (its payment references).
    await sql`
        WITH recorded AS (
          INSERT INTO payments ${paymentValues(sql, payment)}
          ON CONFLICT (provider_ref) DO NOTHING
          RETURNING order_id, processed_at
        ), bumped AS (
          UPDATE orders o SET version = o.version + 1
          FROM recorded r WHERE o.id = r.order_id
          RETURNING o.id, r.processed_at
        )
        INSERT INTO outbox (source, sku, at) SELECT 'order', id, processed_at FROM bumped`;
  } catch (error) {
    if (isForeignKeyViolation(error, "payments_order_id_fkey")) {
      throw new NotFound("order", payment.orderId);
    }
    throw error;
  }
}

export async function listPayments(sql: Sql, orderId: string): Promise<Payment[]> {
  const rows = await sql`
      SELECT ${paymentColumns(sql)} FROM payments p WHERE p.order_id = ${orderId}
      ORDER BY p.seq`;
  return rows.map(toPayment);
}

function paymentValues(db: Db, p: Payment) {
  return db`
    (id, order_id, user_id, status, amount_cents, currency, provider, provider_ref,
     failure_reason, processed_at)
    VALUES (${p.id}, ${p.orderId}, ${p.userId}, ${p.status}, ${String(p.amountCents)},
            ${p.currency}, ${p.provider}, ${p.providerRef}, ${p.failureReason},
            ${p.processedAt})`;
}

async function insertPayment(tx: Tx, payment: Payment): Promise<void> {
  await tx`INSERT INTO payments ${paymentValues(tx, payment)}`;
}

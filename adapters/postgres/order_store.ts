import type { RevenueQuery, RevenueReport } from "../../domain/analytics/revenue.ts";
import type { Allocation } from "../../domain/inventory/allocation.ts";
import type { NewOrder, Order } from "../../domain/ordering/order.ts";
import type { Page } from "../../domain/pagination.ts";
import type { Payment } from "../../domain/payments/payment.ts";
import type {
  ConfirmResult,
  OrderListQuery,
  OrderStore,
  RevenueReports,
} from "../../ports/ordering/orders.ts";
import { int, pageBounds, type RetryOptions } from "./_db.ts";
import { advanceOrder, cancelOrder, expireDue, refundOrder } from "./_order_lifecycle.ts";
import { confirmPayment, listPayments, recordFailedPayment } from "./_order_payments.ts";
import { placeOrder } from "./_order_place.ts";
import { findOrder } from "./_order_writes.ts";
import { orderColumns, toOrder } from "./_rows.ts";
import { revenueReport } from "./_revenue.ts";
import { readAllocations } from "./_stock_rows.ts";
import type { Sql } from "./connect.ts";

/**
 * Orders, their items and payments. Each operation is one transaction that also moves the
 * stock it affects and writes the outbox rows for it: one `inventory` row per SKU moved, and
 * one `order` row per order placed, changed or paid for (failed attempts included), whose
 * `version` it bumps (the support index's version guard):
 *
 * - Locks are always taken order row first, then inventory rows in SKU order
 *   (`SELECT ... ORDER BY sku FOR UPDATE`), then the SKUs' stock rows in (sku, warehouse)
 *   order, so concurrent checkouts, payments, cancellations, sweeps and admin changes cannot
 *   deadlock each other; serialization failures and deadlocks that happen
 *   anyway are retried a bounded number of times (`RetryOptions`).
 * - The allocation (`allocate`) and new levels (`moveAllocated`) are computed with the domain
 *   functions under those locks (the rules the in-memory fake applies); `order_allocations`
 *   records which rows hold each order's units, and later moves touch exactly those. The
 *   table CHECKs (`0 <= reserved <= stock` per row) back them up.
 * - `expireDue` takes its batch with `FOR UPDATE SKIP LOCKED`, so sweepers never share one.
 */
export class PostgresOrderStore implements OrderStore, RevenueReports {
  constructor(private readonly sql: Sql, private readonly retry: RetryOptions = {}) {}

  place(input: NewOrder): Promise<Order> {
    return placeOrder(this.sql, this.retry, input);
  }

  async get(id: string): Promise<Order | null> {
    return await findOrder(this.sql, id, false);
  }

  async allocations(orderId: string): Promise<Allocation[]> {
    return (await readAllocations(this.sql, [orderId])).get(orderId) ?? [];
  }

  async list(query: OrderListQuery): Promise<Page<Order>> {
    const { limit, offset } = pageBounds(query.page, query.size);
    const where = this.sql`
      WHERE true
      ${query.userId === undefined ? this.sql`` : this.sql`AND o.user_id = ${query.userId}`}
      ${query.status === undefined ? this.sql`` : this.sql`AND o.status = ${query.status}`}`;
    const [rows, [count]] = await Promise.all([
      this.sql`
        SELECT ${orderColumns(this.sql)} FROM orders o ${where}
        ORDER BY o.created_at DESC, o.id DESC LIMIT ${limit} OFFSET ${offset}`,
      this.sql`SELECT count(*) AS total FROM orders o ${where}`,
    ]);
    return {
      items: rows.map(toOrder),
      page: query.page,
      size: query.size,
      total: int.parse(count.total),
    };
  }

  async hasPurchased(userId: string, skus: readonly string[]): Promise<boolean> {
    if (skus.length === 0) return false;
    const [row] = await this.sql`
      SELECT EXISTS (
        SELECT 1 FROM orders o JOIN order_items i ON i.order_id = o.id
        WHERE o.user_id = ${userId}
          AND o.status IN ('confirmed', 'shipped', 'delivered')
          AND i.sku = ANY(${[...skus]}::text[])
      ) AS bought`;
    return row.bought === true;
  }

  confirmPayment(payment: Payment): Promise<ConfirmResult> {
    return confirmPayment(this.sql, this.retry, payment);
  }

  recordFailedPayment(payment: Payment): Promise<void> {
    return recordFailedPayment(this.sql, payment);
  }

  payments(orderId: string): Promise<Payment[]> {
    return listPayments(this.sql, orderId);
  }

  cancel(id: string, at: Date): Promise<Order> {
    return cancelOrder(this.sql, this.retry, id, at);
  }

  advance(id: string, to: "shipped" | "delivered", at: Date): Promise<Order> {
    return advanceOrder(this.sql, this.retry, id, to, at);
  }

  refund(id: string, at: Date): Promise<Order> {
    return refundOrder(this.sql, this.retry, id, at);
  }

  expireDue(now: Date, limit: number): Promise<Order[]> {
    return expireDue(this.sql, this.retry, now, limit);
  }

  revenue(query: RevenueQuery, topN: number): Promise<RevenueReport> {
    return revenueReport(this.sql, query, topN);
  }
}

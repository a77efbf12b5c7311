import type { RevenueQuery, RevenueReport } from "../../domain/analytics/revenue.ts";
import { AlreadyExists, EmptyOrder, NotFound, OrderNotPending } from "../../domain/errors.ts";
import { allocate, type Allocation } from "../../domain/inventory/allocation.ts";
import { mergeLines } from "../../domain/inventory/stock.ts";
import {
  assertPendingCapacity,
  buildOrder,
  confirmWith,
  isExpired,
  type NewOrder,
  type Order,
  transition,
} from "../../domain/ordering/order.ts";
import type { Page } from "../../domain/pagination.ts";
import type { Payment } from "../../domain/payments/payment.ts";
import type {
  ConfirmResult,
  OrderListQuery,
  OrderStore,
  RevenueReports,
} from "../../ports/ordering/orders.ts";
import {
  type Db,
  int,
  isForeignKeyViolation,
  isUniqueViolation,
  pageBounds,
  type RetryOptions,
  transaction,
  type Tx,
} from "./_db.ts";
import {
  lockInventory,
  orderColumns,
  paymentColumns,
  toOrder,
  toPayment,
  writeInventory,
} from "./_rows.ts";
import type { Sql } from "./connect.ts";
import { revenueReport } from "./_revenue.ts";
import {
  insertAllocations,
  lockLevels,
  readAllocations,
  readWarehouses,
  writeLevels,
} from "./_stock_rows.ts";
import { applyMove, moveStock } from "./_stock_moves.ts";

/**
 * Orders, their items and payments. Each operation is one transaction that also moves the
 * stock it affects and writes the outbox rows for it:
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

  async place(input: NewOrder): Promise<Order> {
    const lines = mergeLines(input.lines);
    if (lines.length === 0) throw new EmptyOrder();
    for (const { sku, qty } of lines) {
      if (!Number.isSafeInteger(qty) || qty <= 0) {
        throw new RangeError(`quantity for ${sku} must be a positive integer, got ${qty}`);
      }
    }
    try {
      return await transaction(this.sql, async (tx) => {
        // One round trip: the user's row, then the inventory rows, then their stock rows (the
        // one lock order), and the warehouses (read, not locked).
        const skus = lines.map((l) => l.sku);
        const [pending, items, levels, warehouses] = await Promise.all([
          pendingOf(tx, input),
          lockInventory(tx, skus, { totals: false }),
          lockLevels(tx, skus),
          readWarehouses(tx),
        ]);
        assertPendingCapacity(pending, input.maxPendingPerUser); // TooManyPendingOrders
        // InsufficientStock:
        const allocations = allocate(lines, items, levels.values(), warehouses, input.createdAt);
        const order = buildOrder({ ...input, lines }, items);
        const { touched, moved } = applyMove(
          items,
          levels,
          warehouses,
          allocations,
          "reserve",
          input.createdAt,
        );
        // Pipelined on the transaction's connection, in this order: one round trip.
        await Promise.all([
          writeInventory(tx, touched),
          writeLevels(tx, moved),
          insertOrder(tx, order),
          insertAllocations(tx, order.id, allocations),
        ]);
        return copyOrder(order);
      }, this.retry);
    } catch (error) {
      if (isUniqueViolation(error, "orders_pkey")) throw new AlreadyExists("order", "id", input.id);
      if (isForeignKeyViolation(error, "orders_user_id_fkey")) {
        throw new NotFound("user", input.userId);
      }
      throw error;
    }
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

  async confirmPayment(payment: Payment): Promise<ConfirmResult> {
    // A concurrent confirmation with the same providerRef for another order may win the
    // UNIQUE race after our replay check; one more attempt then finds and replays it.
    for (let attempt = 1;; attempt++) {
      try {
        return await transaction(this.sql, (tx) => this.#confirm(tx, payment), this.retry);
      } catch (error) {
        if (attempt < 3 && isUniqueViolation(error, "payments_provider_ref_key")) continue;
        throw error;
      }
    }
  }

  async #confirm(tx: Tx, payment: Payment): Promise<ConfirmResult> {
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

  async recordFailedPayment(payment: Payment): Promise<void> {
    try {
      await this.sql`
        INSERT INTO payments ${paymentValues(this.sql, payment)}
        ON CONFLICT (provider_ref) DO NOTHING`;
    } catch (error) {
      if (isForeignKeyViolation(error, "payments_order_id_fkey")) {
        throw new NotFound("order", payment.orderId);
      }
      throw error;
    }
  }

  async payments(orderId: string): Promise<Payment[]> {
    const rows = await this.sql`
      SELECT ${paymentColumns(this.sql)} FROM payments p WHERE p.order_id = ${orderId}
      ORDER BY p.seq`;
    return rows.map(toPayment);
  }

  cancel(id: string, at: Date): Promise<Order> {
    return transaction(this.sql, async (tx) => {
      const order = await requireOrder(tx, id);
      const cancelled = transition(order, "cancelled", at);
      await moveStock(tx, [order], "release", at);
      await updateOrders(tx, [cancelled]);
      return copyOrder(cancelled);
    }, this.retry);
  }

  advance(id: string, to: "shipped" | "delivered", at: Date): Promise<Order> {
    return transaction(this.sql, async (tx) => {
      const next = transition(await requireOrder(tx, id), to, at);
      await updateOrders(tx, [next]);
      return copyOrder(next);
    }, this.retry);
  }

  refund(id: string, at: Date): Promise<Order> {
    return transaction(this.sql, async (tx) => {
      const order = await requireOrder(tx, id);
      const refunded = transition(order, "refunded", at);
      await moveStock(tx, [order], "restock", at);
      await Promise.all([
        updateOrders(tx, [refunded]),
        tx`UPDATE payments SET status = 'refunded'
           WHERE order_id = ${id} AND status = 'succeeded'`,
      ]);
      return copyOrder(refunded);
    }, this.retry);
  }

  async expireDue(now: Date, limit: number): Promise<Order[]> {
    if (limit <= 0) return [];
    return await transaction(this.sql, async (tx) => {
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
    }, this.retry);
  }

  revenue(query: RevenueQuery, topN: number): Promise<RevenueReport> {
    return revenueReport(this.sql, query, topN);
  }
}

/**
 * The user's live pending orders, counted up to the cap (the cost stays bounded), after locking
 * the user's row. Two statements, pipelined: under READ COMMITTED a statement sees what
 * committed before it started, so the count must start after the lock is granted, when every
 * earlier place by this user has committed. `FOR NO KEY UPDATE` leaves foreign-key checks of
 * other writes (sessions) unblocked. An unknown user counts 0; the insert's foreign key
 * reports it.
 */
async function pendingOf(tx: Tx, input: NewOrder): Promise<number> {
  const [, [row]] = await Promise.all([
    tx`SELECT id FROM users WHERE id = ${input.userId} FOR NO KEY UPDATE`,
    tx`SELECT count(*) AS pending FROM (
         SELECT 1 FROM orders o
         WHERE o.user_id = ${input.userId} AND o.status = 'pending'
           AND o.expires_at > ${input.createdAt}
         LIMIT ${input.maxPendingPerUser}) AS held`,
  ]);
  return int.parse(row.pending);
}

async function findOrder(db: Db, id: string, lock: boolean): Promise<Order | null> {
  const [row] = await db`
    SELECT ${orderColumns(db)} FROM orders o WHERE o.id = ${id}
    ${lock ? db`FOR UPDATE OF o` : db``}`;
  return row ? toOrder(row) : null;
}

async function requireOrder(tx: Tx, id: string): Promise<Order> {
  const order = await findOrder(tx, id, true);
  if (!order) throw new NotFound("order", id);
  return order;
}

async function insertOrder(tx: Tx, order: Order): Promise<void> {
  const items = order.items;
  // Snapshots travel as text cast to jsonb (a jsonb parameter would be JSON-encoded again).
  const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
  await tx`
    WITH created AS (
      INSERT INTO orders
        (id, user_id, status, total_cents, currency, created_at, expires_at, paid_at, updated_at,
         source, subtotal_cents, shipping_cents, tax_cents, prices_include_tax, shipping_address,
         billing_address, shipping)
      VALUES (${order.id}, ${order.userId}, ${order.status}, ${String(order.totalCents)},
              ${order.currency}, ${order.createdAt}, ${order.expiresAt}, ${order.paidAt},
              ${order.updatedAt}, ${order.source}, ${String(order.subtotalCents)},
              ${String(order.shippingCents)}, ${String(order.taxCents)},
              ${order.pricesIncludeTax}, ${json(order.shippingAddress)}::text::jsonb,
              ${json(order.billingAddress)}::text::jsonb, ${json(order.shipping)}::text::jsonb)
      RETURNING id
    )
    INSERT INTO order_items
      (order_id, sku, product_name, qty, unit_price_cents, line_total_cents, product_sku,
       variant_label, tax_cents)
    SELECT created.id, v.sku, v.product_name, v.qty, v.unit_price_cents, v.line_total_cents,
           v.product_sku, nullif(v.variant_label, ''), v.tax_cents
    FROM created, unnest(
      ${items.map((i) => i.sku)}::text[],
      ${items.map((i) => i.productName)}::text[],
      ${items.map((i) => i.qty)}::int[],
      ${items.map((i) => String(i.unitPriceCents))}::bigint[],
      ${items.map((i) => String(i.lineTotalCents))}::bigint[],
      ${items.map((i) => i.productSku)}::text[],
      ${items.map((i) => i.variantLabel ?? "")}::text[],
      ${items.map((i) => String(i.taxCents))}::bigint[]
    ) AS v(sku, product_name, qty, unit_price_cents, line_total_cents, product_sku,
           variant_label, tax_cents)`;
}

async function updateOrders(tx: Tx, orders: readonly Order[]): Promise<void> {
  await tx`
    UPDATE orders AS o SET status = v.status, paid_at = v.paid_at, updated_at = v.updated_at
    FROM unnest(
      ${orders.map((o) => o.id)}::text[],
      ${orders.map((o) => o.status)}::text[],
      ${orders.map((o) => o.paidAt?.toISOString() ?? null)}::timestamptz[],
      ${orders.map((o) => o.updatedAt.toISOString())}::timestamptz[]
    ) AS v(id, status, paid_at, updated_at)
    WHERE o.id = v.id`;
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

function copyOrder(order: Order): Order {
  return {
    ...order,
    items: order.items.map((i) => ({ ...i })),
    shippingAddress: order.shippingAddress && { ...order.shippingAddress },
    billingAddress: order.billingAddress && { ...order.billingAddress },
    shipping: order.shipping && { ...order.shipping },
    createdAt: new Date(order.createdAt),
    expiresAt: new Date(order.expiresAt),
    paidAt: order.paidAt ? new Date(order.paidAt) : null,
    updatedAt: new Date(order.updatedAt),
    payment: order.payment
      ? { ...order.payment, processedAt: new Date(order.payment.processedAt) }
      : null,
  };
}

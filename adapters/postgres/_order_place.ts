/**
 * `PostgresOrderStore.place`: the pending cap, the allocation and reservation of stock, the
 * order with its items and allocations, and its outbox row, in one transaction (the statements
 * bench/checkout_capture.ts captures).
 */
import { AlreadyExists, EmptyOrder, NotFound } from "../../domain/errors.ts";
import { allocate } from "../../domain/inventory/allocation.ts";
import { mergeLines } from "../../domain/inventory/stock.ts";
import {
  assertPendingCapacity,
  buildOrder,
  type NewOrder,
  type Order,
} from "../../domain/ordering/order.ts";
import {
  int,
  isForeignKeyViolation,
  isUniqueViolation,
  type RetryOptions,
  transaction,
  type Tx,
} from "./_db.ts";
import { copyOrder } from "./_order_writes.ts";
import { inventoryChanges, inventoryOutbox, lockInventory } from "./_rows.ts";
import { applyMove } from "./_stock_moves.ts";
import { allocationsInsert, levelsUpsert, lockLevels, readWarehouses } from "./_stock_rows.ts";
import type { Sql } from "./connect.ts";

export async function placeOrder(sql: Sql, retry: RetryOptions, input: NewOrder): Promise<Order> {
  const lines = mergeLines(input.lines);
  if (lines.length === 0) throw new EmptyOrder();
  for (const { sku, qty } of lines) {
    if (!Number.isSafeInteger(qty) || qty <= 0) {
      throw new RangeError(`quantity for ${sku} must be a positive integer, got ${qty}`);
    }
  }
  try {
    return await transaction(sql, async (tx) => {
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
      // Every write in one statement: each statement costs the driver far more than the
      // server here, and the tables written are distinct, so no CTE needs another's effects.
      await tx`
        WITH ${inventoryChanges(tx, touched)},
          levels_written AS (${levelsUpsert(tx, moved)}),
          ${orderInserts(tx, order)},
          allocations_written AS (${allocationsInsert(tx, order.id, allocations)}),
          order_outbox AS (
            INSERT INTO outbox (source, sku, at) VALUES ('order', ${order.id}, ${order.createdAt}))
        ${inventoryOutbox(tx)}`;
      return copyOrder(order);
    }, retry);
  } catch (error) {
    if (isUniqueViolation(error, "orders_pkey")) throw new AlreadyExists("order", "id", input.id);
    if (isForeignKeyViolation(error, "orders_user_id_fkey")) {
      throw new NotFound("user", input.userId);
    }
    throw error;
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

/** Two CTEs: the order (`order_created`) and its items (`order_items_written`). */
function orderInserts(tx: Tx, order: Order) {
  const items = order.items;
  // Snapshots travel as text cast to jsonb (a jsonb parameter would be JSON-encoded again).
  const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
  return tx`
    order_created AS (
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
    ), order_items_written AS (
      INSERT INTO order_items
        (order_id, sku, product_name, qty, unit_price_cents, line_total_cents, product_sku,
         variant_label, tax_cents)
      SELECT order_created.id, v.sku, v.product_name, v.qty, v.unit_price_cents, v.line_total_cents,
             v.product_sku, nullif(v.variant_label, ''), v.tax_cents
      FROM order_created, unnest(
        ${items.map((i) => i.sku)}::text[],
        ${items.map((i) => i.productName)}::text[],
        ${items.map((i) => i.qty)}::int[],
        ${items.map((i) => String(i.unitPriceCents))}::bigint[],
        ${items.map((i) => String(i.lineTotalCents))}::bigint[],
        ${items.map((i) => i.productSku)}::text[],
        ${items.map((i) => i.variantLabel ?? "")}::text[],
        ${items.map((i) => String(i.taxCents))}::bigint[]
      ) AS v(sku, product_name, qty, unit_price_cents, line_total_cents, product_sku,
             variant_label, tax_cents)
    )`;
}

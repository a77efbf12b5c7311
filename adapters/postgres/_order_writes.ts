/** Order rows of the order store: read (optionally locked), state written back, copies out. */
import { NotFound } from "../../domain/errors.ts";
import type { Order } from "../../domain/ordering/order.ts";
import type { Db, Tx } from "./_db.ts";
import { orderColumns, toOrder } from "./_rows.ts";

export async function findOrder(db: Db, id: string, lock: boolean): Promise<Order | null> {
  const [row] = await db`
    SELECT ${orderColumns(db)} FROM orders o WHERE o.id = ${id}
    ${lock ? db`FOR UPDATE OF o` : db``}`;
  return row ? toOrder(row) : null;
}

export async function requireOrder(tx: Tx, id: string): Promise<Order> {
  const order = await findOrder(tx, id, true);
  if (!order) throw new NotFound("order", id);
  return order;
}

/** Writes the orders' new state, bumps their versions and records them in the outbox. */
export async function updateOrders(tx: Tx, orders: readonly Order[]): Promise<void> {
  await tx`
    WITH changed AS (
      UPDATE orders AS o
      SET status = v.status, paid_at = v.paid_at, updated_at = v.updated_at,
          version = o.version + 1
      FROM unnest(
        ${orders.map((o) => o.id)}::text[],
        ${orders.map((o) => o.status)}::text[],
        ${orders.map((o) => o.paidAt?.toISOString() ?? null)}::timestamptz[],
        ${orders.map((o) => o.updatedAt.toISOString())}::timestamptz[]
      ) AS v(id, status, paid_at, updated_at)
      WHERE o.id = v.id
      RETURNING o.id, o.updated_at
    )
    INSERT INTO outbox (source, sku, at) SELECT 'order', id, updated_at FROM changed`;
}

export function copyOrder(order: Order): Order {
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

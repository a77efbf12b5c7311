import {
  DomainError,
  NotFound,
  PaymentGatewayUnavailable,
  UnsupportedProvider,
} from "../../domain/errors.ts";
import type { Order, OrderItem, OrderStatus } from "../../domain/ordering/order.ts";
import type { Page, PageRequest } from "../../domain/pagination.ts";
import { dayKey } from "../../domain/analytics/revenue.ts";
import { loyaltyPoints } from "../../domain/money.ts";
import type { Catalog } from "../../ports/catalog/catalog.ts";
import type { Leaderboards } from "../../ports/analytics/leaderboards.ts";
import type { Clock } from "../../ports/clock.ts";
import type { Logger } from "../../ports/logger.ts";
import type { OrderStore } from "../../ports/ordering/orders.ts";
import type { PaymentGateway } from "../../ports/payments/payment_gateway.ts";
import { bestEffort } from "../_best_effort.ts";

export interface OrderReadDeps {
  readonly orders: OrderStore;
  readonly catalog: Catalog;
  readonly logger: Logger;
}

export const PRODUCT_UNAVAILABLE = "Product unavailable";

export interface OrderItemDetail extends OrderItem {
  readonly product: {
    readonly name: string;
    readonly slug: string | null;
    readonly image: string | null;
  };
}

export interface OrderDetail extends Omit<Order, "items"> {
  readonly items: readonly OrderItemDetail[];
}

/** Another user's order is reported as missing, never as forbidden. */
async function ownOrder(orders: OrderStore, userId: string, orderId: string): Promise<Order> {
  const order = await orders.get(orderId);
  if (!order || order.userId !== userId) throw new NotFound("order", orderId);
  return order;
}

/** The order with catalog images joined in; a product gone from the catalog (or a catalog that is down) shows as unavailable. */
export async function getOrderDetail(
  deps: OrderReadDeps,
  input: { userId: string; orderId: string },
): Promise<OrderDetail> {
  const order = await ownOrder(deps.orders, input.userId, input.orderId);
  let products = new Map<string, { name: string; slug: string; images: readonly string[] }>();
  try {
    const found = await deps.catalog.getMany(order.items.map((i) => i.sku));
    products = new Map(found.map((p) => [p.sku, p]));
  } catch (error) {
    deps.logger.warn("catalog unavailable for order detail", { error: String(error) });
  }
  return {
    ...order,
    items: order.items.map((item) => {
      const p = products.get(item.sku);
      return {
        ...item,
        product: p
          ? { name: p.name, slug: p.slug, image: p.images[0] ?? null }
          : { name: PRODUCT_UNAVAILABLE, slug: null, image: null },
      };
    }),
  };
}

export function listOrders(
  deps: Pick<OrderReadDeps, "orders">,
  input: PageRequest & { userId?: string; status?: OrderStatus },
): Promise<Page<Order>> {
  return deps.orders.list(input);
}

export async function cancelOrder(
  deps: { orders: OrderStore; clock: Clock },
  input: { userId: string; orderId: string },
): Promise<Order> {
  await ownOrder(deps.orders, input.userId, input.orderId);
  return deps.orders.cancel(input.orderId, deps.clock.now());
}

export function advanceOrder(
  deps: { orders: OrderStore; clock: Clock },
  input: { orderId: string; to: "shipped" | "delivered" },
): Promise<Order> {
  return deps.orders.advance(input.orderId, input.to, deps.clock.now());
}

export interface RefundDeps {
  readonly orders: OrderStore;
  readonly gateways: ReadonlyMap<string, PaymentGateway>;
  readonly leaderboards: Leaderboards;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Returns the money through the provider that took it, then restocks and marks the order
 * refunded. The provider refund is idempotent per charge, so a retry after a failure is safe.
 * Once this call has moved the order to refunded (a repeat fails with `InvalidTransition`, so
 * nothing is taken back twice), its loyalty points and its units on the best-seller board of
 * the day it was paid are taken back, best effort, as paying added them.
 *
 * `recovered`: an earlier attempt under the same idempotency key died before answering; if it
 * got as far as refunding, its refunded order is the answer.
 */
export async function refundOrder(
  deps: RefundDeps,
  input: { orderId: string; recovered?: boolean },
): Promise<Order> {
  const order = await deps.orders.get(input.orderId);
  if (!order) throw new NotFound("order", input.orderId);
  if (input.recovered && order.status === "refunded") return order;
  if (order.status === "confirmed" || order.status === "shipped" || order.status === "delivered") {
    const paid = (await deps.orders.payments(order.id)).find((p) => p.status === "succeeded");
    if (paid) {
      // Never mark an order refunded without returning the money.
      const gateway = deps.gateways.get(paid.provider);
      if (!gateway) throw new UnsupportedProvider(paid.provider);
      try {
        await gateway.refund(paid.providerRef, paid.amountCents);
      } catch (error) {
        if (error instanceof DomainError) throw error;
        // The provider refused or failed: nothing changed here, and the admin may retry.
        throw new PaymentGatewayUnavailable(paid.provider, error);
      }
    }
  }
  const refunded = await deps.orders.refund(input.orderId, deps.clock.now());
  await takeBackFigures(deps, refunded);
  return refunded;
}

async function takeBackFigures(deps: RefundDeps, order: Order): Promise<void> {
  if (!order.paidAt) return;
  const day = dayKey(order.paidAt);
  await Promise.all([
    bestEffort(
      deps.logger,
      `take back best-seller units of refunded order ${order.id}`,
      () =>
        deps.leaderboards.addProductUnits(
          day,
          order.items.map((i) => ({ sku: i.sku, units: -i.qty })),
        ),
    ),
    bestEffort(
      deps.logger,
      `take back loyalty points of refunded order ${order.id}`,
      () => deps.leaderboards.addCustomerPoints(order.userId, -loyaltyPoints(order.totalCents)),
    ),
  ]);
}

/** Cancels every pending order past its expiry, in batches; safe to run on many instances. */
export async function expireOrders(
  deps: { orders: OrderStore; clock: Clock; logger: Logger },
  batchSize = 100,
): Promise<number> {
  let total = 0;
  for (;;) {
    const expired = await deps.orders.expireDue(deps.clock.now(), batchSize);
    total += expired.length;
    if (expired.length < batchSize) break;
  }
  if (total > 0) deps.logger.info("expired pending orders", { count: total });
  return total;
}

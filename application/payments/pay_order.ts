import { dayKey } from "../../domain/analytics/revenue.ts";
import {
  NotFound,
  OrderNotPending,
  PaymentDeclined,
  UnsupportedProvider,
} from "../../domain/errors.ts";
import { loyaltyPoints } from "../../domain/money.ts";
import { isExpired } from "../../domain/ordering/order.ts";
import type { Order } from "../../domain/ordering/order.ts";
import type { Payment } from "../../domain/payments/payment.ts";
import { type CartStore, userCart } from "../../ports/cart/carts.ts";
import type { Clock } from "../../ports/clock.ts";
import type { IdGenerator } from "../../ports/ids.ts";
import type { Leaderboards } from "../../ports/analytics/leaderboards.ts";
import type { Logger } from "../../ports/logger.ts";
import type { OrderStore } from "../../ports/ordering/orders.ts";
import type { PaymentGateway } from "../../ports/payments/payment_gateway.ts";
import { bestEffort } from "../_best_effort.ts";

export interface PayOrderDeps {
  readonly orders: OrderStore;
  readonly gateways: ReadonlyMap<string, PaymentGateway>;
  readonly carts: CartStore;
  readonly leaderboards: Leaderboards;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
}

export interface PayOrderInput {
  readonly userId: string;
  readonly orderId: string;
  readonly provider: string;
  readonly paymentToken: string;
}

/**
 * Charges the server-side order total and, in one atomic step, records the payment, confirms
 * the order and deducts its stock. A replayed charge (same provider reference) changes nothing.
 * Taking the ordered lines out of the cart (only for an order placed from the cart; lines added
 * or raised since stay) and the leaderboards follow the commit and may fail without failing it.
 */
export async function payOrder(
  deps: PayOrderDeps,
  input: PayOrderInput,
): Promise<{ order: Order; payment: Payment }> {
  const gateway = deps.gateways.get(input.provider);
  if (!gateway) throw new UnsupportedProvider(input.provider);
  const order = await deps.orders.get(input.orderId);
  if (!order || order.userId !== input.userId) throw new NotFound("order", input.orderId);
  if (order.status !== "pending" || isExpired(order, deps.clock.now())) {
    throw new OrderNotPending(
      order.id,
      isExpired(order, deps.clock.now()) ? "expired" : order.status,
    );
  }

  const charge = await gateway.charge({
    orderId: order.id,
    amountCents: order.totalCents,
    currency: order.currency,
    token: input.paymentToken,
  });
  const payment: Payment = {
    id: deps.ids.id(),
    orderId: order.id,
    userId: order.userId,
    status: charge.status,
    amountCents: order.totalCents,
    currency: order.currency,
    provider: gateway.provider,
    providerRef: charge.providerRef,
    failureReason: charge.status === "declined" ? charge.reason : null,
    processedAt: deps.clock.now(),
  };
  if (charge.status === "declined") {
    await deps.orders.recordFailedPayment(payment);
    throw new PaymentDeclined(order.id, charge.reason);
  }

  return await settleSucceededCharge(deps, gateway, payment);
}

/**
 * Confirms the order a succeeded charge paid for, once (a replayed `providerRef` changes
 * nothing), then the cart and leaderboards. Shared by the client's `POST /payments` and the
 * provider's webhook, so whichever arrives first confirms and the other replays. A charge for
 * an order that expired or changed meanwhile is refunded through the gateway, not lost.
 */
export async function settleSucceededCharge(
  deps: PayOrderDeps,
  gateway: PaymentGateway,
  payment: Payment,
): Promise<{ order: Order; payment: Payment }> {
  let result;
  try {
    result = await deps.orders.confirmPayment(payment);
  } catch (error) {
    if (error instanceof OrderNotPending) {
      // The order expired or changed while we charged: give the money back.
      await bestEffort(
        deps.logger,
        `refund charge ${payment.providerRef} for order ${payment.orderId} that is no longer pending`,
        () => gateway.refund(payment.providerRef, payment.amountCents),
      );
    }
    throw error;
  }
  if (result.kind === "confirmed") await afterConfirmation(deps, result.order);
  return { order: result.order, payment: result.payment };
}

async function afterConfirmation(deps: PayOrderDeps, order: Order): Promise<void> {
  const day = dayKey(order.paidAt ?? deps.clock.now());
  await Promise.all([
    order.source === "cart"
      ? bestEffort(
        deps.logger,
        `take order ${order.id} out of the cart of ${order.userId}`,
        () => deps.carts.subtract(userCart(order.userId), order.items),
      )
      : Promise.resolve(true),
    bestEffort(
      deps.logger,
      `product leaderboard for order ${order.id}`,
      () =>
        deps.leaderboards.addProductUnits(
          day,
          order.items.map((i) => ({ sku: i.sku, units: i.qty })),
        ),
    ),
    bestEffort(
      deps.logger,
      `loyalty points for order ${order.id}`,
      () => deps.leaderboards.addCustomerPoints(order.userId, loyaltyPoints(order.totalCents)),
    ),
  ]);
}

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
import type { RefundedCharges } from "../../ports/payments/refunded_charges.ts";
import { bestEffort } from "../_best_effort.ts";

export interface PayOrderDeps {
  readonly orders: OrderStore;
  readonly gateways: ReadonlyMap<string, PaymentGateway>;
  readonly carts: CartStore;
  readonly leaderboards: Leaderboards;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  /** Where a charge given back is recorded (PostgreSQL); without it, only logged. */
  readonly refundedCharges?: RefundedCharges;
}

/** What the customer's browser needs to finish a payment (Stripe.js `confirmPayment`). */
export interface PaymentAction {
  readonly provider: string;
  /** The provider's payment reference (a PaymentIntent id). */
  readonly providerRef: string;
  readonly clientSecret: string;
  /** The provider's status, e.g. `requires_action`. */
  readonly nextStep: string;
}

export type PayOrderResult =
  | { readonly kind: "paid"; readonly order: Order; readonly payment: Payment }
  /** Nothing charged yet: the order stays pending until the customer finishes the payment. */
  | { readonly kind: "action_required"; readonly order: Order; readonly action: PaymentAction };

export interface PayOrderInput {
  readonly userId: string;
  readonly orderId: string;
  readonly provider: string;
  readonly paymentToken: string;
}

/**
 * Charges the server-side order total and, in one atomic step, records the payment, confirms
 * the order and deducts its stock. A replayed charge (same provider reference) changes nothing.
 * The attempt number (1 + the declines recorded) goes to the gateway's idempotency key: a retry
 * is the same attempt, so the customer coming back after 3-D Secure finds the same payment,
 * now succeeded. A payment that needs the customer answers `action_required`.
 * Taking the ordered lines out of the cart (only for an order placed from the cart; lines added
 * or raised since stay) and the leaderboards follow the commit and may fail without failing it.
 */
export async function payOrder(
  deps: PayOrderDeps,
  input: PayOrderInput,
): Promise<PayOrderResult> {
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

  const declines = (await deps.orders.payments(order.id))
    .filter((p) => p.status === "declined" || p.status === "failed").length;
  const charge = await gateway.charge({
    orderId: order.id,
    amountCents: order.totalCents,
    currency: order.currency,
    token: input.paymentToken,
    attempt: declines + 1,
  });
  if (charge.status === "requires_action") {
    const { providerRef, clientSecret, nextStep } = charge;
    return {
      kind: "action_required",
      order,
      action: { provider: gateway.provider, providerRef, clientSecret, nextStep },
    };
  }
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

  const settled = await settleSucceededCharge(deps, gateway, payment, "log");
  return { kind: "paid", order: settled.order, payment: settled.payment };
}

/**
 * Confirms the order a succeeded charge paid for, once (a replayed `providerRef` changes
 * nothing), then the cart and leaderboards. Shared by the client's `POST /payments` and the
 * provider's webhook, so whichever arrives first confirms and the other replays. A charge for
 * an order that expired or changed meanwhile is refunded through the gateway and recorded, not
 * lost, then `OrderNotPending` is thrown. A refund that fails is thrown (`refundFailure:
 * "throw"`: the webhook is then not marked handled, and the provider delivers it again) or
 * logged (`"log"`: the client's request, whose charge the provider's webhook still reports).
 */
export async function settleSucceededCharge(
  deps: PayOrderDeps,
  gateway: PaymentGateway,
  payment: Payment,
  refundFailure: "throw" | "log",
): Promise<{ kind: "confirmed" | "replayed"; order: Order; payment: Payment }> {
  let result;
  try {
    result = await deps.orders.confirmPayment(payment);
  } catch (error) {
    if (error instanceof OrderNotPending) {
      // The order expired or changed while we charged: give the money back.
      const reason = `order_${error.status}`;
      const refund = () => refundCharge(deps, gateway, payment, reason);
      if (refundFailure === "throw") await refund();
      else {
        await bestEffort(
          deps.logger,
          `refund charge ${payment.providerRef} for order ${payment.orderId} that is no longer pending`,
          refund,
        );
      }
    }
    throw error;
  }
  if (result.kind === "confirmed") await afterConfirmation(deps, result.order);
  return result;
}

/**
 * Gives a charge back through its gateway (idempotent there: a second refund of the same charge
 * is the same refund) and records it once.
 */
export async function refundCharge(
  deps: PayOrderDeps,
  gateway: PaymentGateway,
  payment: Payment,
  reason: string,
): Promise<void> {
  await gateway.refund(payment.providerRef, payment.amountCents);
  const recorded = await deps.refundedCharges?.record({
    provider: gateway.provider,
    providerRef: payment.providerRef,
    orderId: payment.orderId,
    amountCents: payment.amountCents,
    currency: payment.currency,
    reason,
    refundedAt: deps.clock.now(),
  });
  if (recorded !== false) {
    deps.logger.info("charge refunded", {
      orderId: payment.orderId,
      providerRef: payment.providerRef,
      amountCents: payment.amountCents,
      reason,
    });
  }
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

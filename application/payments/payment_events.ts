import { InvalidTransition, OrderNotPending, UnsupportedProvider } from "../../domain/errors.ts";
import type { Payment } from "../../domain/payments/payment.ts";
import type {
  PaymentEvent,
  PaymentEventSource,
  ProcessedEvents,
} from "../../ports/payments/payment_events.ts";
import type { PaymentGateway } from "../../ports/payments/payment_gateway.ts";
import { type PayOrderDeps, refundCharge, settleSucceededCharge } from "./pay_order.ts";

export interface PaymentEventDeps extends PayOrderDeps {
  readonly paymentEvents?: ReadonlyMap<string, PaymentEventSource>;
  readonly processedEvents?: ProcessedEvents;
}

export type EventOutcome =
  | "duplicate"
  | "ignored"
  | "unknown_order"
  | "confirmed"
  /** The order was already confirmed by this same payment (the client's request came first). */
  | "replayed"
  | "refunded_late"
  | "amount_mismatch_refunded"
  | "failure_recorded"
  | "order_refunded"
  | "already_refunded"
  | "partial_refund";

/**
 * A provider's webhook: verified on its raw body (a bad signature throws before anything
 * changes), handled, then its event id recorded so a redelivery changes nothing. Every handler
 * is idempotent on its own (confirmation by provider reference, failed payments by reference,
 * refunds by order state), so two deliveries racing past the check are still safe; an event
 * whose handling fails is not recorded, and the provider delivers it again.
 */
export async function receivePaymentEvent(
  deps: PaymentEventDeps,
  input: { provider: string; rawBody: string; signature: string | null },
): Promise<{ eventId: string; type: string; outcome: EventOutcome }> {
  const source = deps.paymentEvents?.get(input.provider);
  const gateway = deps.gateways.get(input.provider);
  if (!source || !gateway || !deps.processedEvents) throw new UnsupportedProvider(input.provider);
  const event = await source.verify(input.rawBody, input.signature);
  const done = { eventId: event.id, type: event.type };
  if (await deps.processedEvents.has(event.provider, event.id)) {
    return { ...done, outcome: "duplicate" };
  }
  const outcome = await handle(deps, gateway, event);
  await deps.processedEvents.record(event.provider, event.id, event.type, deps.clock.now());
  deps.logger.info("payment event handled", { ...done, orderId: event.orderId, outcome });
  return { ...done, outcome };
}

async function handle(
  deps: PaymentEventDeps,
  gateway: PaymentGateway,
  event: PaymentEvent,
): Promise<EventOutcome> {
  if (event.kind === "ignored") return "ignored";
  const order = event.orderId ? await deps.orders.get(event.orderId) : null;
  if (!order || !event.providerRef) return "unknown_order";
  const providerRef = event.providerRef;

  if (event.kind === "charge_refunded") {
    if (!event.fullyRefunded) return "partial_refund";
    if (order.status === "refunded") return "already_refunded";
    const paid = (await deps.orders.payments(order.id))
      .some((p) => p.providerRef === providerRef && p.status === "succeeded");
    if (!paid) return "ignored";
    try {
      await deps.orders.refund(order.id, deps.clock.now());
      return "order_refunded";
    } catch (error) {
      if (error instanceof InvalidTransition) return "already_refunded";
      throw error;
    }
  }

  const payment: Payment = {
    id: deps.ids.id(),
    orderId: order.id,
    userId: order.userId,
    status: event.kind === "payment_succeeded" ? "succeeded" : "declined",
    amountCents: event.amountCents,
    currency: event.currency,
    provider: gateway.provider,
    providerRef,
    failureReason: event.failureReason,
    processedAt: deps.clock.now(),
  };
  if (event.kind === "payment_failed") {
    // Not the bare PaymentIntent id: only its success may record that (the store replays by
    // reference), and the same PaymentIntent may still succeed.
    await deps.orders.recordFailedPayment({
      ...payment,
      providerRef: `${providerRef}:${event.failureReason ?? "failed"}`,
    });
    return "failure_recorded";
  }
  if (event.amountCents !== order.totalCents || event.currency !== order.currency) {
    // Not this order's total: never confirm on it; give the money back (a failed refund is
    // thrown, so the event is delivered again).
    await refundCharge(deps, gateway, payment, "amount_mismatch");
    return "amount_mismatch_refunded";
  }
  try {
    return (await settleSucceededCharge(deps, gateway, payment, "throw")).kind;
  } catch (error) {
    // Expired or paid otherwise meanwhile: settleSucceededCharge refunded and recorded it.
    if (error instanceof OrderNotPending) return "refunded_late";
    throw error;
  }
}

/**
 * Ordering failures: order lifecycle and the pending-order limit.
 * Re-exported from ../errors.ts; only the HTTP adapter maps a `code` to a status.
 */
import { DomainError } from "../domain_error.ts";

export class InvalidTransition extends DomainError {
  readonly code = "invalid_transition";
  constructor(readonly from: string, readonly to: string) {
    super(`cannot move an order from ${from} to ${to}`);
  }
}

export class OrderNotPending extends DomainError {
  readonly code = "order_not_pending";
  constructor(readonly orderId: string, readonly status: string) {
    super(`order ${orderId} is ${status}, not pending`);
  }
}

export class EmptyOrder extends DomainError {
  readonly code = "empty_order";
  constructor() {
    super("an order needs at least one line");
  }
}

/** The user already holds `limit` pending orders; pay, cancel or let one expire first. */
export class TooManyPendingOrders extends DomainError {
  readonly code = "too_many_pending_orders";
  constructor(readonly limit: number) {
    super(`at most ${limit} pending orders per customer; pay or cancel one first`);
  }
}

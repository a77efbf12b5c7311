import type { Allocation } from "../../domain/inventory/allocation.ts";
import type { NewOrder, Order, OrderStatus } from "../../domain/ordering/order.ts";
import type { Page, PageRequest } from "../../domain/pagination.ts";
import type { Payment } from "../../domain/payments/payment.ts";
import type { RevenueQuery, RevenueReport } from "../../domain/analytics/revenue.ts";

export interface OrderListQuery extends PageRequest {
  readonly userId?: string;
  readonly status?: OrderStatus;
}

export type ConfirmResult =
  | { readonly kind: "confirmed"; readonly order: Order; readonly payment: Payment }
  /** The same `providerRef` was already recorded: nothing changed, the first result returns. */
  | { readonly kind: "replayed"; readonly order: Order; readonly payment: Payment };

/**
 * Orders and payments, each operation atomic with the stock it moves (one PostgreSQL
 * transaction; one synchronous step in memory). Listings are newest first.
 */
export interface OrderStore {
  /**
   * Allocates every line to warehouses (`allocate`: one warehouse for the whole order if one
   * can, else by priority, splitting a line only when no warehouse can fill it), reserves
   * exactly those rows and records the allocation, and inserts the pending order with price/name snapshots, or changes
   * nothing. Throws `InsufficientStock { skus }` naming unknown, inactive and short SKUs,
   * `CurrencyMismatch` when the lines are priced in more than one currency, and
   * `TooManyPendingOrders` when the user already holds `maxPendingPerUser` pending, unexpired
   * orders (counted under a per-user lock, so concurrent places cannot overshoot).
   * Under `terms` the totals (shipping on the subtotal, per-line tax, total) are computed from
   * the very prices read under the reservation, in the same atomic step, and the addresses and
   * option are snapshotted; `CurrencyMismatch` when the option's currency is not the lines'.
   */
  place(order: NewOrder): Promise<Order>;
  get(id: string): Promise<Order | null>;
  /**
   * Which warehouse rows hold (or shipped) the order's units, by SKU then warehouse; empty for
   * an unknown order. Confirming deducts exactly these rows, cancel and expiry release them,
   * a refund restocks them.
   */
  allocations(orderId: string): Promise<Allocation[]>;
  list(query: OrderListQuery): Promise<Page<Order>>;
  /**
   * Records a succeeded payment, confirms the pending order and deducts its stock. Throws
   * `OrderNotPending` when the order is not pending or has expired at `at` (so a late
   * payment and the expiry sweeper can never both win).
   */
  confirmPayment(payment: Payment): Promise<ConfirmResult>;
  /** Records a declined or failed attempt; the order stays as it is. */
  recordFailedPayment(payment: Payment): Promise<void>;
  payments(orderId: string): Promise<Payment[]>;
  /** pending -> cancelled, releasing reservations. Throws `NotFound`, `InvalidTransition`. */
  cancel(id: string, at: Date): Promise<Order>;
  /** confirmed -> shipped -> delivered. Throws `NotFound`, `InvalidTransition`. */
  advance(id: string, to: "shipped" | "delivered", at: Date): Promise<Order>;
  /**
   * confirmed|shipped|delivered -> refunded, restocking, payment marked refunded. A second
   * refund is `InvalidTransition`, so the caller knows it was the one that refunded.
   */
  refund(id: string, at: Date): Promise<Order>;
  /** Cancels up to `limit` pending orders expired at `now`; each exactly once across callers. */
  expireDue(now: Date, limit: number): Promise<Order[]>;
}

export interface RevenueReports {
  revenue(query: RevenueQuery, topN: number): Promise<RevenueReport>;
}

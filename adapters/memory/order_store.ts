import {
  periodOf,
  REPORTED_STATUSES,
  type RevenueFigures,
  type RevenueQuery,
  type RevenueReport,
  type TopProduct,
} from "../../domain/analytics/revenue.ts";
import { AlreadyExists, EmptyOrder, NotFound, OrderNotPending } from "../../domain/errors.ts";
import {
  allocate,
  type Allocation,
  moveAllocated,
  type StockMove,
} from "../../domain/inventory/allocation.ts";
import { mergeLines } from "../../domain/inventory/stock.ts";
import {
  assertPendingCapacity,
  buildOrder,
  confirmWith,
  isExpired,
  isLivePending,
  type NewOrder,
  type Order,
  type OrderStatus,
  transition,
  unitsOf,
} from "../../domain/ordering/order.ts";
import { type Page, pageOf } from "../../domain/pagination.ts";
import type { Payment } from "../../domain/payments/payment.ts";
import type {
  ConfirmResult,
  OrderListQuery,
  OrderStore,
  RevenueReports,
} from "../../ports/ordering/orders.ts";
import type { MemoryInventoryStore } from "./inventory_store.ts";

export interface MemoryOrderOptions {
  /** The stock these orders move; its change log receives the inventory events. */
  readonly inventory: MemoryInventoryStore;
}

/**
 * Orders and payments in memory. Every operation reads and writes orders, payments and stock
 * in one synchronous step (no `await` in between), which is the lock that makes it atomic.
 */
export class MemoryOrderStore implements OrderStore, RevenueReports {
  readonly #inventory: MemoryInventoryStore;
  readonly #orders = new Map<string, Order>();
  readonly #allocations = new Map<string, readonly Allocation[]>();
  readonly #payments = new Map<string, Payment[]>();
  readonly #byProviderRef = new Map<string, Payment>();

  constructor(options: MemoryOrderOptions) {
    this.#inventory = options.inventory;
  }

  place(input: NewOrder): Promise<Order> {
    return attempt(() => {
      if (this.#orders.has(input.id)) throw new AlreadyExists("order", "id", input.id);
      const lines = mergeLines(input.lines);
      if (lines.length === 0) throw new EmptyOrder();
      for (const { sku, qty } of lines) {
        if (!Number.isSafeInteger(qty) || qty <= 0) {
          throw new RangeError(`quantity for ${sku} must be a positive integer, got ${qty}`);
        }
      }
      const pending = [...this.#orders.values()]
        .filter((o) => o.userId === input.userId && isLivePending(o, input.createdAt)).length;
      assertPendingCapacity(pending, input.maxPendingPerUser);
      const inventory = this.#inventory;
      const items = inventory.readSync();
      const levels = inventory.levelsSync(lines.map((l) => l.sku));
      const allocations = allocate(
        lines,
        items,
        levels.values(),
        inventory.warehousesSync(),
        input.createdAt,
      );
      const order = buildOrder({ ...input, lines }, items);
      const reserved = moveAllocated(levels, allocations, "reserve");
      inventory.writeLevelsSync(reserved, input.createdAt);
      this.#allocations.set(order.id, Object.freeze(allocations.map((a) => ({ ...a }))));
      this.#save(order);
      return copyOrder(order);
    });
  }

  get(id: string): Promise<Order | null> {
    const order = this.#orders.get(id);
    return Promise.resolve(order ? copyOrder(order) : null);
  }

  allocations(orderId: string): Promise<Allocation[]> {
    return Promise.resolve((this.#allocations.get(orderId) ?? []).map((a) => ({ ...a })));
  }

  list(query: OrderListQuery): Promise<Page<Order>> {
    const all = [...this.#orders.values()]
      .filter((o) => query.userId === undefined || o.userId === query.userId)
      .filter((o) => query.status === undefined || o.status === query.status)
      .sort(newestFirst);
    const page = pageOf(all, query);
    return Promise.resolve({ ...page, items: page.items.map(copyOrder) });
  }

  confirmPayment(payment: Payment): Promise<ConfirmResult> {
    return attempt((): ConfirmResult => {
      const recorded = this.#byProviderRef.get(payment.providerRef);
      if (recorded) {
        const order = this.#orders.get(recorded.orderId)!;
        return { kind: "replayed", order: copyOrder(order), payment: copyPayment(recorded) };
      }
      const order = this.#require(payment.orderId);
      if (order.status !== "pending") throw new OrderNotPending(order.id, order.status);
      if (isExpired(order, payment.processedAt)) throw new OrderNotPending(order.id, "expired");
      const confirmed = confirmWith(order, payment);
      this.#moveStock(order, "deduct", payment.processedAt);
      this.#save(confirmed);
      this.#addPayment(payment);
      return { kind: "confirmed", order: copyOrder(confirmed), payment: copyPayment(payment) };
    });
  }

  recordFailedPayment(payment: Payment): Promise<void> {
    return attempt(() => {
      this.#require(payment.orderId);
      if (this.#byProviderRef.has(payment.providerRef)) return;
      this.#addPayment(payment);
    });
  }

  payments(orderId: string): Promise<Payment[]> {
    return Promise.resolve((this.#payments.get(orderId) ?? []).map(copyPayment));
  }

  cancel(id: string, at: Date): Promise<Order> {
    return attempt(() => copyOrder(this.#cancel(this.#require(id), at)));
  }

  advance(id: string, to: "shipped" | "delivered", at: Date): Promise<Order> {
    return attempt(() => {
      const next = transition(this.#require(id), to, at);
      this.#save(next);
      return copyOrder(next);
    });
  }

  refund(id: string, at: Date): Promise<Order> {
    return attempt(() => {
      const order = this.#require(id);
      const refunded = transition(order, "refunded", at);
      this.#moveStock(order, "restock", at);
      this.#save(refunded);
      const payments = (this.#payments.get(id) ?? []).map((p) =>
        p.status === "succeeded" ? freezePayment({ ...p, status: "refunded" }) : p
      );
      this.#payments.set(id, payments);
      for (const p of payments) this.#byProviderRef.set(p.providerRef, p);
      return copyOrder(refunded);
    });
  }

  expireDue(now: Date, limit: number): Promise<Order[]> {
    return attempt(() =>
      [...this.#orders.values()]
        .filter((o) => isExpired(o, now))
        .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())
        .slice(0, Math.max(0, limit))
        .map((o) => copyOrder(this.#cancel(o, now)))
    );
  }

  revenue(query: RevenueQuery, topN: number): Promise<RevenueReport> {
    const from = query.from.getTime();
    const to = query.to.getTime();
    const sold = [...this.#orders.values()].filter((o) =>
      (REPORTED_STATUSES as readonly OrderStatus[]).includes(o.status) && o.paidAt !== null &&
      o.paidAt.getTime() >= from && o.paidAt.getTime() < to
    ).sort((a, b) => a.paidAt!.getTime() - b.paidAt!.getTime());
    const buckets = figuresBy(sold, (o) => `${periodOf(o.paidAt!, query.groupBy)} ${o.currency}`)
      .map(([key, f]) => ({ period: key.split(" ")[0], ...f }));
    return Promise.resolve({
      buckets,
      totals: figuresBy(sold, (o) => o.currency).map(([, f]) => f),
      topProducts: topProductsOf(sold.filter((o) => o.status !== "refunded"), topN),
    });
  }

  #require(id: string): Order {
    const order = this.#orders.get(id);
    if (!order) throw new NotFound("order", id);
    return order;
  }

  #cancel(order: Order, at: Date): Order {
    const cancelled = transition(order, "cancelled", at);
    this.#moveStock(order, "release", at);
    this.#save(cancelled);
    return cancelled;
  }

  /**
   * Moves exactly the order's allocated rows; computes every row first, so a failure leaves
   * all stock untouched.
   */
  #moveStock(order: Order, move: StockMove, at: Date): void {
    const allocations = this.#allocations.get(order.id) ?? [];
    const levels = this.#inventory.levelsSync(new Set(allocations.map((a) => a.sku)));
    this.#inventory.writeLevelsSync(moveAllocated(levels, allocations, move), at);
  }

  #save(order: Order): void {
    this.#orders.set(order.id, freezeOrder(order));
  }

  #addPayment(payment: Payment): void {
    const stored = freezePayment(payment);
    this.#payments.set(payment.orderId, [...(this.#payments.get(payment.orderId) ?? []), stored]);
    this.#byProviderRef.set(payment.providerRef, stored);
  }
}

/** Figures per key (sorted), kept and refunded orders apart; one currency per key. */
function figuresBy(
  sold: readonly Order[],
  keyOf: (o: Order) => string,
): [string, RevenueFigures][] {
  const byKey = new Map<string, RevenueFigures>();
  for (const order of sold) {
    const key = keyOf(order);
    const f = byKey.get(key) ?? {
      currency: order.currency,
      orders: 0,
      units: 0,
      revenueCents: 0,
      refundCount: 0,
      refundedCents: 0,
    };
    const refunded = order.status === "refunded";
    byKey.set(key, {
      currency: f.currency,
      orders: f.orders + (refunded ? 0 : 1),
      units: f.units + (refunded ? 0 : unitsOf(order)),
      revenueCents: f.revenueCents + (refunded ? 0 : order.totalCents),
      refundCount: f.refundCount + (refunded ? 1 : 0),
      refundedCents: f.refundedCents + (refunded ? order.totalCents : 0),
    });
  }
  return [...byKey].sort(([a], [b]) => (a < b ? -1 : 1));
}

/** Units desc, then revenue desc, then SKU; the name is the latest paid snapshot. */
function topProductsOf(paid: readonly Order[], topN: number): TopProduct[] {
  const bySku = new Map<string, TopProduct>();
  for (const order of paid) {
    for (const item of order.items) {
      const key = `${item.sku} ${order.currency}`;
      const p = bySku.get(key);
      bySku.set(key, {
        sku: item.sku,
        productName: item.productName,
        currency: order.currency,
        units: (p?.units ?? 0) + item.qty,
        revenueCents: (p?.revenueCents ?? 0) + item.lineTotalCents,
      });
    }
  }
  return [...bySku.values()]
    .sort((a, b) =>
      b.units - a.units || b.revenueCents - a.revenueCents || compare(a.sku, b.sku) ||
      compare(a.currency, b.currency)
    )
    .slice(0, Math.max(0, topN));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function newestFirst(a: Order, b: Order): number {
  const byTime = b.createdAt.getTime() - a.createdAt.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

function attempt<T>(step: () => T): Promise<T> {
  try {
    return Promise.resolve(step());
  } catch (error) {
    return Promise.reject(error);
  }
}

function freezeOrder(order: Order): Order {
  return Object.freeze(copyOrder(order));
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

function freezePayment(payment: Payment): Payment {
  return Object.freeze(copyPayment(payment));
}

function copyPayment(payment: Payment): Payment {
  return { ...payment, processedAt: new Date(payment.processedAt) };
}

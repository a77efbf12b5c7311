import {
  type GroupBy,
  periodOf,
  REVENUE_STATUSES,
  type RevenueBucket,
  type RevenueQuery,
  type RevenueReport,
  type TopProduct,
} from "../../domain/analytics/revenue.ts";
import { AlreadyExists, EmptyOrder, NotFound, OrderNotPending } from "../../domain/errors.ts";
import {
  deduct,
  type InventoryItem,
  mergeLines,
  release,
  reserveAll,
  restock,
} from "../../domain/inventory/stock.ts";
import {
  buildOrder,
  isExpired,
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
} from "../../ports/orders.ts";
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
      const items = this.#inventory.readSync();
      const reserved = reserveAll(items, lines, input.createdAt);
      const order = buildOrder({ ...input, lines }, items);
      this.#inventory.writeSync(reserved);
      this.#save(order);
      return copyOrder(order);
    });
  }

  get(id: string): Promise<Order | null> {
    const order = this.#orders.get(id);
    return Promise.resolve(order ? copyOrder(order) : null);
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
      const confirmed = transition(order, "confirmed", payment.processedAt);
      const stock = this.#moveStock(order, (item, qty) => deduct(item, qty, payment.processedAt));
      this.#inventory.writeSync(stock);
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
      const stock = this.#moveStock(order, (item, qty) => restock(item, qty, at));
      this.#inventory.writeSync(stock);
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
    const paid = [...this.#orders.values()].filter((o) =>
      (REVENUE_STATUSES as readonly OrderStatus[]).includes(o.status) && o.paidAt !== null &&
      o.paidAt.getTime() >= from && o.paidAt.getTime() < to
    ).sort((a, b) => a.paidAt!.getTime() - b.paidAt!.getTime());
    return Promise.resolve({
      buckets: bucketsOf(paid, query.groupBy),
      totals: {
        orders: paid.length,
        units: sum(paid.map(unitsOf)),
        revenueCents: sum(paid.map((o) => o.totalCents)),
      },
      topProducts: topProductsOf(paid, topN),
    });
  }

  #require(id: string): Order {
    const order = this.#orders.get(id);
    if (!order) throw new NotFound("order", id);
    return order;
  }

  #cancel(order: Order, at: Date): Order {
    const cancelled = transition(order, "cancelled", at);
    const stock = this.#moveStock(order, (item, qty) => release(item, qty, at));
    this.#inventory.writeSync(stock);
    this.#save(cancelled);
    return cancelled;
  }

  /** Computes every item's new level first, so a failure leaves all stock untouched. */
  #moveStock(
    order: Order,
    move: (item: InventoryItem, qty: number) => InventoryItem,
  ): InventoryItem[] {
    const items = this.#inventory.readSync();
    return order.items.map(({ sku, qty }) => {
      const item = items.get(sku);
      if (!item) throw new NotFound("inventory item", sku);
      return move(item, qty);
    });
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

function bucketsOf(paid: readonly Order[], groupBy: GroupBy): RevenueBucket[] {
  const buckets = new Map<string, RevenueBucket>();
  for (const order of paid) {
    const period = periodOf(order.paidAt!, groupBy);
    const b = buckets.get(period) ?? { period, orders: 0, units: 0, revenueCents: 0 };
    buckets.set(period, {
      period,
      orders: b.orders + 1,
      units: b.units + unitsOf(order),
      revenueCents: b.revenueCents + order.totalCents,
    });
  }
  return [...buckets.values()].sort((a, b) => a.period < b.period ? -1 : 1);
}

/** Units desc, then revenue desc, then SKU; the name is the latest paid snapshot. */
function topProductsOf(paid: readonly Order[], topN: number): TopProduct[] {
  const bySku = new Map<string, TopProduct>();
  for (const order of paid) {
    for (const item of order.items) {
      const p = bySku.get(item.sku);
      bySku.set(item.sku, {
        sku: item.sku,
        productName: item.productName,
        units: (p?.units ?? 0) + item.qty,
        revenueCents: (p?.revenueCents ?? 0) + item.lineTotalCents,
      });
    }
  }
  return [...bySku.values()]
    .sort((a, b) =>
      b.units - a.units || b.revenueCents - a.revenueCents || (a.sku < b.sku ? -1 : 1)
    )
    .slice(0, Math.max(0, topN));
}

function newestFirst(a: Order, b: Order): number {
  const byTime = b.createdAt.getTime() - a.createdAt.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

function sum(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0);
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
    createdAt: new Date(order.createdAt),
    expiresAt: new Date(order.expiresAt),
    paidAt: order.paidAt ? new Date(order.paidAt) : null,
    updatedAt: new Date(order.updatedAt),
  };
}

function freezePayment(payment: Payment): Payment {
  return Object.freeze(copyPayment(payment));
}

function copyPayment(payment: Payment): Payment {
  return { ...payment, processedAt: new Date(payment.processedAt) };
}

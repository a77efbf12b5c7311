import type { RevenueQuery, RevenueReport } from "../../domain/analytics/revenue.ts";
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
  transition,
} from "../../domain/ordering/order.ts";
import type { Page } from "../../domain/pagination.ts";
import type { Payment } from "../../domain/payments/payment.ts";
import type {
  ConfirmResult,
  OrderListQuery,
  OrderStore,
  RevenueReports,
} from "../../ports/ordering/orders.ts";
import type { MemoryChangeLog } from "./change_feed.ts";
import type { MemoryInventoryStore } from "./inventory_store.ts";
import { copyOrder, copyPayment, freezeOrder, freezePayment } from "./order_copies.ts";
import { hasPurchased, listOrders } from "./order_listing.ts";
import { revenueOf } from "./order_revenue.ts";

export interface MemoryOrderOptions {
  /** The stock these orders move; its change log receives the inventory events. */
  readonly inventory: MemoryInventoryStore;
  /**
   * Receives an `order` event for every order placed, changed or paid for (failed attempts
   * included), in the same step as the write: the memory outbox of the support index.
   */
  readonly log?: MemoryChangeLog;
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
  /** orders.version: grows with every change to an order or its payments. */
  readonly #versions = new Map<string, number>();
  readonly #log: MemoryChangeLog | undefined;

  constructor(options: MemoryOrderOptions) {
    this.#inventory = options.inventory;
    this.#log = options.log;
  }

  /** The order, its payments and its version, read in one step (the memory OrderRecords). */
  snapshotSync(id: string): { order: Order; payments: Payment[]; version: number } | null {
    const order = this.#orders.get(id);
    if (!order) return null;
    return {
      order: copyOrder(order),
      payments: (this.#payments.get(id) ?? []).map(copyPayment),
      version: this.#versions.get(id) ?? 1,
    };
  }

  /**
   * The customer's name or email changed: every order of theirs gets a new version and an
   * `order` event, so the support index re-reads them (its documents copy the customer).
   */
  customerChangedSync(userId: string, at: Date): number {
    const mine = [...this.#orders.values()].filter((o) => o.userId === userId);
    for (const o of mine) this.#changed(o.id, at);
    return mine.length;
  }

  /** Every order id, sorted (a rebuild's order). */
  idsSync(): string[] {
    return [...this.#orders.keys()].sort();
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
    return Promise.resolve(listOrders(this.#orders.values(), query));
  }

  hasPurchased(userId: string, skus: readonly string[]): Promise<boolean> {
    return Promise.resolve(hasPurchased(this.#orders.values(), userId, skus));
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
    return Promise.resolve(revenueOf(this.#orders.values(), query, topN));
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
    this.#changed(order.id, order.updatedAt);
  }

  #addPayment(payment: Payment): void {
    const stored = freezePayment(payment);
    this.#payments.set(payment.orderId, [...(this.#payments.get(payment.orderId) ?? []), stored]);
    this.#byProviderRef.set(payment.providerRef, stored);
    this.#changed(payment.orderId, payment.processedAt);
  }

  /** Bumps the order's version (a new order starts at 1) and records the change. */
  #changed(id: string, at: Date): void {
    const version = this.#versions.get(id);
    this.#versions.set(id, version === undefined ? 1 : version + 1);
    this.#log?.append("order", id, at);
  }
}

function attempt<T>(step: () => T): Promise<T> {
  try {
    return Promise.resolve(step());
  } catch (error) {
    return Promise.reject(error);
  }
}

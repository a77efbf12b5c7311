import { InvalidTransition } from "../errors.ts";
import { lineTotalCents, sumCents } from "../money.ts";
import type { InventoryItem, StockLine } from "../inventory/stock.ts";

export const ORDER_STATUSES = [
  "pending",
  "confirmed",
  "shipped",
  "delivered",
  "cancelled",
  "refunded",
] as const;
export type OrderStatus = typeof ORDER_STATUSES[number];

const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ["confirmed", "cancelled"],
  confirmed: ["shipped", "refunded"],
  shipped: ["delivered", "refunded"],
  delivered: ["refunded"],
  cancelled: [],
  refunded: [],
};

export interface OrderItem {
  readonly sku: string;
  readonly productName: string;
  readonly qty: number;
  readonly unitPriceCents: number;
  readonly lineTotalCents: number;
}

export interface Order {
  readonly id: string;
  readonly userId: string;
  readonly status: OrderStatus;
  readonly items: readonly OrderItem[];
  readonly totalCents: number;
  readonly currency: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly paidAt: Date | null;
  readonly updatedAt: Date;
}

/** What a store needs to place an order; prices and names are read under the reservation. */
export interface NewOrder {
  readonly id: string;
  readonly userId: string;
  readonly lines: readonly StockLine[]; // merged, sorted by SKU
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) throw new InvalidTransition(from, to);
}

export function transition(order: Order, to: OrderStatus, at: Date): Order {
  assertTransition(order.status, to);
  return { ...order, status: to, updatedAt: at, paidAt: to === "confirmed" ? at : order.paidAt };
}

/** Builds the pending order, snapshotting each line's price and name from inventory. */
export function buildOrder(input: NewOrder, items: ReadonlyMap<string, InventoryItem>): Order {
  const lines = input.lines.map(({ sku, qty }): OrderItem => {
    const item = items.get(sku)!;
    return {
      sku,
      productName: item.name,
      qty,
      unitPriceCents: item.unitPriceCents,
      lineTotalCents: lineTotalCents(item.unitPriceCents, qty),
    };
  });
  const currency = items.get(input.lines[0].sku)?.currency ?? "USD";
  return {
    id: input.id,
    userId: input.userId,
    status: "pending",
    items: lines,
    totalCents: sumCents(lines.map((l) => l.lineTotalCents)),
    currency,
    createdAt: input.createdAt,
    expiresAt: input.expiresAt,
    paidAt: null,
    updatedAt: input.createdAt,
  };
}

export function isExpired(order: Pick<Order, "status" | "expiresAt">, now: Date): boolean {
  return order.status === "pending" && order.expiresAt.getTime() <= now.getTime();
}

export function unitsOf(order: Pick<Order, "items">): number {
  return sumCents(order.items.map((i) => i.qty));
}

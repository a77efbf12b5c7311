import { CurrencyMismatch, InvalidTransition, TooManyPendingOrders } from "../errors.ts";
import { lineTotalCents, sumCents } from "../money.ts";
import type { InventoryItem, StockLine } from "../inventory/stock.ts";
import type { Payment, PaymentStatus } from "../payments/payment.ts";
import {
  type OrderAddress,
  type OrderShipping,
  type OrderTerms,
  orderTotals,
} from "./order_totals.ts";

export type { OrderAddress, OrderShipping, OrderTerms } from "./order_totals.ts";

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

/** Where the lines came from: the cart (paying removes them from it) or the request. */
export const ORDER_SOURCES = ["cart", "items"] as const;
export type OrderSource = typeof ORDER_SOURCES[number];

/** The payment that confirmed the order, as its owner may see it (no secrets). */
export interface OrderPayment {
  readonly provider: string;
  readonly status: PaymentStatus;
  readonly amountCents: number;
  readonly currency: string;
  readonly providerRef: string;
  readonly processedAt: Date;
}

export interface OrderItem {
  readonly sku: string;
  /** The product the SKU belongs to (equals `sku` for a product without variants). */
  readonly productSku: string;
  readonly productName: string;
  /** The variant's label when ordered; null for a product without variants. */
  readonly variantLabel: string | null;
  readonly qty: number;
  readonly unitPriceCents: number;
  readonly lineTotalCents: number;
  /** The line's tax (held in it when prices include tax, else added), rounded half up. */
  readonly taxCents: number;
}

export interface Order {
  readonly id: string;
  readonly userId: string;
  readonly status: OrderStatus;
  readonly items: readonly OrderItem[];
  /** The lines' sum, as priced. */
  readonly subtotalCents: number;
  readonly shippingCents: number;
  /** The lines' tax plus shipping's, each rounded before summing. */
  readonly taxCents: number;
  /** What the shopper pays and is charged: subtotal + shipping (+ tax unless included). */
  readonly totalCents: number;
  /** The prices (subtotal, shipping) already hold `taxCents`. */
  readonly pricesIncludeTax: boolean;
  readonly currency: string;
  /** Snapshots taken at placement; null on orders placed without delivery terms. */
  readonly shippingAddress: OrderAddress | null;
  readonly billingAddress: OrderAddress | null;
  readonly shipping: OrderShipping | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly paidAt: Date | null;
  readonly updatedAt: Date;
  readonly source: OrderSource;
  /** The succeeded (later refunded) payment once paid; null before. */
  readonly payment: OrderPayment | null;
}

/** What a store needs to place an order; prices and names are read under the reservation. */
export interface NewOrder {
  readonly id: string;
  readonly userId: string;
  readonly lines: readonly StockLine[]; // merged, sorted by SKU
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly source: OrderSource;
  /** Placing fails with `TooManyPendingOrders` when the user already holds this many. */
  readonly maxPendingPerUser: number;
  /**
   * Addresses, shipping option and tax rate; the totals are computed from the lines as the
   * store prices them under the reservation. Absent: no shipping, no tax (subtotal = total).
   */
  readonly terms?: OrderTerms;
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) throw new InvalidTransition(from, to);
}

export function transition(order: Order, to: OrderStatus, at: Date): Order {
  assertTransition(order.status, to);
  const payment = to === "refunded" && order.payment
    ? { ...order.payment, status: "refunded" as const }
    : order.payment;
  return {
    ...order,
    status: to,
    updatedAt: at,
    paidAt: to === "confirmed" ? at : order.paidAt,
    payment,
  };
}

/** pending -> confirmed by `payment`, which the order then shows. */
export function confirmWith(order: Order, payment: Payment): Order {
  return { ...transition(order, "confirmed", payment.processedAt), payment: paymentOf(payment) };
}

export function paymentOf(p: Payment): OrderPayment {
  return {
    provider: p.provider,
    status: p.status,
    amountCents: p.amountCents,
    currency: p.currency,
    providerRef: p.providerRef,
    processedAt: p.processedAt,
  };
}

/** Throws `TooManyPendingOrders` when `pending` orders already reach the cap. */
export function assertPendingCapacity(pending: number, limit: number): void {
  if (pending >= limit) throw new TooManyPendingOrders(limit);
}

/** Pending and not expired at `now`: what counts against the per-user cap. */
export function isLivePending(order: Pick<Order, "status" | "expiresAt">, now: Date): boolean {
  return order.status === "pending" && !isExpired(order, now);
}

/**
 * Throws `CurrencyMismatch` unless every line is priced in one currency (a cart or an order
 * holds one currency). Unknown SKUs are skipped: the reservation reports them.
 */
export function assertOneCurrency(
  lines: readonly StockLine[],
  items: ReadonlyMap<string, Pick<InventoryItem, "currency">>,
): void {
  let expected: string | undefined;
  for (const { sku } of lines) {
    const currency = items.get(sku)?.currency;
    if (currency === undefined) continue;
    expected ??= currency;
    if (currency !== expected) throw new CurrencyMismatch(sku, expected, currency);
  }
}

/**
 * Builds the pending order, snapshotting each line's price, name, product and variant label
 * from inventory, and, under `terms`, the addresses, the shipping option and the totals
 * computed from exactly those prices. Throws `CurrencyMismatch` when the lines are priced in
 * more than one currency, or the shipping option in another one than the lines.
 */
export function buildOrder(
  input: Omit<NewOrder, "maxPendingPerUser">,
  items: ReadonlyMap<string, InventoryItem>,
): Order {
  assertOneCurrency(input.lines, items);
  const priced = input.lines.map(({ sku, qty }) => {
    const item = items.get(sku)!;
    return { sku, qty, unitPriceCents: item.unitPriceCents, item };
  });
  const currency = items.get(input.lines[0].sku)?.currency ?? "USD";
  const totals = input.terms ? orderTotals(priced, currency, input.terms) : null;
  const lines = priced.map(({ sku, qty, unitPriceCents, item }, i): OrderItem => ({
    sku,
    productSku: item.productSku,
    productName: item.name,
    variantLabel: item.variantLabel,
    qty,
    unitPriceCents,
    lineTotalCents: lineTotalCents(unitPriceCents, qty),
    taxCents: totals?.lineTaxCents[i] ?? 0,
  }));
  const subtotalCents = sumCents(lines.map((l) => l.lineTotalCents));
  return {
    id: input.id,
    userId: input.userId,
    status: "pending",
    items: lines,
    subtotalCents,
    shippingCents: totals?.shippingCents ?? 0,
    taxCents: totals?.taxCents ?? 0,
    totalCents: totals?.totalCents ?? subtotalCents,
    pricesIncludeTax: totals?.pricesIncludeTax ?? false,
    currency,
    shippingAddress: input.terms ? { ...input.terms.shippingAddress } : null,
    billingAddress: input.terms ? { ...input.terms.billingAddress } : null,
    shipping: totals?.shipping ?? null,
    createdAt: input.createdAt,
    expiresAt: input.expiresAt,
    paidAt: null,
    updatedAt: input.createdAt,
    source: input.source,
    payment: null,
  };
}

export function isExpired(order: Pick<Order, "status" | "expiresAt">, now: Date): boolean {
  return order.status === "pending" && order.expiresAt.getTime() <= now.getTime();
}

export function unitsOf(order: Pick<Order, "items">): number {
  return sumCents(order.items.map((i) => i.qty));
}

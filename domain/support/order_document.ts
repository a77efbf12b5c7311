/**
 * The support team's view of an order, as the `orders` search index holds it: one document per
 * order, derived from PostgreSQL (the order, its payments and its customer) and written with
 * the order's version. `toOrderDocument` is the one place that decides what the document
 * holds: a new order field reaches the index by one edit here (money goes into `totals`,
 * which the index maps dynamically as integers).
 */
import type { Order, OrderStatus } from "../ordering/order.ts";
import type { Payment } from "../payments/payment.ts";
import type { User } from "../identity/user.ts";

/** The customer as the document shows them: who to talk to. */
export interface OrderCustomer {
  readonly id: string;
  readonly email: string;
  readonly displayName: string | null;
}

/** What the sync reads from PostgreSQL in one snapshot for one order. */
export interface OrderRecord {
  readonly order: Order;
  /** Every attempt, succeeded, refunded, declined or failed, oldest first. */
  readonly payments: readonly Payment[];
  /** Null only when the user row is gone (never in practice: orders reference users). */
  readonly customer: OrderCustomer | null;
  /** Grows with every change to the order or its payments (orders.version). */
  readonly version: number;
}

export interface OrderDocumentPayment {
  readonly provider: string;
  readonly providerRef: string;
  readonly status: Payment["status"];
  readonly amountCents: number;
  readonly processedAt: Date;
}

export interface OrderDocument {
  readonly id: string;
  readonly version: number;
  readonly status: OrderStatus;
  readonly customer: OrderCustomer;
  readonly skus: readonly string[];
  /** Product (and variant) names when ordered, one per line. */
  readonly productNames: readonly string[];
  readonly currency: string;
  /** Money in integer cents of `currency`: the order's subtotal, shipping, tax and total. */
  readonly totals: Readonly<Record<string, number>>;
  readonly payments: readonly OrderDocumentPayment[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly paidAt: Date | null;
}

export function customerOf(user: Pick<User, "id" | "email" | "displayName">): OrderCustomer {
  return { id: user.id, email: user.email, displayName: user.displayName };
}

/** The document for `record`: the whole current state, never a partial update. */
export function toOrderDocument(record: OrderRecord): OrderDocument {
  const { order } = record;
  return {
    id: order.id,
    version: record.version,
    status: order.status,
    customer: record.customer ?? { id: order.userId, email: "", displayName: null },
    skus: order.items.map((i) => i.sku),
    productNames: order.items.map((i) =>
      i.variantLabel ? `${i.productName} ${i.variantLabel}` : i.productName
    ),
    currency: order.currency,
    totals: {
      subtotalCents: order.subtotalCents,
      shippingCents: order.shippingCents,
      taxCents: order.taxCents,
      totalCents: order.totalCents,
    },
    payments: record.payments.map((p) => ({
      provider: p.provider,
      providerRef: p.providerRef,
      status: p.status,
      amountCents: p.amountCents,
      processedAt: p.processedAt,
    })),
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    paidAt: order.paidAt,
  };
}

/**
 * `q` finds an order by id prefix, customer email (prefix), customer name and product name
 * (each word within Elasticsearch's AUTO fuzziness), SKU or payment reference (exact); all
 * case-insensitive. The filters narrow: `status`, and `createdAt` in [from, to).
 */
export interface OrderSearchQuery {
  readonly q: string;
  readonly status?: OrderStatus;
  readonly from?: Date;
  readonly to?: Date;
  readonly page: number;
  readonly size: number;
}

export interface OrderSearchResult {
  readonly items: readonly OrderDocument[];
  readonly page: number;
  readonly size: number;
  readonly total: number;
}

/**
 * How much each way of matching `q` weighs. A hit scores the sum of the ways it matches
 * (constant scores, so both adapters rank alike); ties go newest first, then by id.
 */
export const MATCH_WEIGHTS = {
  id: 10,
  email: 8,
  sku: 6,
  paymentRef: 6,
  customerName: 4,
  productName: 2,
} as const;

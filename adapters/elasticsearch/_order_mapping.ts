/** The `orders` index: mapping, query and documents (core Elasticsearch features only). */
import {
  MATCH_WEIGHTS,
  type OrderDocument,
  type OrderSearchQuery,
} from "../../domain/support/order_document.ts";
import type { OrderStatus } from "../../domain/ordering/order.ts";
import type { PaymentStatus } from "../../domain/payments/payment.ts";

/** Bumped when the orders mapping changes incompatibly; recorded in the index `_meta`. */
export const ORDERS_SCHEMA_VERSION = 1;

/** Elasticsearch's default `index.max_result_window`. */
export const MAX_RESULT_WINDOW = 10_000;

export function ordersIndexBody(shape: { shards: number; replicas: number }) {
  const keyword = { type: "keyword" } as const;
  const date = { type: "date" } as const;
  return {
    settings: { number_of_shards: shape.shards, number_of_replicas: shape.replicas },
    mappings: {
      dynamic: "strict",
      _meta: { schemaVersion: ORDERS_SCHEMA_VERSION, owner: "polycart", index: "orders" },
      properties: {
        id: keyword,
        status: keyword,
        customer: {
          properties: {
            id: keyword,
            email: keyword,
            displayName: { type: "text", analyzer: "standard" },
          },
        },
        skus: keyword,
        productNames: { type: "text", analyzer: "standard" },
        currency: keyword,
        // New money fields of an order (subtotal, shipping, tax) map themselves as longs.
        totals: { type: "object", dynamic: true },
        payments: {
          properties: {
            provider: keyword,
            providerRef: keyword,
            status: keyword,
            amountCents: { type: "long" },
            processedAt: date,
          },
        },
        createdAt: date,
        updatedAt: date,
        paidAt: date,
      },
    },
  };
}

export function toOrderSource(doc: OrderDocument): Record<string, unknown> {
  return {
    id: doc.id,
    status: doc.status,
    customer: { ...doc.customer },
    skus: doc.skus,
    productNames: doc.productNames,
    currency: doc.currency,
    totals: doc.totals,
    payments: doc.payments.map((p) => ({ ...p, processedAt: p.processedAt.toISOString() })),
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    paidAt: doc.paidAt?.toISOString() ?? null,
  };
}

interface OrderSource {
  id: string;
  status: OrderStatus;
  customer: { id: string; email: string; displayName: string | null };
  skus: string[];
  productNames: string[];
  currency: string;
  totals: Record<string, number>;
  payments: {
    provider: string;
    providerRef: string;
    status: PaymentStatus;
    amountCents: number;
    processedAt: string;
  }[];
  createdAt: string;
  updatedAt: string;
  paidAt: string | null;
}

export function fromOrderSource(source: OrderSource, version: number): OrderDocument {
  return {
    ...source,
    version,
    customer: { ...source.customer, displayName: source.customer.displayName ?? null },
    payments: source.payments.map((p) => ({ ...p, processedAt: new Date(p.processedAt) })),
    createdAt: new Date(source.createdAt),
    updatedAt: new Date(source.updatedAt),
    paidAt: source.paidAt === null ? null : new Date(source.paidAt),
  };
}

const constant = (weight: number, filter: unknown) => ({
  constant_score: { filter, boost: weight },
});

const fuzzyAll = (field: string, q: string) => ({
  match: { [field]: { query: q, operator: "and", fuzziness: "AUTO" } },
});

/**
 * One `bool`: each way `q` matches is a constant-score clause weighted by `MATCH_WEIGHTS`
 * (the memory index adds the same weights), the filters in filter context; newest first among
 * equal scores, then by id.
 */
export function orderSearchBody(query: OrderSearchQuery) {
  const q = query.q.trim();
  const filter: unknown[] = [];
  if (query.status) filter.push({ term: { status: query.status } });
  if (query.from || query.to) {
    filter.push({
      range: {
        createdAt: {
          ...(query.from ? { gte: query.from.toISOString() } : {}),
          ...(query.to ? { lt: query.to.toISOString() } : {}),
        },
      },
    });
  }
  const exact = (field: string) => ({ term: { [field]: { value: q, case_insensitive: true } } });
  const startsWith = (field: string) => ({
    prefix: { [field]: { value: q, case_insensitive: true } },
  });
  const should = q === "" ? [] : [
    constant(MATCH_WEIGHTS.id, startsWith("id")),
    constant(MATCH_WEIGHTS.email, startsWith("customer.email")),
    constant(MATCH_WEIGHTS.sku, exact("skus")),
    constant(MATCH_WEIGHTS.paymentRef, exact("payments.providerRef")),
    constant(MATCH_WEIGHTS.customerName, fuzzyAll("customer.displayName", q)),
    constant(MATCH_WEIGHTS.productName, fuzzyAll("productNames", q)),
  ];
  const from = Math.min((query.page - 1) * query.size, MAX_RESULT_WINDOW);
  return {
    query: {
      bool: {
        filter,
        ...(should.length > 0 ? { should, minimum_should_match: 1 } : {}),
      },
    },
    sort: [{ _score: "desc" }, { createdAt: "desc" }, { id: "desc" }],
    track_total_hits: true,
    version: true,
    from,
    size: Math.max(0, Math.min(query.size, MAX_RESULT_WINDOW - from)),
  };
}

export type { OrderSource };

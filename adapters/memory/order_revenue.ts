/**
 * The in-memory order store's revenue report: paid orders per period and currency, the totals
 * per currency (kept and refunded orders apart) and the top products.
 */
import {
  periodOf,
  REPORTED_STATUSES,
  type RevenueFigures,
  type RevenueQuery,
  type RevenueReport,
  type TopProduct,
} from "../../domain/analytics/revenue.ts";
import { type Order, type OrderStatus, unitsOf } from "../../domain/ordering/order.ts";

export function revenueOf(
  orders: Iterable<Order>,
  query: RevenueQuery,
  topN: number,
): RevenueReport {
  const from = query.from.getTime();
  const to = query.to.getTime();
  const sold = [...orders].filter((o) =>
    (REPORTED_STATUSES as readonly OrderStatus[]).includes(o.status) && o.paidAt !== null &&
    o.paidAt.getTime() >= from && o.paidAt.getTime() < to
  ).sort((a, b) => a.paidAt!.getTime() - b.paidAt!.getTime());
  const buckets = figuresBy(sold, (o) => `${periodOf(o.paidAt!, query.groupBy)} ${o.currency}`)
    .map(([key, f]) => ({ period: key.split(" ")[0], ...f }));
  return {
    buckets,
    totals: figuresBy(sold, (o) => o.currency).map(([, f]) => f),
    topProducts: topProductsOf(sold.filter((o) => o.status !== "refunded"), topN),
  };
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

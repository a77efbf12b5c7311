/** `PostgresOrderStore.revenue`: the report in one statement over the paid-at index. */
import { z } from "zod";
import {
  type GroupBy,
  REPORTED_STATUSES,
  type RevenueQuery,
  type RevenueReport,
} from "../../domain/analytics/revenue.ts";
import { type Db, int, parseRow } from "./_db.ts";
import type { Sql } from "./connect.ts";

export async function revenueReport(
  sql: Sql,
  query: RevenueQuery,
  topN: number,
): Promise<RevenueReport> {
  const { unit, format } = PERIODS[query.groupBy];
  // The status list is spelled out so the partial index orders_paid_or_refunded_at_idx
  // applies. Figures are grouped by currency everywhere: two currencies are never summed.
  const [row] = await sql`
      WITH sold AS MATERIALIZED (
        SELECT o.id, o.status, o.currency, o.total_cents, o.paid_at,
               o.status = 'refunded' AS refunded,
               to_char(date_trunc(${unit}, o.paid_at AT TIME ZONE 'UTC'), ${format}) AS period,
               (SELECT sum(i.qty) FROM order_items i WHERE i.order_id = o.id) AS units
        FROM orders o
        WHERE o.status IN ('confirmed', 'shipped', 'delivered', 'refunded')
          AND o.paid_at >= ${query.from} AND o.paid_at < ${query.to}
      ), buckets AS (
        SELECT period, currency, ${figures(sql)} FROM sold GROUP BY period, currency
      ), totals AS (
        SELECT currency, ${figures(sql)} FROM sold GROUP BY currency
      ), top AS (
        SELECT i.sku, p.currency,
               (array_agg(i.product_name ORDER BY p.paid_at DESC, p.id DESC))[1] AS name,
               sum(i.qty) AS units, sum(i.line_total_cents) AS revenue
        FROM sold p JOIN order_items i ON i.order_id = p.id
        WHERE NOT p.refunded
        GROUP BY i.sku, p.currency
        ORDER BY units DESC, revenue DESC, i.sku, p.currency
        LIMIT ${Math.max(0, topN)}
      )
      SELECT
        (SELECT coalesce(json_agg(json_build_object(
            'period', period, ${figuresJson(sql)}
          ) ORDER BY period, currency COLLATE "C"), '[]'::json) FROM buckets) AS buckets,
        (SELECT coalesce(json_agg(json_build_object(${figuresJson(sql)})
          ORDER BY currency COLLATE "C"), '[]'::json) FROM totals) AS totals,
        (SELECT coalesce(json_agg(json_build_object(
            'sku', sku, 'productName', name, 'currency', currency, 'units', units,
            'revenueCents', revenue
          ) ORDER BY units DESC, revenue DESC, sku, currency COLLATE "C"), '[]'::json)
         FROM top) AS top`;
  const r = parseRow(RevenueRow, row, "revenue");
  return { buckets: r.buckets, totals: r.totals, topProducts: r.top };
}

/** Kept and refunded figures of a group of `sold` rows (one currency per group). */
function figures(db: Db) {
  return db`
    count(*) FILTER (WHERE NOT refunded) AS orders,
    coalesce(sum(units) FILTER (WHERE NOT refunded), 0) AS units,
    coalesce(sum(total_cents) FILTER (WHERE NOT refunded), 0) AS revenue,
    count(*) FILTER (WHERE refunded) AS refunds,
    coalesce(sum(total_cents) FILTER (WHERE refunded), 0) AS refunded`;
}

function figuresJson(db: Db) {
  return db`
    'currency', currency, 'orders', orders, 'units', units, 'revenueCents', revenue,
    'refundCount', refunds, 'refundedCents', refunded`;
}

const PERIODS: Record<GroupBy, { unit: string; format: string }> = {
  day: { unit: "day", format: "YYYY-MM-DD" },
  week: { unit: "week", format: "YYYY-MM-DD" }, // date_trunc('week') is the ISO Monday
  month: { unit: "month", format: "YYYY-MM" },
};

if (
  [...REPORTED_STATUSES].sort().join() !==
    ["confirmed", "delivered", "refunded", "shipped"].join()
) {
  throw new Error("REPORTED_STATUSES changed: update PostgresOrderStore.revenue and its index");
}

const Figures = z.object({
  currency: z.string(),
  orders: int,
  units: int,
  revenueCents: int,
  refundCount: int,
  refundedCents: int,
});
const RevenueRow = z.object({
  buckets: z.array(Figures.extend({ period: z.string() })),
  totals: z.array(Figures),
  top: z.array(
    z.object({
      sku: z.string(),
      productName: z.string(),
      currency: z.string(),
      units: int,
      revenueCents: int,
    }),
  ),
});

export const GROUP_BYS = ["day", "week", "month"] as const;
export type GroupBy = typeof GROUP_BYS[number];

export interface RevenueQuery {
  readonly from: Date; // inclusive
  readonly to: Date; // exclusive
  readonly groupBy: GroupBy;
}

/**
 * Figures for one currency: orders paid and kept (`orders`, `units`, `revenueCents`) and
 * orders paid then refunded (`refundCount`, `refundedCents`), both counted at payment time.
 * Two currencies are never added together.
 */
export interface RevenueFigures {
  readonly currency: string;
  readonly orders: number;
  readonly units: number;
  readonly revenueCents: number;
  readonly refundCount: number;
  readonly refundedCents: number;
}

/** One period in one currency; buckets sort by period, then currency. */
export interface RevenueBucket extends RevenueFigures {
  readonly period: string;
}

/** Units desc, revenue desc, SKU, currency; kept orders only. */
export interface TopProduct {
  readonly sku: string;
  readonly productName: string;
  readonly currency: string;
  readonly units: number;
  readonly revenueCents: number;
}

export interface RevenueReport {
  readonly buckets: readonly RevenueBucket[];
  /** One entry per currency seen in the window, sorted by currency. */
  readonly totals: readonly RevenueFigures[];
  readonly topProducts: readonly TopProduct[];
}

/** Statuses whose money is kept: paid and not refunded. Revenue is counted at payment time. */
export const REVENUE_STATUSES = ["confirmed", "shipped", "delivered"] as const;

/** Paid statuses the report reads: the kept ones, and refunded ones reported as refunds. */
export const REPORTED_STATUSES = [...REVENUE_STATUSES, "refunded"] as const;

/** The window a report covers when the request names no `from`. */
export const DEFAULT_REVENUE_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Fills a missing bound: `to` defaults to `now`, `from` to 30 days before `to`. A `from` after
 * the default `to` gives an empty window starting at `from`, never an inverted one.
 */
export function revenueWindow(
  input: { from?: Date; to?: Date; groupBy: GroupBy },
  now: Date,
): RevenueQuery {
  const to = input.to ?? (input.from && input.from > now ? input.from : now);
  const from = input.from ?? new Date(to.getTime() - DEFAULT_REVENUE_WINDOW_MS);
  return { from, to, groupBy: input.groupBy };
}

/**
 * The period a UTC instant falls in: `2026-11-21` (day), the Monday starting its ISO week
 * `2026-11-16` (week), `2026-11` (month). Matches PostgreSQL's date_trunc in UTC.
 */
export function periodOf(at: Date, groupBy: GroupBy): string {
  const day = at.toISOString().slice(0, 10);
  if (groupBy === "day") return day;
  if (groupBy === "month") return day.slice(0, 7);
  const d = new Date(`${day}T00:00:00Z`);
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - sinceMonday);
  return d.toISOString().slice(0, 10);
}

/** The UTC calendar day a leaderboard bucket is keyed by. */
export function dayKey(at: Date): string {
  return at.toISOString().slice(0, 10);
}

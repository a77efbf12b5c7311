export const GROUP_BYS = ["day", "week", "month"] as const;
export type GroupBy = typeof GROUP_BYS[number];

export interface RevenueQuery {
  readonly from: Date; // inclusive
  readonly to: Date; // exclusive
  readonly groupBy: GroupBy;
}

export interface RevenueBucket {
  readonly period: string;
  readonly orders: number;
  readonly units: number;
  readonly revenueCents: number;
}

export interface TopProduct {
  readonly sku: string;
  readonly productName: string;
  readonly units: number;
  readonly revenueCents: number;
}

export interface RevenueReport {
  readonly buckets: readonly RevenueBucket[];
  readonly totals: {
    readonly orders: number;
    readonly units: number;
    readonly revenueCents: number;
  };
  readonly topProducts: readonly TopProduct[];
}

/** Statuses whose money is kept: paid and not refunded. Revenue is counted at payment time. */
export const REVENUE_STATUSES = ["confirmed", "shipped", "delivered"] as const;

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

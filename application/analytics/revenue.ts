import {
  type GroupBy,
  type RevenueQuery,
  type RevenueReport,
  revenueWindow,
} from "../../domain/analytics/revenue.ts";
import type { Clock } from "../../ports/clock.ts";
import type { RevenueReports } from "../../ports/ordering/orders.ts";

export const TOP_PRODUCTS = 10;

/**
 * The revenue report for [from, to); a missing `to` is now, a missing `from` 30 days before
 * `to`. Answers the window it covered along with the figures.
 */
export async function revenueReport(
  deps: { revenue: RevenueReports; clock: Clock },
  input: { from?: Date; to?: Date; groupBy: GroupBy },
): Promise<{ query: RevenueQuery; report: RevenueReport }> {
  const query = revenueWindow(input, deps.clock.now());
  return { query, report: await deps.revenue.revenue(query, TOP_PRODUCTS) };
}

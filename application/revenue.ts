import type { RevenueQuery, RevenueReport } from "../domain/analytics/revenue.ts";
import type { RevenueReports } from "../ports/orders.ts";

export const TOP_PRODUCTS = 10;

export function revenueReport(
  deps: { revenue: RevenueReports },
  query: RevenueQuery,
): Promise<RevenueReport> {
  return deps.revenue.revenue(query, TOP_PRODUCTS);
}

/** The analytics use cases (leaderboards and revenue), bound to their ports. */
import type { RevenueQuery } from "../../domain/analytics/revenue.ts";
import type { Ports } from "../use_case_ports.ts";
import * as leaderboards from "./leaderboards.ts";
import { revenueReport } from "./revenue.ts";

export function bindAnalytics(p: Ports) {
  const boardDeps = { ...p };
  return {
    topProducts: (input: { limit: number; day?: string }) =>
      leaderboards.topProducts(boardDeps, input),
    topCustomers: (input: { limit: number }) => leaderboards.topCustomers(boardDeps, input),
    customerRank: (userId: string) => leaderboards.customerRank(p, userId),
    revenueReport: (query: Omit<RevenueQuery, "from" | "to"> & Partial<RevenueQuery>) =>
      revenueReport(p, query),
  };
}

/** Daily best sellers and the loyalty leaderboard. */
import { Hono } from "hono";
import { dayKey } from "../../domain/analytics/revenue.ts";
import type { UseCases } from "../../application/use_cases.ts";
import { type AppEnv, route } from "./_route.ts";
import {
  CustomerLeaderboard,
  CustomerLeaderboardQuery,
  ProductLeaderboard,
  ProductLeaderboardQuery,
} from "./schemas/leaderboards.ts";

const products = route({
  tag: "Leaderboards",
  summary: "Best-selling products of a UTC day, by units",
  access: "public",
  query: ProductLeaderboardQuery,
  success: { status: 200, description: "Ranked products.", schema: ProductLeaderboard },
  problems: ["dependency_unavailable"],
});

const customers = route({
  tag: "Leaderboards",
  summary: "Customers by loyalty points",
  access: "public",
  query: CustomerLeaderboardQuery,
  success: { status: 200, description: "Ranked customers.", schema: CustomerLeaderboard },
  problems: ["dependency_unavailable"],
});

export function leaderboardsRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .get("/products", products.guard, async (c) => {
      const { period, day, limit } = products.query(c);
      const resolvedDay = day ?? dayKey(useCases.clock.now());
      const items = await useCases.topProducts({ limit, day: resolvedDay });
      return c.json({
        period,
        day: resolvedDay,
        items: items.map((i) => ({ sku: i.sku, name: i.name, score: i.score, rank: i.rank })),
      }, 200);
    })
    .get("/customers", customers.guard, async (c) => {
      const { limit } = customers.query(c);
      const items = await useCases.topCustomers({ limit });
      return c.json({
        items: items.map((i) => ({
          displayName: i.displayName,
          score: i.score,
          rank: i.rank,
        })),
      }, 200);
    });
}

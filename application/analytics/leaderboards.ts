import { dayKey } from "../../domain/analytics/revenue.ts";
import type { Product } from "../../domain/catalog/product.ts";
import { isPublished } from "../../domain/catalog/publication.ts";
import type { Catalog } from "../../ports/catalog/catalog.ts";
import type { Clock } from "../../ports/clock.ts";
import type { Leaderboards } from "../../ports/analytics/leaderboards.ts";
import type { Logger } from "../../ports/logger.ts";
import type { UserStore } from "../../ports/identity/users.ts";

export interface LeaderboardDeps {
  readonly leaderboards: Leaderboards;
  readonly catalog: Catalog;
  readonly users: UserStore;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface ProductStanding {
  readonly sku: string;
  readonly name: string | null;
  readonly score: number;
  readonly rank: number;
}

export interface CustomerStanding {
  readonly userId: string;
  readonly displayName: string | null;
  readonly score: number;
  readonly rank: number;
}

/**
 * Today's (UTC) best sellers by units, with names from the catalog when it answers. Products
 * the catalog holds as draft or scheduled at the clock's now are left out and the others
 * ranked again by position; when the catalog does not answer, nothing can be told apart and
 * every SKU shows, without names. Asks the board for some more than `limit` so hidden ones
 * rarely shorten the list.
 */
export async function topProducts(
  deps: LeaderboardDeps,
  input: { limit: number; day?: string },
): Promise<ProductStanding[]> {
  const now = deps.clock.now();
  const ranked = await deps.leaderboards.topProducts(
    input.day ?? dayKey(now),
    input.limit * 2 + 10,
  );
  let products = new Map<string, Product>();
  try {
    products = new Map(
      (await deps.catalog.getMany(ranked.map((r) => r.id))).map((p) => [p.sku, p]),
    );
  } catch (error) {
    deps.logger.warn("catalog unavailable for leaderboard names", { error: String(error) });
  }
  return ranked.filter((r) => {
    const product = products.get(r.id);
    return !product || isPublished(product.publishedAt, now);
  }).slice(0, input.limit).map((r, i) => ({
    sku: r.id,
    name: products.get(r.id)?.name ?? null,
    score: r.score,
    rank: i + 1,
  }));
}

export async function topCustomers(
  deps: LeaderboardDeps,
  input: { limit: number },
): Promise<CustomerStanding[]> {
  const ranked = await deps.leaderboards.topCustomers(input.limit);
  const users = new Map(
    (await deps.users.getMany(ranked.map((r) => r.id))).map((u) => [u.id, u]),
  );
  return ranked.map((r) => ({
    userId: r.id,
    displayName: users.get(r.id)?.displayName ?? null,
    ...pick(r),
  }));
}

/** A customer with no points yet has no rank. */
export async function customerRank(
  deps: Pick<LeaderboardDeps, "leaderboards">,
  userId: string,
): Promise<{ rank: number | null; score: number }> {
  const ranked = await deps.leaderboards.customerRank(userId);
  return ranked ? pick(ranked) : { rank: null, score: 0 };
}

function pick(r: { score: number; rank: number }): { score: number; rank: number } {
  return { score: r.score, rank: r.rank };
}

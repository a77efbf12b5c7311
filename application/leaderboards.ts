import { dayKey } from "../domain/analytics/revenue.ts";
import type { Catalog } from "../ports/catalog.ts";
import type { Clock } from "../ports/clock.ts";
import type { Leaderboards } from "../ports/leaderboards.ts";
import type { Logger } from "../ports/logger.ts";
import type { UserStore } from "../ports/users.ts";

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

/** Today's (UTC) best sellers by units, with names from the catalog when it answers. */
export async function topProducts(
  deps: LeaderboardDeps,
  input: { limit: number; day?: string },
): Promise<ProductStanding[]> {
  const ranked = await deps.leaderboards.topProducts(
    input.day ?? dayKey(deps.clock.now()),
    input.limit,
  );
  let names = new Map<string, string>();
  try {
    names = new Map(
      (await deps.catalog.getMany(ranked.map((r) => r.id))).map((p) => [p.sku, p.name]),
    );
  } catch (error) {
    deps.logger.warn("catalog unavailable for leaderboard names", { error: String(error) });
  }
  return ranked.map((r) => ({ sku: r.id, name: names.get(r.id) ?? null, ...pick(r) }));
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

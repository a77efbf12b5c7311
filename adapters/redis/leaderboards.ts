import type { Leaderboards, Ranked } from "../../ports/analytics/leaderboards.ts";
import { attempt, DEFAULT_PREFIX, type RedisClient, replies } from "./_redis.ts";

export interface RedisLeaderboardsOptions {
  /** Boards live at `<prefix>board:products:<day>` and `<prefix>board:customers`. */
  readonly prefix?: string;
  /** How long a day's product board lives after its last increment. Default 35 days. */
  readonly productBoardTtlMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Leaderboards as Redis sorted sets: one per UTC day for units sold (with a TTL), one for
 * customer loyalty points (kept).
 *
 * Scores are stored negated. The port orders by score descending and equal scores by id
 * ascending; ZREVRANGE/ZREVRANK break ties by member descending instead. With negated scores,
 * ZRANGE/ZRANK give exactly the port's order, for listings and ranks alike, at the same cost
 * (ZINCRBY by -n, ZRANGE 0 N-1 WITHSCORES, ZRANK).
 */
export class RedisLeaderboards implements Leaderboards {
  readonly #prefix: string;
  readonly #productTtlMs: number;

  constructor(private readonly redis: RedisClient, options: RedisLeaderboardsOptions = {}) {
    this.#prefix = `${options.prefix ?? DEFAULT_PREFIX}board:`;
    this.#productTtlMs = options.productBoardTtlMs ?? 35 * DAY_MS;
  }

  addProductUnits(day: string, units: readonly { sku: string; units: number }[]): Promise<void> {
    if (units.length === 0) return Promise.resolve();
    const key = this.#products(day);
    return attempt(this.redis, async () => {
      const multi = this.redis.multi();
      for (const { sku, units: n } of units) multi.zincrby(key, -n, sku);
      replies(await multi.pexpire(key, this.#productTtlMs).exec());
    });
  }

  addCustomerPoints(userId: string, points: number): Promise<void> {
    return attempt(this.redis, async () => {
      await this.redis.zincrby(this.#customers(), -points, userId);
    });
  }

  topProducts(day: string, limit: number): Promise<Ranked[]> {
    return this.#top(this.#products(day), limit);
  }

  topCustomers(limit: number): Promise<Ranked[]> {
    return this.#top(this.#customers(), limit);
  }

  customerRank(userId: string): Promise<Ranked | null> {
    const key = this.#customers();
    return attempt(this.redis, async () => {
      const [rank, score] = replies(
        await this.redis.multi().zrank(key, userId).zscore(key, userId).exec(),
      );
      if (rank === null || score === null) return null;
      return { id: userId, score: unNegate(score), rank: Number(rank) + 1 };
    });
  }

  #top(key: string, limit: number): Promise<Ranked[]> {
    if (limit <= 0) return Promise.resolve([]);
    return attempt(this.redis, async () => {
      const flat = await this.redis.zrange(key, 0, limit - 1, "WITHSCORES");
      const ranked: Ranked[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        ranked.push({ id: flat[i], score: unNegate(flat[i + 1]), rank: ranked.length + 1 });
      }
      return ranked;
    });
  }

  #products(day: string): string {
    return `${this.#prefix}products:${day}`;
  }

  #customers(): string {
    return `${this.#prefix}customers`;
  }
}

/** `0 - x`, not `-x`: a score of 0 must not come back as -0. */
function unNegate(stored: unknown): number {
  return 0 - Number(stored);
}

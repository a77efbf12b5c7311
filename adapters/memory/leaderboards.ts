import type { Leaderboards, Ranked } from "../../ports/analytics/leaderboards.ts";
import type { Outage } from "./outage.ts";

export interface MemoryLeaderboardsOptions {
  /** While `outage.down`, every call throws `DependencyUnavailable("redis")`. */
  readonly outage?: Outage;
}

type Board = Map<string, number>;

/** Score descending, then id ascending: the one order for listings and ranks. */
function compareEntries([aId, aScore]: [string, number], [bId, bScore]: [string, number]): number {
  return bScore - aScore || (aId < bId ? -1 : aId > bId ? 1 : 0);
}

function ranked(board: Board | undefined, limit: number): Ranked[] {
  if (!board || limit <= 0) return [];
  return [...board].sort(compareEntries).slice(0, limit)
    .map(([id, score], i) => ({ id, score, rank: i + 1 }));
}

/**
 * Leaderboards in memory: units sold per SKU per day and loyalty points per customer, like
 * Redis sorted sets incremented with ZINCRBY. Ranks are 1-based; equal scores rank by id.
 */
export class MemoryLeaderboards implements Leaderboards {
  readonly #productsByDay = new Map<string, Board>();
  readonly #customers: Board = new Map();
  readonly #outage?: Outage;

  constructor(options: MemoryLeaderboardsOptions = {}) {
    this.#outage = options.outage;
  }

  addProductUnits(day: string, units: readonly { sku: string; units: number }[]): Promise<void> {
    return this.#run(() => {
      if (units.length === 0) return;
      const board = this.#productsByDay.get(day) ?? new Map();
      for (const { sku, units: n } of units) board.set(sku, (board.get(sku) ?? 0) + n);
      this.#productsByDay.set(day, board);
    });
  }

  addCustomerPoints(userId: string, points: number): Promise<void> {
    return this.#run(() => {
      this.#customers.set(userId, (this.#customers.get(userId) ?? 0) + points);
    });
  }

  topProducts(day: string, limit: number): Promise<Ranked[]> {
    return this.#run(() => ranked(this.#productsByDay.get(day), limit));
  }

  topCustomers(limit: number): Promise<Ranked[]> {
    return this.#run(() => ranked(this.#customers, limit));
  }

  customerRank(userId: string): Promise<Ranked | null> {
    return this.#run(() => {
      const score = this.#customers.get(userId);
      if (score === undefined) return null;
      let ahead = 0;
      for (const entry of this.#customers) {
        if (compareEntries(entry, [userId, score]) < 0) ahead += 1;
      }
      return { id: userId, score, rank: ahead + 1 };
    });
  }

  #run<T>(operation: () => T): Promise<T> {
    try {
      this.#outage?.check("redis");
      return Promise.resolve(operation());
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

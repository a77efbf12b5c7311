export interface Ranked {
  readonly id: string;
  readonly score: number;
  readonly rank: number; // 1 = best
}

/** Daily best sellers and loyalty points (Redis sorted sets in production). */
export interface Leaderboards {
  addProductUnits(day: string, units: readonly { sku: string; units: number }[]): Promise<void>;
  addCustomerPoints(userId: string, points: number): Promise<void>;
  topProducts(day: string, limit: number): Promise<Ranked[]>;
  topCustomers(limit: number): Promise<Ranked[]>;
  customerRank(userId: string): Promise<Ranked | null>;
}

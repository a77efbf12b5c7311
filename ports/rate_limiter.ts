export interface RateDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Milliseconds until the oldest counted request leaves the window. */
  readonly resetMs: number;
}

/**
 * Sliding-window limiter (Redis in production): a request is allowed when fewer than
 * `limit` allowed requests fall in the last `windowMs`. Each call counts once, even when
 * several arrive in the same millisecond. Adapters throw `DependencyUnavailable` when down.
 */
export interface RateLimiter {
  hit(key: string, limit: number, windowMs: number, now: Date): Promise<RateDecision>;
}

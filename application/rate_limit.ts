import { DependencyUnavailable } from "../domain/errors.ts";
import type { Clock } from "../ports/clock.ts";
import type { Logger } from "../ports/logger.ts";
import type { RateDecision, RateLimiter } from "../ports/rate_limiter.ts";

export interface RateLimitPolicy {
  readonly limit: number;
  readonly windowMs: number;
}

/** Counts the requests let through because the limiter's store was down. */
export class FailOpenCounter {
  count = 0;
}

export interface RateLimitDeps {
  readonly limiter: RateLimiter;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly failOpen: FailOpenCounter;
}

/**
 * One hit against the key's sliding window. When the limiter's store is down the request is
 * let through (fail open) with a warning and a counter: an outage of Redis must not take the
 * shop down with it.
 */
export async function checkRateLimit(
  deps: RateLimitDeps,
  key: string,
  policy: RateLimitPolicy,
): Promise<RateDecision & { degraded: boolean }> {
  try {
    const decision = await deps.limiter.hit(key, policy.limit, policy.windowMs, deps.clock.now());
    return { ...decision, degraded: false };
  } catch (error) {
    if (!(error instanceof DependencyUnavailable)) throw error;
    deps.failOpen.count++;
    deps.logger.warn("rate limiter unavailable; allowing the request", {
      failOpenTotal: deps.failOpen.count,
    });
    return {
      allowed: true,
      limit: policy.limit,
      remaining: policy.limit,
      resetMs: policy.windowMs,
      degraded: true,
    };
  }
}

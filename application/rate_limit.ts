import { DependencyUnavailable } from "../domain/errors.ts";
import type { Clock } from "../ports/clock.ts";
import type { Logger } from "../ports/logger.ts";
import type { RateDecision, RateLimiter } from "../ports/rate_limiter.ts";

export interface RateLimitPolicy {
  readonly limit: number;
  readonly windowMs: number;
}

/**
 * Counts the requests let through because the limiter's store was down, and throttles their
 * warning: under load every request fails open, and one line each would bury the log (and the
 * error that matters) under thousands a second.
 */
export class FailOpenCounter {
  count = 0;
  /** When the last warning was written (ms), and the fail-opens since that were not logged. */
  private lastWarnAt = -Infinity;
  private suppressed = 0;

  constructor(readonly warnEveryMs = 1_000) {}

  /** Counts one; returns how many went unlogged before it when a warning is due, else null. */
  record(nowMs: number): number | null {
    this.count++;
    if (nowMs - this.lastWarnAt < this.warnEveryMs) {
      this.suppressed++;
      return null;
    }
    const suppressed = this.suppressed;
    this.lastWarnAt = nowMs;
    this.suppressed = 0;
    return suppressed;
  }
}

export interface RateLimitDeps {
  readonly limiter: RateLimiter;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly failOpen: FailOpenCounter;
}

/**
 * One hit against the key's sliding window. When the limiter's store is down the request is
 * let through (fail open) with a counter and a warning (at most one a second, naming how many
 * were not logged since the last one): an outage of Redis must not take the
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
    const suppressed = deps.failOpen.record(deps.clock.now().getTime());
    if (suppressed !== null) {
      deps.logger.warn("rate limiter unavailable; allowing the request", {
        failOpenTotal: deps.failOpen.count,
        suppressedSinceLastWarning: suppressed,
      });
    }
    return {
      allowed: true,
      limit: policy.limit,
      remaining: policy.limit,
      resetMs: policy.windowMs,
      degraded: true,
    };
  }
}

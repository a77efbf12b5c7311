import type { RateDecision, RateLimiter } from "../../ports/rate_limiter.ts";
import type { Outage } from "./outage.ts";

export interface MemoryRateLimiterOptions {
  /** While `outage.down`, every call throws `DependencyUnavailable("redis")`. */
  readonly outage?: Outage;
}

interface Log {
  readonly times: number[];
  /** After this instant every logged request has left its window (the Redis key's PEXPIRE). */
  expiresAtMs: number;
}

const SWEEP_EVERY = 1_000;

/**
 * Sliding-window log in memory, the same algorithm as the Redis sorted-set script: a request
 * at `now` first forgets logged requests at or before `now - windowMs`, then counts the rest;
 * it is allowed (and logged at `now`) when fewer than `limit` are counted. Denied requests
 * are not logged. `resetMs` is the time until the oldest counted request leaves the window.
 * Each call runs without yielding, so concurrent hits are counted exactly. Idle keys are
 * swept now and then, as key expiry would drop them in Redis.
 */
export class MemoryRateLimiter implements RateLimiter {
  readonly #logs = new Map<string, Log>();
  readonly #outage?: Outage;
  #hits = 0;

  constructor(options: MemoryRateLimiterOptions = {}) {
    this.#outage = options.outage;
  }

  hit(key: string, limit: number, windowMs: number, now: Date): Promise<RateDecision> {
    try {
      this.#outage?.check("redis");
    } catch (error) {
      return Promise.reject(error);
    }
    const nowMs = now.getTime();
    this.#sweep(nowMs);
    const times = (this.#logs.get(key)?.times ?? []).filter((t) => t > nowMs - windowMs);
    const allowed = times.length < limit;
    if (allowed) times.push(nowMs);
    const oldest = times.reduce((min, t) => Math.min(min, t), Infinity);
    if (times.length === 0) this.#logs.delete(key);
    else this.#logs.set(key, { times, expiresAtMs: nowMs + windowMs });
    return Promise.resolve({
      allowed,
      limit,
      remaining: Math.max(0, limit - times.length),
      resetMs: times.length === 0 ? 0 : Math.max(0, oldest + windowMs - nowMs),
    });
  }

  #sweep(nowMs: number): void {
    this.#hits += 1;
    if (this.#hits % SWEEP_EVERY !== 0) return;
    for (const [key, log] of this.#logs) {
      if (log.expiresAtMs <= nowMs) this.#logs.delete(key);
    }
  }
}

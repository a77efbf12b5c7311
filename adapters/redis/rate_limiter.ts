import type { RateDecision, RateLimiter } from "../../ports/rate_limiter.ts";
import { attempt, DEFAULT_PREFIX, LuaScript, type RedisClient } from "./_redis.ts";

export interface RedisRateLimiterOptions {
  /** The log of key `k` is the sorted set `<prefix>rate:<k>`. */
  readonly prefix?: string;
}

/**
 * Sliding-window log, atomically in one script: forget hits at or before now - window, count
 * the rest, log this hit (score = its time, member unique even within one millisecond) only
 * when under the limit, and keep the key alive one window past its newest hit.
 * KEYS[1] log; ARGV now (ms), window (ms), limit, member. Returns {allowed, count, resetMs}.
 */
const SLIDING_WINDOW = new LuaScript(`
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local allowed = 0
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
  count = count + 1
  allowed = 1
end
local reset = 0
if count > 0 then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  reset = tonumber(oldest[2]) + window - now
  if reset < 0 then reset = 0 end
end
return {allowed, count, reset}
`);

/**
 * The rate limiter on Redis: one EVALSHA per hit (sent as EVAL when the server answers
 * NOSCRIPT). Times come from the caller's clock, so every instance agrees on the window.
 * Throws `DependencyUnavailable("redis")` when Redis is unreachable; the caller fails open.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly #prefix: string;

  constructor(private readonly redis: RedisClient, options: RedisRateLimiterOptions = {}) {
    this.#prefix = `${options.prefix ?? DEFAULT_PREFIX}rate:`;
  }

  hit(key: string, limit: number, windowMs: number, now: Date): Promise<RateDecision> {
    return attempt(this.redis, async () => {
      const at = now.getTime();
      const member = `${at}:${crypto.randomUUID()}`;
      const reply = await SLIDING_WINDOW.run(
        this.redis,
        [this.#prefix + key],
        [at, windowMs, limit, member],
      ) as [number, number, number];
      const [allowed, count, reset] = reply.map(Number);
      return {
        allowed: allowed === 1,
        limit,
        remaining: Math.max(0, limit - count),
        resetMs: Math.max(0, reset),
      };
    });
  }
}

import type { RateDecision, RateLimiter } from "../../ports/rate_limiter.ts";
import { attempt, DEFAULT_PREFIX, LuaScript, type RedisClient } from "./_redis.ts";

export interface RedisRateLimiterOptions {
  /** The log of key `k` is the sorted set `<prefix>rate:<k>`. */
  readonly prefix?: string;
}

/**
 * The sliding-window log, atomically in one script, for one hit or a batch claimed at once:
 * first forget the unspent members of this key's previous claim (`<releasedId>:0` ..
 * `<releasedId>:<released - 1>`), then forget hits at or before now - window, count the rest,
 * log `min(wanted, limit - count)` members `<id>:<i>` at now (none when full) and keep the key
 * alive one window past its newest hit; `resetMs` is when the oldest counted hit leaves.
 * KEYS[1] log; ARGV now, window, limit, wanted, id, released, releasedId.
 * Returns {granted, count, resetMs}, count including the granted members.
 */
const CLAIM = new LuaScript(`
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local wanted = tonumber(ARGV[4])
local released = tonumber(ARGV[6])
if released > 0 then
  local members = {}
  for i = 0, released - 1 do members[i + 1] = ARGV[7] .. ':' .. i end
  redis.call('ZREM', KEYS[1], unpack(members))
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local granted = math.max(0, math.min(wanted, limit - count))
if granted > 0 then
  local entries = {}
  for i = 0, granted - 1 do
    entries[2 * i + 1] = now
    entries[2 * i + 2] = ARGV[5] .. ':' .. i
  end
  redis.call('ZADD', KEYS[1], unpack(entries))
  redis.call('PEXPIRE', KEYS[1], window)
  count = count + granted
end
local reset = 0
if count > 0 then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  reset = tonumber(oldest[2]) + window - now
  if reset < 0 then reset = 0 end
end
return {granted, count, reset}
`);

/** The most a claim may ask for: Lua's `unpack` takes a few thousand values at most. */
export const MAX_CLAIM = 1_000;

/** Hits logged at once for later use: members `<claimId>:0` .. `<claimId>:<granted - 1>`. */
export interface RateClaim {
  readonly claimId: string;
  readonly granted: number;
  /** Counted hits in the window, the granted ones included. */
  readonly count: number;
  /** Milliseconds until the oldest counted hit leaves the window. */
  readonly resetMs: number;
}

/** The unspent end of an earlier claim on the same key: members `<claimId>:0` .. `:<unspent - 1>`. */
export interface RateRelease {
  readonly claimId: string;
  readonly unspent: number;
}

/** Claims batches of hits on a shared sliding window (the Redis limiter's second method). */
export interface RateClaimer {
  claim(
    key: string,
    limit: number,
    windowMs: number,
    now: Date,
    wanted: number,
    release?: RateRelease,
  ): Promise<RateClaim>;
}

/**
 * The rate limiter on Redis: one EVALSHA per hit (sent as EVAL when the server answers
 * NOSCRIPT). Times come from the caller's clock, so every instance agrees on the window.
 * Throws `DependencyUnavailable("redis")` when Redis is unreachable; the caller fails open.
 */
export class RedisRateLimiter implements RateLimiter, RateClaimer {
  readonly #prefix: string;

  constructor(private readonly redis: RedisClient, options: RedisRateLimiterOptions = {}) {
    this.#prefix = `${options.prefix ?? DEFAULT_PREFIX}rate:`;
  }

  /** One hit is a claim of one, logged as `<now>:<uuid>:0`. */
  async hit(key: string, limit: number, windowMs: number, now: Date): Promise<RateDecision> {
    const claimId = `${now.getTime()}:${crypto.randomUUID()}`;
    const { granted, count, resetMs } = await this.#claim(key, limit, windowMs, now, 1, claimId);
    return {
      allowed: granted === 1,
      limit,
      remaining: Math.max(0, limit - count),
      resetMs,
    };
  }

  /**
   * Logs up to `wanted` hits at `now` in one round trip (fewer near the limit, none when full),
   * first returning `release`'s unspent members to the window.
   */
  claim(
    key: string,
    limit: number,
    windowMs: number,
    now: Date,
    wanted: number,
    release?: RateRelease,
  ): Promise<RateClaim> {
    if (!Number.isInteger(wanted) || wanted < 1 || wanted > MAX_CLAIM) {
      return Promise.reject(new RangeError(`a claim wants 1 to ${MAX_CLAIM} hits, not ${wanted}`));
    }
    return this.#claim(key, limit, windowMs, now, wanted, crypto.randomUUID(), release);
  }

  #claim(
    key: string,
    limit: number,
    windowMs: number,
    now: Date,
    wanted: number,
    claimId: string,
    release?: RateRelease,
  ): Promise<RateClaim> {
    const unspent = release ? Math.min(release.unspent, MAX_CLAIM) : 0;
    return attempt(this.redis, async () => {
      const reply = await CLAIM.run(
        this.redis,
        [this.#prefix + key],
        [now.getTime(), windowMs, limit, wanted, claimId, unspent, release?.claimId ?? ""],
      ) as [number, number, number];
      const [granted, count, reset] = reply.map(Number);
      return { claimId, granted, count, resetMs: Math.max(0, reset) };
    });
  }
}

import type { RateDecision, RateLimiter } from "../../ports/rate_limiter.ts";
import { attempt, DEFAULT_PREFIX, LuaScript, type RedisClient } from "./_redis.ts";

export interface RedisRateLimiterOptions {
  /** The log of key `k` is the sorted set `<prefix>rate:<k>`. */
  readonly prefix?: string;
}

/** Lua shared by both scripts: `reset`, the ms until the oldest counted hit leaves the window. */
const RESET_MS = `local reset = 0
if count > 0 then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  reset = tonumber(oldest[2]) + window - now
  if reset < 0 then reset = 0 end
end
`;

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
${RESET_MS}return {allowed, count, reset}
`);

/**
 * A batch of hits claimed at once on the same sliding-window log: first forget the unspent
 * members of this key's previous claim (`<releasedId>:0` .. `<releasedId>:<released - 1>`),
 * then forget hits at or before now - window, count the rest and log
 * `min(wanted, limit - count)` members `<id>:<i>` at now (none when full).
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
${RESET_MS}return {granted, count, reset}
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
    const unspent = release ? Math.min(release.unspent, MAX_CLAIM) : 0;
    return attempt(this.redis, async () => {
      const claimId = crypto.randomUUID();
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

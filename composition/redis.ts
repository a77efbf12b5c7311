/**
 * Redis: what may be lost (carts, caches, the rate limiter, leaderboards), on one server or a
 * cluster, with the memory stand-ins when neither REDIS_URL nor REDIS_CLUSTER_NODES is set.
 */
import type { Config } from "../config.ts";
import type { Ports } from "../application/use_cases.ts";
import type { Clock } from "../ports/clock.ts";
import type { SessionStore, UserStore } from "../ports/identity/users.ts";
import { MemoryCartStore } from "../adapters/memory/carts.ts";
import { MemoryLeaderboards } from "../adapters/memory/leaderboards.ts";
import { MemoryProductCache } from "../adapters/memory/product_cache.ts";
import { MemoryRateLimiter } from "../adapters/memory/rate_limiter.ts";
import {
  closeRedis,
  connectRedis,
  connectRedisCluster,
  RedisHealthCheck,
  waitUntilReady,
} from "../adapters/redis/connect.ts";
import { RedisCartStore } from "../adapters/redis/carts.ts";
import { RedisLeaderboards } from "../adapters/redis/leaderboards.ts";
import { RedisProductCache } from "../adapters/redis/product_cache.ts";
import { RedisAvailabilityCache } from "../adapters/redis/availability_cache.ts";
import { RedisRateLimiter } from "../adapters/redis/rate_limiter.ts";
import { LocalAllowanceRateLimiter } from "../adapters/redis/rate_allowance.ts";
import { nearCache, nearSessions } from "../adapters/redis/near_cache_wiring.ts";
import type { Closer, Contribution } from "./contribution.ts";

/**
 * The ports Redis (or its stand-in) serves. Users and sessions stay PostgreSQL's: they come back
 * with the session near cache in front when its invalidations can travel over Redis.
 */
export type RedisPorts = Pick<
  Ports,
  "cache" | "availability" | "carts" | "limiter" | "leaderboards" | "users" | "sessions"
>;

export async function redisWiring(
  config: Config,
  clock: Clock,
  identity: { readonly users: UserStore; readonly sessions: SessionStore },
): Promise<Contribution<RedisPorts>> {
  if (!config.REDIS_URL && !config.REDIS_CLUSTER_NODES) {
    const ports = {
      cache: new MemoryProductCache(clock),
      carts: new MemoryCartStore(clock),
      limiter: new MemoryRateLimiter(),
      leaderboards: new MemoryLeaderboards(),
      ...identity,
    };
    return {
      ports,
      feeds: [],
      health: [],
      closers: [],
      adapters: { redisStandIn: "memory: carts, product cache, rate limiter, leaderboards" },
    };
  }
  // One server or a cluster: the same adapters, only the client differs.
  const redis = config.REDIS_CLUSTER_NODES
    ? connectRedisCluster(config.REDIS_CLUSTER_NODES)
    : connectRedis(config.REDIS_URL!);
  const closers: Closer[] = [() => closeRedis(redis)];
  // The cluster client fails fast until it knows the slot map; start with it when it can.
  if (config.REDIS_CLUSTER_NODES) await waitUntilReady(redis, 2_000);
  const prefix = { prefix: config.REDIS_PREFIX };
  const ports = {
    // The near caches add their own closers after the client's.
    cache: nearCache(config, redis, new RedisProductCache(redis, prefix), closers),
    availability: new RedisAvailabilityCache(redis, prefix),
    carts: new RedisCartStore(redis, prefix),
    // Hot keys spend batches claimed from Redis instead of a round trip per request.
    limiter: new LocalAllowanceRateLimiter(new RedisRateLimiter(redis, prefix), {
      maxBatch: config.RATE_LIMIT_BATCH_MAX,
    }),
    leaderboards: new RedisLeaderboards(redis, prefix),
    ...nearSessions(config, redis, identity, closers),
  };
  return {
    ports,
    feeds: [],
    health: [new RedisHealthCheck(redis)],
    closers,
    adapters: {
      redis: `carts, product cache, availability cache, rate limiter, leaderboards${
        ports.sessions === identity.sessions ? "" : ", session cache"
      }${config.REDIS_CLUSTER_NODES ? " (cluster)" : ""}`,
    },
  };
}

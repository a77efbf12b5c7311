import { Redis } from "ioredis";
import type { ProductCache } from "../../ports/catalog/product_cache.ts";
import { attempt, type RedisClient } from "./_redis.ts";
import {
  invalidationChannel,
  listenForInvalidations,
  NearProductCache,
} from "./near_product_cache.ts";

/**
 * The product cache the composition root hands out: `shared` (Redis) behind a
 * `NearProductCache` fed by a subscriber connection of its own, when PRODUCT_NEAR_CACHE_MS
 * is above 0 and Redis is a single server (on a cluster the shared cache is used alone).
 * Pushes the subscriber's closing onto `closers`.
 */
export function nearCache(
  config: {
    readonly PRODUCT_NEAR_CACHE_MS: number;
    readonly PRODUCT_NEAR_CACHE_ENTRIES: number;
    readonly REDIS_PREFIX: string;
  },
  redis: RedisClient,
  shared: ProductCache,
  closers: (() => Promise<unknown>)[],
): ProductCache {
  if (config.PRODUCT_NEAR_CACHE_MS === 0 || !(redis instanceof Redis)) return shared;
  const channel = invalidationChannel(config.REDIS_PREFIX);
  const near = new NearProductCache(shared, {
    ttlMs: config.PRODUCT_NEAR_CACHE_MS,
    maxEntries: config.PRODUCT_NEAR_CACHE_ENTRIES,
    publish: (sku) => attempt(redis, () => redis.publish(channel, sku)),
  });
  // A subscribed connection runs nothing else; it reconnects and subscribes again by itself.
  const subscriber = redis.duplicate({ lazyConnect: false });
  subscriber.on("error", () => {});
  const stop = listenForInvalidations(subscriber, channel, near);
  closers.push(stop);
  return near;
}

import { Redis } from "ioredis";
import type { ProductCache } from "../../ports/catalog/product_cache.ts";
import type { SessionStore, UserStore } from "../../ports/identity/users.ts";
import { attempt, type RedisClient } from "./_redis.ts";
import { listenForInvalidations, type LocalCopy } from "./_near_entries.ts";
import { invalidationChannel, NearProductCache } from "./near_product_cache.ts";
import {
  NearSessionStore,
  SessionDroppingUsers,
  sessionInvalidationChannel,
} from "./near_session_store.ts";

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
  subscribe(redis, channel, near, closers);
  return near;
}

/**
 * The user and session stores the composition root hands out: `identity` (PostgreSQL) with a
 * `NearSessionStore` in front of the sessions, told of every change to a user, when
 * SESSION_NEAR_CACHE_MS is above 0 and Redis is a single server; else `identity` unchanged.
 * Pushes the subscriber's closing onto `closers`.
 */
export function nearSessions(
  config: {
    readonly SESSION_NEAR_CACHE_MS: number;
    readonly SESSION_NEAR_CACHE_ENTRIES: number;
    readonly REDIS_PREFIX: string;
  },
  redis: RedisClient,
  identity: { readonly users: UserStore; readonly sessions: SessionStore },
  closers: (() => Promise<unknown>)[],
): { users: UserStore; sessions: SessionStore } {
  if (config.SESSION_NEAR_CACHE_MS === 0 || !(redis instanceof Redis)) return { ...identity };
  const channel = sessionInvalidationChannel(config.REDIS_PREFIX);
  const sessions = new NearSessionStore(identity.sessions, {
    ttlMs: config.SESSION_NEAR_CACHE_MS,
    maxEntries: config.SESSION_NEAR_CACHE_ENTRIES,
    publish: (message) => attempt(redis, () => redis.publish(channel, message)),
  });
  subscribe(redis, channel, sessions, closers);
  return { users: new SessionDroppingUsers(identity.users, sessions), sessions };
}

/** Feeds `copy` from `channel` over a connection of its own; its closing goes onto `closers`. */
function subscribe(
  redis: Redis,
  channel: string,
  copy: LocalCopy,
  closers: (() => Promise<unknown>)[],
): void {
  // A subscribed connection runs nothing else; it reconnects and subscribes again by itself.
  const subscriber = redis.duplicate({ lazyConnect: false });
  subscriber.on("error", () => {});
  closers.push(listenForInvalidations(subscriber, channel, copy));
}

import { Cluster, Redis } from "ioredis";
import type { HealthCheck } from "../../ports/health.ts";
import { attempt, type RedisClient } from "./_redis.ts";

export type { Cluster, Redis, RedisClient };

export interface RedisConnectOptions {
  /** A command without a reply after this long fails (and the adapter throws 503). Default 1000. */
  readonly commandTimeoutMs?: number;
  /** Give up opening a TCP connection after this long. Default 2000. */
  readonly connectTimeoutMs?: number;
  /**
   * Reconnect attempts a queued command waits through before it fails. Default 1: a command
   * sent while Redis is down fails within about one reconnect delay, never hangs.
   */
  readonly maxRetriesPerRequest?: number;
  /** Longest pause between reconnect attempts while Redis is down. Default 2000 ms. */
  readonly maxReconnectDelayMs?: number;
  /** Called on connection errors (ioredis emits them as events); default: ignore. */
  readonly onError?: (error: Error) => void;
}

/** One node of a Redis Cluster to discover the others from. */
export interface ClusterNode {
  readonly host: string;
  readonly port: number;
}

/**
 * One ioredis client for every Redis adapter. It connects lazily, on the first command, and
 * keeps reconnecting in the background with capped backoff while Redis is down; meanwhile each
 * command fails fast (`maxRetriesPerRequest`, `commandTimeout`), and the adapters turn that
 * into `DependencyUnavailable("redis")`. Close it with `closeRedis`.
 */
export function connectRedis(url: string, options: RedisConnectOptions = {}): Redis {
  const maxDelay = options.maxReconnectDelayMs ?? 2_000;
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 2_000,
    commandTimeout: options.commandTimeoutMs ?? 1_000,
    maxRetriesPerRequest: options.maxRetriesPerRequest ?? 1,
    retryStrategy: (times) => Math.min(50 * 2 ** times, maxDelay),
    // Commands wait for a connection being (re)opened, bounded by the two limits above.
    enableOfflineQueue: true,
  });
  // Without a listener ioredis prints every failed reconnect as an unhandled error event.
  redis.on("error", options.onError ?? (() => {}));
  return redis;
}

/**
 * ioredis' cluster client over the same adapters: it learns the slot map from any of `nodes`,
 * sends each command to the primary owning its key's slot (`scaleReads: "master"`: replicas lag,
 * and a cart must read its own writes), follows MOVED/ASK, and after a failover refreshes the
 * map and retries on the promoted replica (`retryDelayOnFailover`, up to `maxRedirections`);
 * it also refreshes the map every 2 s, which is what finds the new primary when the old one
 * hangs instead of dying.
 *
 * The offline queue is off: ioredis' cluster queue has no bound (a command sent while no node
 * answers would wait, then run late, after its caller got a 503), so a command sent before the
 * client is ready, or while it reconnects, fails at once with `DependencyUnavailable`.
 * `waitUntilReady` lets the composition root start with a ready client. Per-node commands keep
 * the single-node limits (`commandTimeout`, `connectTimeout`).
 */
export function connectRedisCluster(
  nodes: readonly ClusterNode[],
  options: RedisConnectOptions = {},
): Cluster {
  const maxDelay = options.maxReconnectDelayMs ?? 2_000;
  const cluster = new Cluster(nodes.map(({ host, port }) => ({ host, port })), {
    scaleReads: "master",
    enableOfflineQueue: false,
    clusterRetryStrategy: (times) => Math.min(50 * 2 ** times, maxDelay),
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    retryDelayOnTryAgain: 100,
    maxRedirections: 16,
    // A primary that hangs (no reset, only timeouts) never triggers a refresh of the slot map,
    // and ioredis 5 has no periodic refresh unless asked (its docs claim a 5 s default; the code
    // has none): without this, commands would time out on a hung primary long after its replica
    // took over.
    slotsRefreshInterval: 2_000,
    slotsRefreshTimeout: 1_000,
    redisOptions: {
      connectTimeout: options.connectTimeoutMs ?? 2_000,
      commandTimeout: options.commandTimeoutMs ?? 1_000,
      maxRetriesPerRequest: options.maxRetriesPerRequest ?? 1,
    },
  });
  const onError = options.onError ?? (() => {});
  cluster.on("error", onError);
  cluster.on("node error", onError);
  return cluster;
}

/**
 * Resolves once the client is ready, or after `withinMs` whatever its state (a Redis that is
 * down must not stop the process from starting: the adapters answer 503 until it is back).
 */
export function waitUntilReady(redis: RedisClient, withinMs: number): Promise<void> {
  if (redis.status === "ready") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off("ready", done);
      resolve();
    };
    const timer = setTimeout(done, withinMs);
    redis.once("ready", done);
    if (redis.status === "wait") redis.connect().catch(() => {});
  });
}

/** Sends QUIT when connected (so pending replies arrive first), otherwise just disconnects. */
export async function closeRedis(redis: RedisClient): Promise<void> {
  if (redis.status === "ready") {
    try {
      await redis.quit();
      return;
    } catch {
      // fall through
    }
  }
  redis.disconnect(false);
}

/** Readiness: PING. Not critical: the service keeps selling while Redis is down. */
export class RedisHealthCheck implements HealthCheck {
  readonly name = "redis";
  readonly critical = false;

  constructor(private readonly redis: RedisClient) {}

  async check(): Promise<void> {
    await attempt(this.redis, () => this.redis.ping());
  }
}

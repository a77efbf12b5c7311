import { Redis } from "ioredis";
import type { HealthCheck } from "../../ports/health.ts";
import { attempt } from "./_redis.ts";

export type { Redis };

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

/** Sends QUIT when connected (so pending replies arrive first), otherwise just disconnects. */
export async function closeRedis(redis: Redis): Promise<void> {
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

  constructor(private readonly redis: Redis) {}

  async check(): Promise<void> {
    await attempt(this.redis, () => this.redis.ping());
  }
}

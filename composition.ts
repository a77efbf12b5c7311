/**
 * The composition root: picks one adapter per port from the configuration (memory when a
 * server's URL is unset), says which, and knows how to close what it opened. `main.ts` (API),
 * `worker.ts` (search sync), `reindex.ts` and `seed.ts` share it. Each store's wiring (real
 * adapter or memory stand-in) lives in composition/<store>.ts; this file puts them together.
 */
import type { Config } from "./config.ts";
import type { Ports, Settings } from "./application/use_cases.ts";
import { type DutyLeaseSettings, holderId } from "./application/duties.ts";
import type { ChangeFeed } from "./ports/search/change_feed.ts";
import type { HealthCheck } from "./ports/health.ts";
import type { RetentionPolicy } from "./ports/housekeeping.ts";
import type { Logger } from "./ports/logger.ts";
import { memoryPorts } from "./adapters/memory/memory_ports.ts";
import { MemoryProcessedEvents } from "./adapters/memory/processed_events.ts";
import { ScryptPasswordHasher } from "./adapters/crypto/scrypt_password_hasher.ts";
import { SystemClock } from "./adapters/system/clock.ts";
import { RandomIds } from "./adapters/system/ids.ts";
import { JsonLogger } from "./adapters/system/logger.ts";
import type { Contribution } from "./composition/contribution.ts";
import { stripeWiring } from "./composition/stripe.ts";
import { postgresWiring } from "./composition/postgres.ts";
import { redisWiring } from "./composition/redis.ts";
import { mongoWiring } from "./composition/mongo.ts";
import { elasticsearchWiring } from "./composition/elasticsearch.ts";

export interface Runtime {
  readonly ports: Ports;
  /** Which adapter serves each port, for the startup log. */
  readonly adapters: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/** How long pruned rows stay, from the configuration. */
export function retentionOf(config: Config): RetentionPolicy {
  const hours = (n: number) => n * 3_600_000;
  return {
    outboxMs: hours(config.OUTBOX_RETENTION_HOURS),
    idempotencyMs: hours(config.IDEMPOTENCY_RETENTION_HOURS),
    sessionsMs: hours(config.SESSION_RETENTION_HOURS),
    parkedMs: hours(config.PARKED_RETENTION_HOURS),
  };
}

/** The lease every background duty runs under, from the configuration. */
export function dutyLeaseOf(config: Config): DutyLeaseSettings {
  return {
    ttlMs: config.DUTY_LEASE_TTL_MS,
    renewEveryMs: config.DUTY_LEASE_RENEW_MS,
    retryEveryMs: config.DUTY_RETRY_MS,
  };
}

/** This process's holder id for duty leases: host name, pid and a random nonce. */
export function instanceHolder(): string {
  let host = "localhost";
  try {
    host = Deno.hostname();
  } catch {
    // no --allow-sys: the pid and nonce still tell instances apart
  }
  return holderId(host, Deno.pid, crypto.randomUUID().slice(0, 8));
}

export function settingsOf(config: Config): Settings {
  return {
    orderTtlMs: config.ORDER_TTL_MINUTES * 60_000,
    maxPendingOrdersPerUser: config.MAX_PENDING_ORDERS_PER_USER,
    sessionTtlMs: config.SESSION_TTL_HOURS * 3_600_000,
    rateLimit: { limit: config.RATE_LIMIT_MAX, windowMs: config.RATE_LIMIT_WINDOW_S * 1000 },
    loginRateLimit: {
      limit: config.LOGIN_RATE_LIMIT_MAX,
      windowMs: config.LOGIN_RATE_LIMIT_WINDOW_S * 1000,
    },
    reviewsRequireApproval: config.REVIEWS_REQUIRE_APPROVAL,
    readReuseMs: config.READ_REUSE_MS,
  };
}

const always = { critical: false, check: () => Promise.resolve() };

export async function buildRuntime(
  config: Config,
  logger: Logger = new JsonLogger(),
): Promise<Runtime> {
  const stripe = stripeWiring(config);
  const base = {
    clock: new SystemClock(),
    ids: new RandomIds(),
    logger,
    hasher: new ScryptPasswordHasher(),
    ...stripe.ports,
  };
  const anyServer = config.DATABASE_URL || config.REDIS_URL || config.REDIS_CLUSTER_NODES ||
    config.MONGO_URL ||
    config.ELASTICSEARCH_URL;
  if (!anyServer) {
    const memory = await memoryPorts({
      ...base,
      seed: config.SEED,
      seedOrders: config.SEED,
      seedPurchases: true,
    });
    return {
      ports: {
        ...memory.ports,
        paymentEvents: base.paymentEvents,
        processedEvents: new MemoryProcessedEvents(),
      },
      adapters: { all: "memory", ...stripe.adapters },
      close: () => Promise.resolve(),
    };
  }

  // One wiring per store, in this order: the order of the feeds (the sync and the duties walk
  // them) and of the closers (closed in reverse) follows it.
  const postgres = await postgresWiring(config, base.clock, logger);
  const redis = await redisWiring(config, base.clock, {
    users: postgres.ports.users,
    sessions: postgres.ports.sessions,
  });
  const mongo = mongoWiring(config, base.clock);
  const elasticsearch = elasticsearchWiring(config);
  const stores: Contribution<unknown>[] = [stripe, postgres, redis, mongo, elasticsearch];
  const feeds: ChangeFeed[] = stores.flatMap((store) => store.feeds);
  const health: HealthCheck[] = stores.flatMap((store) => store.health);
  const closers = stores.flatMap((store) => store.closers);
  const adapters: Record<string, string> = Object.assign({}, ...stores.map((s) => s.adapters));

  if (health.length === 0) health.push({ name: "memory", ...always });
  const ports: Ports = {
    ...base,
    gateways: new Map(base.gateways.map((g) => [g.provider, g])),
    ...postgres.ports,
    ...redis.ports,
    ...mongo.ports,
    ...elasticsearch.ports,
    feeds,
    health,
  };
  return {
    ports,
    adapters,
    close: async () => {
      for (const close of closers.reverse()) {
        await close().catch((error) => logger.warn("close failed", { error: String(error) }));
      }
    },
  };
}

/**
 * The composition root: picks one adapter per port from the configuration (memory when a
 * server's URL is unset), says which, and knows how to close what it opened. `main.ts` (API),
 * `worker.ts` (search sync), `reindex.ts` and `seed.ts` share it.
 */
import type { Config } from "./config.ts";
import type { Ports, Settings } from "./application/use_cases.ts";
import { type DutyLeaseSettings, holderId } from "./application/duties.ts";
import type { ChangeFeed } from "./ports/search/change_feed.ts";
import type { HealthCheck } from "./ports/health.ts";
import type { RetentionPolicy } from "./ports/housekeeping.ts";
import type { Logger } from "./ports/logger.ts";
import { memoryPorts } from "./adapters/memory/memory_ports.ts";
import { MemoryCartStore } from "./adapters/memory/carts.ts";
import { MemoryCatalog } from "./adapters/memory/catalog.ts";
import { MemoryCategories } from "./adapters/memory/categories.ts";
import { MemoryReviews } from "./adapters/memory/reviews.ts";
import { MemoryChangeLog } from "./adapters/memory/change_feed.ts";
import { MemoryIdempotencyStore } from "./adapters/memory/idempotency_store.ts";
import { MemoryInventoryStore } from "./adapters/memory/inventory_store.ts";
import { MemoryLeaderboards } from "./adapters/memory/leaderboards.ts";
import { MemoryJobLog, MemoryLeases } from "./adapters/memory/leases.ts";
import { MemoryHousekeeping } from "./adapters/memory/housekeeping.ts";
import { MemoryOrderStore } from "./adapters/memory/order_store.ts";
import { MemoryProductCache } from "./adapters/memory/product_cache.ts";
import { MemoryRateLimiter } from "./adapters/memory/rate_limiter.ts";
import { MemorySearchIndex } from "./adapters/memory/search_index.ts";
import { MemorySyncStateStore } from "./adapters/memory/sync_state_store.ts";
import { MemorySessionStore, MemoryUserStore } from "./adapters/memory/users.ts";
import { MemoryAddressBook } from "./adapters/memory/address_book.ts";
import { MemoryShippingRates } from "./adapters/memory/shipping_rates.ts";
import { MemoryTaxRates } from "./adapters/memory/tax_rates.ts";
import { connectPostgres, PostgresHealthCheck } from "./adapters/postgres/connect.ts";
import { PostgresIdempotencyStore } from "./adapters/postgres/idempotency_store.ts";
import { PostgresJobLog, PostgresLeases } from "./adapters/postgres/leases.ts";
import { PostgresHousekeeping } from "./adapters/postgres/housekeeping.ts";
import { PostgresInventoryStore } from "./adapters/postgres/inventory_store.ts";
import { PostgresOrderStore } from "./adapters/postgres/order_store.ts";
import { PostgresOutboxFeed } from "./adapters/postgres/outbox_feed.ts";
import { PostgresSyncStateStore } from "./adapters/postgres/sync_state_store.ts";
import { PostgresSessionStore, PostgresUserStore } from "./adapters/postgres/users.ts";
import { PostgresAddressBook } from "./adapters/postgres/address_book.ts";
import { PostgresShippingRates } from "./adapters/postgres/shipping_rates.ts";
import { PostgresTaxRates } from "./adapters/postgres/tax_rates.ts";
import {
  closeRedis,
  connectRedis,
  connectRedisCluster,
  RedisHealthCheck,
  waitUntilReady,
} from "./adapters/redis/connect.ts";
import { RedisCartStore } from "./adapters/redis/carts.ts";
import { RedisLeaderboards } from "./adapters/redis/leaderboards.ts";
import { RedisProductCache } from "./adapters/redis/product_cache.ts";
import { RedisAvailabilityCache } from "./adapters/redis/availability_cache.ts";
import { RedisRateLimiter } from "./adapters/redis/rate_limiter.ts";
import { nearCache } from "./adapters/redis/near_cache_wiring.ts";
import { createMongoClient } from "./adapters/mongo/client.ts";
import { MongoCatalog } from "./adapters/mongo/catalog.ts";
import { MongoCategories } from "./adapters/mongo/categories.ts";
import { MongoReviews } from "./adapters/mongo/reviews.ts";
import { MongoVendors } from "./adapters/mongo/vendors.ts";
import { MemoryVendors } from "./adapters/memory/vendors.ts";
import { MemoryVendorIndex } from "./adapters/memory/vendor_index.ts";
import { ElasticsearchVendorIndex } from "./adapters/elasticsearch/vendor_index.ts";
import { MongoChangeFeed } from "./adapters/mongo/change_feed.ts";
import { MongoHealthCheck } from "./adapters/mongo/health.ts";
import { createElasticsearchClient } from "./adapters/elasticsearch/client.ts";
import { ElasticsearchSearchIndex } from "./adapters/elasticsearch/search_index.ts";
import { ElasticsearchHealthCheck } from "./adapters/elasticsearch/health.ts";
import { ScryptPasswordHasher } from "./adapters/crypto/scrypt_password_hasher.ts";
import { TestPaymentGateway } from "./adapters/payments/test_gateway.ts";
import { stripeClient, StripePaymentGateway } from "./adapters/payments/stripe_gateway.ts";
import { StripeEventSource } from "./adapters/payments/stripe_webhook.ts";
import { MemoryProcessedEvents } from "./adapters/memory/processed_events.ts";
import { PostgresProcessedEvents } from "./adapters/postgres/processed_events.ts";
import { MemoryRefundedCharges } from "./adapters/memory/refunded_charges.ts";
import { PostgresRefundedCharges } from "./adapters/postgres/refunded_charges.ts";
import { SystemClock } from "./adapters/system/clock.ts";
import { RandomIds } from "./adapters/system/ids.ts";
import { JsonLogger } from "./adapters/system/logger.ts";
import { migrate } from "./migrations/migrate.ts";
import { MemoryOrderIndex } from "./adapters/memory/order_index.ts";
import { MemoryCustomerDirectory, MemoryOrderRecords } from "./adapters/memory/order_records.ts";
import {
  PostgresCustomerDirectory,
  PostgresOrderRecords,
} from "./adapters/postgres/order_records.ts";
import { ElasticsearchOrderIndex } from "./adapters/elasticsearch/order_index.ts";

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
  };
}

const always = { critical: false, check: () => Promise.resolve() };

/**
 * The payment providers: the test provider always, Stripe only when STRIPE_SECRET_KEY is set,
 * and its webhook only with STRIPE_WEBHOOK_SECRET. The secrets go into the client and the
 * verifier, nowhere else (no log, response or outbox sees them).
 */
function stripePorts(config: Config) {
  if (!config.STRIPE_SECRET_KEY) {
    return { gateways: [new TestPaymentGateway()], paymentEvents: undefined };
  }
  const client = stripeClient({
    secretKey: config.STRIPE_SECRET_KEY,
    apiBase: config.STRIPE_API_BASE,
  });
  const source = config.STRIPE_WEBHOOK_SECRET
    ? new StripeEventSource(client, config.STRIPE_WEBHOOK_SECRET)
    : null;
  return {
    gateways: [new TestPaymentGateway(), new StripePaymentGateway({ client })],
    paymentEvents: new Map(source ? [[source.provider, source]] : []),
  };
}

function stripeAdapters(config: Config): Record<string, string> {
  if (!config.STRIPE_SECRET_KEY) return {};
  const where = config.STRIPE_API_BASE ? new URL(config.STRIPE_API_BASE).host : "api.stripe.com";
  return {
    stripe: `payments on ${where}${config.STRIPE_WEBHOOK_SECRET ? ", webhooks verified" : ""}`,
  };
}

export async function buildRuntime(
  config: Config,
  logger: Logger = new JsonLogger(),
): Promise<Runtime> {
  const base = {
    clock: new SystemClock(),
    ids: new RandomIds(),
    logger,
    hasher: new ScryptPasswordHasher(),
    ...stripePorts(config),
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
      adapters: { all: "memory", ...stripeAdapters(config) },
      close: () => Promise.resolve(),
    };
  }

  const closers: (() => Promise<unknown>)[] = [];
  const health: HealthCheck[] = [];
  const adapters: Record<string, string> = {};
  const feeds: ChangeFeed[] = [];
  Object.assign(adapters, stripeAdapters(config));

  // PostgreSQL: identity, money, stock, idempotency, the outbox and sync checkpoints.
  let identity, stock, idempotency, syncState, coordination, processedEvents, support;
  let refundedCharges;
  if (config.DATABASE_URL) {
    const sql = connectPostgres({
      url: config.DATABASE_URL,
      poolSize: config.PG_POOL_SIZE,
      statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS,
      ssl: config.PG_SSL,
      searchPath: config.PG_SCHEMA,
    });
    closers.push(() => sql.end({ timeout: 5 }));
    if (config.MIGRATE_ON_START) {
      const result = await migrate(sql, (message) => logger.info(message));
      logger.info("migrations", { applied: result.applied, skipped: result.skipped.length });
    }
    const orders = new PostgresOrderStore(sql);
    identity = {
      users: new PostgresUserStore(sql),
      sessions: new PostgresSessionStore(sql),
      addresses: new PostgresAddressBook(sql),
      shipping: new PostgresShippingRates(sql),
      taxRates: new PostgresTaxRates(sql),
    };
    const inventory = new PostgresInventoryStore(sql);
    stock = { inventory, warehouses: inventory, orders, revenue: orders };
    idempotency = new PostgresIdempotencyStore(sql);
    syncState = new PostgresSyncStateStore(sql);
    processedEvents = new PostgresProcessedEvents(sql);
    refundedCharges = new PostgresRefundedCharges(sql);
    const outbox = new PostgresOutboxFeed(sql, { name: "inventory" });
    // The support order index reads the outbox's order rows as a feed of its own.
    const orderFeed = new PostgresOutboxFeed(sql, { name: "orders", sources: ["order"] });
    coordination = {
      leases: new PostgresLeases(sql),
      jobs: new PostgresJobLog(sql),
      housekeeping: new PostgresHousekeeping(sql, { outboxConsumers: [outbox, orderFeed] }),
    };
    support = {
      orderRecords: new PostgresOrderRecords(sql),
      customers: new PostgresCustomerDirectory(sql),
    };
    feeds.push(outbox, orderFeed);
    health.push(new PostgresHealthCheck(sql));
    adapters.postgres =
      "users, sessions, addresses, shipping, tax, inventory, warehouses, orders, payments, " +
      "idempotency, sync state, leases, jobs";
  } else {
    const log = new MemoryChangeLog("inventory");
    const orderLog = new MemoryChangeLog("orders");
    const inventory = new MemoryInventoryStore({ log });
    const orders = new MemoryOrderStore({ inventory, log: orderLog });
    const users = new MemoryUserStore({
      changes: log,
      renamed: (id, at) => orders.customerChangedSync(id, at),
    });
    const sessions = new MemorySessionStore(users);
    identity = {
      users,
      sessions,
      addresses: new MemoryAddressBook(),
      shipping: new MemoryShippingRates(),
      taxRates: new MemoryTaxRates(),
    };
    stock = { inventory, warehouses: inventory, orders, revenue: orders };
    const memoryKeys = new MemoryIdempotencyStore();
    const memoryState = new MemorySyncStateStore();
    processedEvents = new MemoryProcessedEvents();
    refundedCharges = new MemoryRefundedCharges();
    idempotency = memoryKeys;
    syncState = memoryState;
    coordination = {
      leases: new MemoryLeases(base.clock),
      jobs: new MemoryJobLog(),
      housekeeping: new MemoryHousekeeping({
        idempotency: memoryKeys,
        sessions,
        syncState: memoryState,
        logs: [log, orderLog],
      }),
    };
    support = {
      orderRecords: new MemoryOrderRecords(orders, users),
      customers: new MemoryCustomerDirectory(users),
    };
    feeds.push(log, orderLog);
    adapters.memory =
      "users, sessions, addresses, shipping, tax, inventory, orders, payments, idempotency, sync state";
  }

  // Redis: what may be lost.
  let volatile;
  if (config.REDIS_URL || config.REDIS_CLUSTER_NODES) {
    // One server or a cluster: the same adapters, only the client differs.
    const redis = config.REDIS_CLUSTER_NODES
      ? connectRedisCluster(config.REDIS_CLUSTER_NODES)
      : connectRedis(config.REDIS_URL!);
    closers.push(() => closeRedis(redis));
    // The cluster client fails fast until it knows the slot map; start with it when it can.
    if (config.REDIS_CLUSTER_NODES) await waitUntilReady(redis, 2_000);
    const prefix = { prefix: config.REDIS_PREFIX };
    volatile = {
      cache: nearCache(config, redis, new RedisProductCache(redis, prefix), closers),
      availability: new RedisAvailabilityCache(redis, prefix),
      carts: new RedisCartStore(redis, prefix),
      limiter: new RedisRateLimiter(redis, prefix),
      leaderboards: new RedisLeaderboards(redis, prefix),
    };
    health.push(new RedisHealthCheck(redis));
    adapters.redis = `carts, product cache, availability cache, rate limiter, leaderboards${
      config.REDIS_CLUSTER_NODES ? " (cluster)" : ""
    }`;
  } else {
    volatile = {
      cache: new MemoryProductCache(base.clock),
      carts: new MemoryCartStore(base.clock),
      limiter: new MemoryRateLimiter(),
      leaderboards: new MemoryLeaderboards(),
    };
    adapters.redisStandIn = "memory: carts, product cache, rate limiter, leaderboards";
  }

  // MongoDB: the catalog, the category tree and their change streams.
  let catalog, categories, reviews, vendors;
  if (config.MONGO_URL) {
    const client = createMongoClient(config.MONGO_URL);
    const db = client.db(config.MONGO_DB);
    const feed = new MongoChangeFeed(db, { name: "catalog" });
    const categoryFeed = new MongoChangeFeed(db, {
      name: "categories",
      collection: "categories",
      source: "category",
    });
    // Reviews: their change stream recomputes the products' ratings.
    const reviewFeed = new MongoChangeFeed(db, {
      name: "reviews",
      collection: "reviews",
      source: "review",
    });
    // Vendors: their change stream updates the products' vendor copies and the vendor index.
    const vendorFeed = new MongoChangeFeed(db, {
      name: "vendors",
      collection: "vendors",
      source: "vendor",
    });
    catalog = new MongoCatalog(db);
    categories = new MongoCategories(db);
    reviews = new MongoReviews(db);
    vendors = new MongoVendors(db);
    closers.push(async () => {
      await feed.close();
      await categoryFeed.close();
      await reviewFeed.close();
      await vendorFeed.close();
      await client.close();
    });
    feeds.push(feed, categoryFeed, reviewFeed, vendorFeed);
    health.push(new MongoHealthCheck(db));
    adapters.mongodb = "catalog, categories, reviews, vendors, their change streams";
  } else {
    const log = new MemoryChangeLog("catalog");
    catalog = new MemoryCatalog({ changes: log, clock: base.clock });
    categories = new MemoryCategories({ changes: log, clock: base.clock });
    reviews = new MemoryReviews({ changes: log });
    vendors = new MemoryVendors({ changes: log, clock: base.clock });
    feeds.push(log);
    adapters.mongodbStandIn = "memory: catalog, categories, reviews, vendors";
  }

  // Elasticsearch: derived search data.
  let index, orderIndex, vendorIndex;
  if (config.ELASTICSEARCH_URL) {
    const client = createElasticsearchClient(config.ELASTICSEARCH_URL);
    index = new ElasticsearchSearchIndex(client, {
      prefix: config.ES_INDEX_PREFIX,
      shards: config.ES_SHARDS,
      replicas: config.ES_REPLICAS,
    });
    const ordersAlias = config.ES_ORDERS_INDEX ?? `${config.ES_INDEX_PREFIX}_orders`;
    orderIndex = new ElasticsearchOrderIndex(client, {
      alias: ordersAlias,
      shards: config.ES_SHARDS,
      replicas: config.ES_REPLICAS,
    });
    // The vendor index beside it: `<ES_INDEX_PREFIX>-vendors` (outside the `<prefix>_v*` names).
    vendorIndex = new ElasticsearchVendorIndex(client, {
      name: `${config.ES_INDEX_PREFIX}-vendors`,
    });
    closers.push(() => client.close());
    health.push(new ElasticsearchHealthCheck(client));
    adapters.elasticsearch =
      `search (alias ${config.ES_INDEX_PREFIX}), support orders (alias ${ordersAlias}), ` +
      `vendors (${config.ES_INDEX_PREFIX}-vendors)`;
  } else {
    index = new MemorySearchIndex();
    orderIndex = new MemoryOrderIndex();
    vendorIndex = new MemoryVendorIndex();
    adapters.elasticsearchStandIn = "memory: search, support orders, vendors";
  }

  if (health.length === 0) health.push({ name: "memory", ...always });
  const ports: Ports = {
    ...base,
    gateways: new Map(base.gateways.map((g) => [g.provider, g])),
    processedEvents,
    refundedCharges,
    ...identity,
    ...stock,
    idempotency,
    syncState,
    ...coordination,
    ...volatile,
    catalog,
    categories,
    reviews,
    vendors,
    vendorIndex,
    index,
    orderIndex,
    ...support,
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

/** The environment, parsed once with zod in the composition root and passed down. */
import { z } from "zod";

const flag = z.enum(["0", "1", "true", "false"], { error: "must be 0, 1, true or false" })
  .transform((v) => v === "1" || v === "true");
const int = (min: number, fallback: number, max = Number.MAX_SAFE_INTEGER) => {
  const words = max === Number.MAX_SAFE_INTEGER
    ? `must be a whole number of at least ${min}`
    : `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error: words }).int({ error: words }).min(min, { error: words })
    .max(max, { error: words }).default(fallback);
};
const url = z.string().trim().min(1).optional();
/** `host:port,host:port`: a few nodes of a Redis Cluster; the client discovers the rest. */
const hostPorts = z.string().trim().transform((list, ctx) => {
  const nodes = list.split(",").map((entry) => {
    const m = /^([^\s:/,[\]]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/.exec(entry.trim());
    const port = Number(m?.[2]);
    return m && port >= 1 && port <= 65_535 ? { host: m[1].replace(/^\[|\]$/g, ""), port } : null;
  });
  if (nodes.every((n) => n !== null)) return nodes;
  ctx.addIssue({ code: "custom", message: "must be a comma-separated list of host:port" });
  return z.NEVER;
});

export const ConfigSchema = z.object({
  PORT: int(0, 8000, 65_535),
  ORDER_TTL_MINUTES: int(1, 15),
  /** Pending, unexpired orders one user may hold at once (so nobody can hold all the stock). */
  MAX_PENDING_ORDERS_PER_USER: int(1, 3),
  SESSION_TTL_HOURS: int(1, 24),
  RATE_LIMIT_MAX: int(1, 100),
  RATE_LIMIT_WINDOW_S: int(1, 60),
  /** The general per-client limit (off for benchmarks); login stays limited either way. */
  RATE_LIMIT_ENABLED: flag.default(true),
  /**
   * Hits of one key a process may claim from Redis at once and spend locally (grown from 1 with
   * demand); 1 asks Redis on every hit.
   */
  RATE_LIMIT_BATCH_MAX: int(1, 64, 1_000),
  /**
   * Admission control: requests handled at once; more are answered 503 `overloaded` with
   * `Retry-After` at once instead of queueing without bound (0: no limit). /health and /ready
   * are exempt.
   */
  MAX_REQUESTS_IN_FLIGHT: int(0, 256, 100_000),
  MAX_WRITES_IN_FLIGHT: int(0, 64, 100_000),
  /**
   * In-process product cache in front of Redis (single server): how long a view read from
   * Redis may be answered from memory without a round trip (the staleness bound when an
   * invalidation message is lost; 0 switches it off), and how many lookup keys it holds.
   */
  PRODUCT_NEAR_CACHE_MS: int(0, 1_000, 60_000),
  READ_REUSE_MS: int(0, 200, 5_000),
  PRODUCT_NEAR_CACHE_ENTRIES: int(1, 10_000),
  /**
   * In-process session cache in front of PostgreSQL (with a single Redis server carrying its
   * invalidations): how long a session and its user may be answered from memory (how much
   * longer a revoked token may work in another process when a message is lost; 0 switches it
   * off), and how many sessions it holds.
   */
  SESSION_NEAR_CACHE_MS: int(0, 1_000, 60_000),
  SESSION_NEAR_CACHE_ENTRIES: int(1, 10_000),
  LOGIN_RATE_LIMIT_MAX: int(1, 10),
  LOGIN_RATE_LIMIT_WINDOW_S: int(1, 300),
  TRUST_PROXY: flag.default(false),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(8).optional(),
  /** Load the demo catalog into the in-memory catalog (ignored when MONGO_URL is set). */
  SEED: flag.default(true),
  /** Reviews wait for an admin's approval before they show (default: published at once). */
  REVIEWS_REQUIRE_APPROVAL: flag.default(false),
  /** Run the search sync and the expiry sweeper inside the API process. */
  SYNC_IN_PROCESS: flag.default(true),
  SWEEP_INTERVAL_S: int(1, 30),
  /** Pruning (worker, and the API when SYNC_IN_PROCESS): how often, and how long rows stay. */
  PRUNE_INTERVAL_S: int(1, 600),
  OUTBOX_RETENTION_HOURS: int(0, 24),
  /** Never below the keys' 24 h lifetime: a replay must still find its key. */
  IDEMPOTENCY_RETENTION_HOURS: int(24, 48),
  SESSION_RETENTION_HOURS: int(0, 24),
  PARKED_RETENTION_HOURS: int(0, 168),
  /**
   * Background duties (sweeper, each sync feed, pruning) run in one instance at a time under a
   * lease in PostgreSQL: a dead holder's duty moves on this long after its last renewal.
   */
  DUTY_LEASE_TTL_MS: int(1_000, 10_000),
  /** How often a holder renews its duty's lease (at most half the TTL). */
  DUTY_LEASE_RENEW_MS: int(100, 3_000),
  /** How often an instance asks for a duty it does not hold. */
  DUTY_RETRY_MS: int(100, 1_000),
  /** The worker touches this file after every sync round, for a liveness probe. */
  WORKER_HEARTBEAT_FILE: z.string().min(1).optional(),

  DATABASE_URL: url,
  MIGRATE_ON_START: flag.default(false),
  PG_POOL_SIZE: int(1, 10),
  PG_STATEMENT_TIMEOUT_MS: int(0, 5_000),
  PG_SSL: z.enum(["disable", "require", "verify-full"]).default("disable"),
  /** Tables live in this schema (search_path) instead of `public`. */
  PG_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/).optional(),
  REDIS_URL: url,
  /** A Redis Cluster instead of one server (REDIS_URL): its nodes, or a few of them. */
  REDIS_CLUSTER_NODES: hostPorts.optional(),
  /** Prefix of every Redis key, so several deployments can share one server. */
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_:.-]*$/).default("polycart:"),
  MONGO_URL: url,
  MONGO_DB: z.string().min(1).default("polycart"),
  ELASTICSEARCH_URL: url,
  ES_INDEX_PREFIX: z.string().regex(/^[a-z0-9_-]+$/).default("products"),
  /** The support order index's alias; default `<ES_INDEX_PREFIX>_orders`. */
  ES_ORDERS_INDEX: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/).optional(),
  ES_SHARDS: int(1, 1),
  ES_REPLICAS: int(0, 0),
  /** Stripe: the secret API key turns the `stripe` provider on. Never logged. */
  STRIPE_SECRET_KEY: z.string().trim().regex(/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/, {
    error: "must be a Stripe secret or restricted key (sk_... or rk_...)",
  }).optional(),
  /** The webhook endpoint's signing secret (whsec_...), for POST /webhooks/stripe. */
  STRIPE_WEBHOOK_SECRET: z.string().trim().min(1).optional(),
  /** Another Stripe API base, e.g. stripe-mock's http://127.0.0.1:12111. */
  STRIPE_API_BASE: z.url({ protocol: /^https?$/ }).optional(),
}).refine((c) => c.DUTY_LEASE_RENEW_MS * 2 <= c.DUTY_LEASE_TTL_MS, {
  message: "must be at most half of DUTY_LEASE_TTL_MS, so one late renewal does not lose a duty",
  path: ["DUTY_LEASE_RENEW_MS"],
}).refine((c) => !(c.REDIS_URL && c.REDIS_CLUSTER_NODES), {
  message: "set REDIS_URL (one server) or REDIS_CLUSTER_NODES (a cluster), not both",
  path: ["REDIS_URL"],
}).refine((c) => !c.STRIPE_WEBHOOK_SECRET || c.STRIPE_SECRET_KEY, {
  message: "needs STRIPE_SECRET_KEY: webhooks confirm and refund through the Stripe provider",
  path: ["STRIPE_WEBHOOK_SECRET"],
}).refine((c) => (c.ADMIN_EMAIL === undefined) === (c.ADMIN_PASSWORD === undefined), {
  message: "set ADMIN_EMAIL and ADMIN_PASSWORD together",
  path: ["ADMIN_PASSWORD"],
});

export type Config = z.infer<typeof ConfigSchema>;

/** Settings whose values never appear in an error (passwords, URLs with credentials). */
const SECRET = /PASSWORD|URL|SECRET|TOKEN|KEY/;

/** A setting the process cannot start with; its message is one line naming each variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration: ${problems.join("; ")}`);
    this.name = "ConfigError";
  }
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const given = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const result = ConfigSchema.safeParse(given);
  if (!result.success) {
    const problems = result.error.issues.map((i) => {
      const name = i.path.join(".");
      const value = SECRET.test(name) ? undefined : given[name];
      return `${name}: ${i.message}${value === undefined ? "" : ` (got ${JSON.stringify(value)})`}`;
    });
    throw new ConfigError([...new Set(problems)]);
  }
  return result.data;
}

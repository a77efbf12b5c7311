/**
 * What a bench run uses, from the environment: the servers (the URLs the tests use), the
 * bench's own database, index prefix and key space on them, and the load shape. Pure.
 */

export interface BenchSettings {
  /**
   * `deno task bench:smoke`: every scenario for a couple of seconds on stores and ports of its
   * own, no waiting for a quiet machine, judged only on errors (bench/smoke.ts).
   */
  readonly smoke: boolean;
  /** The configured PostgreSQL URL; the bench connects there to (re)create its database. */
  readonly adminDatabaseUrl: string;
  readonly databaseUrl: string;
  readonly databaseName: string;
  readonly redisUrl: string;
  readonly redisDb: number;
  readonly mongoUrl: string;
  readonly mongoDb: string;
  readonly elasticsearchUrl: string;
  readonly esPrefix: string;
  readonly apiPort: number;
  readonly helloPort: number;
  readonly durationS: number;
  readonly warmupS: number;
  readonly connections: number;
  /** Catalog changes timed in the visibility scenario. */
  readonly visibilitySamples: number;
  /** Scenario ids to run; null for all. */
  readonly only: ReadonlySet<string> | null;
  /** Cores for the server under test and for the load tool; null when not pinning. */
  readonly serverCpu: string | null;
  readonly loadCpu: string | null;
  /** Also rewrite the README's Benchmarks section. */
  readonly updateReadme: boolean;
}

const NAME = /^[a-z][a-z0-9_]{0,40}$/;

function required(
  env: Record<string, string | undefined>,
  name: string,
): string {
  const value = env[name]?.trim();
  if (!value) {
    throw new Error(
      `${name} is not set: the bench runs against the real servers (source the CI env file, ` +
        "e.g. `set -a; . /tmp/ci.env; set +a`)",
    );
  }
  return value;
}

function number(
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
  min: number,
): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) {
    throw new Error(`${name} must be a number >= ${min}, got ${raw}`);
  }
  return value;
}

function name(
  env: Record<string, string | undefined>,
  key: string,
  fallback: string,
): string {
  const value = env[key]?.trim() || fallback;
  if (!NAME.test(value)) {
    throw new Error(`${key} must match ${NAME}, got ${value}`);
  }
  return value;
}

/** The URL with its database path replaced (PostgreSQL database, Redis db number). */
export function withPath(url: string, path: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${path}`;
  return parsed.toString();
}

/**
 * What a smoke run changes: short runs without warm-up, and stores and ports of its own so a
 * smoke never resets or disturbs the data of a full run.
 */
const SMOKE_DEFAULTS = {
  database: "polycart_bench_smoke",
  redisDb: 10,
  namespace: "bench_smoke",
  apiPort: 18090,
  helloPort: 18091,
  durationS: 2,
  warmupS: 0,
  visibilitySamples: 3,
};

const FULL_DEFAULTS: typeof SMOKE_DEFAULTS = {
  database: "polycart_bench",
  redisDb: 9,
  namespace: "bench",
  apiPort: 18080,
  helloPort: 18081,
  durationS: 10,
  warmupS: 3,
  visibilitySamples: 20,
};

export function benchSettings(
  env: Record<string, string | undefined>,
  cores: number,
  mode: "full" | "smoke" = "full",
): BenchSettings {
  const smoke = mode === "smoke";
  const d = smoke ? SMOKE_DEFAULTS : FULL_DEFAULTS;
  const adminDatabaseUrl = required(env, "DATABASE_URL");
  const databaseName = name(env, "BENCH_PG_DB", d.database);
  const redisDb = number(env, "BENCH_REDIS_DB", d.redisDb, 0);
  const pin = (env.BENCH_PIN ?? "1") !== "0" && cores >= 2;
  const only = env.BENCH_ONLY?.trim()
    ? new Set(env.BENCH_ONLY.split(",").map((s) => s.trim()).filter(Boolean))
    : null;
  return {
    smoke,
    adminDatabaseUrl,
    databaseUrl: withPath(adminDatabaseUrl, databaseName),
    databaseName,
    redisUrl: withPath(required(env, "REDIS_URL"), String(Math.trunc(redisDb))),
    redisDb: Math.trunc(redisDb),
    mongoUrl: required(env, "MONGO_URL"),
    mongoDb: name(env, "BENCH_MONGO_DB", d.namespace),
    elasticsearchUrl: required(env, "ELASTICSEARCH_URL"),
    esPrefix: name(env, "BENCH_ES_PREFIX", d.namespace),
    apiPort: number(env, "BENCH_API_PORT", d.apiPort, 1),
    helloPort: number(env, "BENCH_HELLO_PORT", d.helloPort, 1),
    durationS: number(env, "BENCH_DURATION_S", d.durationS, 1),
    warmupS: number(env, "BENCH_WARMUP_S", d.warmupS, 0),
    connections: Math.trunc(number(env, "BENCH_CONNECTIONS", 10, 1)),
    visibilitySamples: Math.trunc(
      number(env, "BENCH_VISIBILITY_SAMPLES", d.visibilitySamples, 1),
    ),
    only,
    serverCpu: pin ? env.BENCH_SERVER_CPU?.trim() || "0" : null,
    loadCpu: pin ? env.BENCH_LOAD_CPU?.trim() || "1" : null,
    // A smoke's figures are not measurements: they never reach the README.
    updateReadme: !smoke && ["1", "true"].includes(env.BENCH_README?.trim() ?? ""),
  };
}

/**
 * `deno task bench`: every scenario of issue 5, each measuring the API and its baseline in
 * the same run with the same client count and duration, against the real servers named by
 * DATABASE_URL, REDIS_URL, MONGO_URL and ELASTICSEARCH_URL (on a database, key space, MongoDB
 * database and index prefix of its own, reset first). Writes bench/results/<date>-<HHMM>-<sha>.json
 * and .md; with `--readme` (or BENCH_README=1) also the README's Benchmarks section.
 * `--smoke` (`deno task bench:smoke`, run by CI): every scenario for a couple of seconds on
 * stores of its own, writing only the git-ignored bench/results/smoke.{json,md}, exiting
 * non-zero when a scenario could not run or answered errors (bench/smoke.ts).
 * Settings: bench/settings.ts (BENCH_DURATION_S, BENCH_WARMUP_S, BENCH_CONNECTIONS,
 * BENCH_ONLY, ...).
 */
import { searchScenario } from "./search_scenario.ts";
import { browsePaths, browseScenario } from "./browse_scenario.ts";
import { usersScenario } from "./users_scenario.ts";
import { boundsFor } from "./bounds.ts";
import {
  ADMIN,
  apiEnv,
  CATALOG_FIRST_SKU,
  CATALOG_SIZE,
  catalogSku,
  HOT_SKU,
  PROBE_SKU_API,
  PROBE_SKU_PGBENCH,
  PROBE_STOCK,
  releasePendingOrders,
  resetStores,
  seedStores,
  stockOf,
  withRedis,
} from "./fixtures.ts";
import { type HttpSpec, pgbenchLoad } from "./load.ts";
import { machine } from "./machine.ts";
import {
  benchAddress,
  CAPTURE,
  CAPTURE_TERMS,
  captureCheckout,
  pgbenchScript,
} from "./pgbench_script.ts";
import { delay, restarted, run, serverPids, spawn } from "./procs.ts";
import {
  type BenchResult,
  readmeSection,
  renderMarkdown,
  replaceReadmeSection,
  resultName,
  type ScenarioResult,
  type Side,
  summaryTable,
} from "./report.ts";
import { type BenchSettings, benchSettings } from "./settings.ts";
import {
  BENCH,
  burst,
  busyStartsSoFar,
  catalogRange,
  type Ctx,
  helloSpec,
  log,
  measureHttp,
  measurePgbench,
  noFailures,
  productSpec,
  redisPerRequest,
  resetBusyStarts,
  ROOT,
  scenario,
  startApi,
  startBaseline,
  startHello,
  taskCommand,
  withProc,
} from "./_harness.ts";
import { SMOKE_RESULT, smokeFailures, unjudgedMisses } from "./smoke.ts";
import { atLeast, atMost, durationMs, exactly, ratio, summarize } from "./stats.ts";

/** The scenarios in the order of issue 5's table (also the report's order). */
export const SCENARIOS = [
  "hello",
  "product",
  "browse",
  "cart",
  "checkout",
  "hot",
  "search",
  "ratelimit",
  "visibility",
  "users",
] as const;
type ScenarioId = typeof SCENARIOS[number];

/** The order they run in: read-only first, the sync worker before checkouts fill the outbox. */
const RUN_ORDER: readonly ScenarioId[] = [
  "hello",
  "product",
  "browse",
  "cart",
  "search",
  "visibility",
  "checkout",
  "hot",
  "users",
  "ratelimit",
];

/**
 * Every request body the bench sends, with `{sku}` where wrk puts a SKU: only documented
 * fields, each sent as `content-type: application/json` (run_test.ts holds them against the
 * API's request schemas in strict mode).
 */
export const BODIES = {
  cartItem: '{"sku":"{sku}","qty":1}',
  /** To the bench's address, by the option `createBenchShipping` made. */
  order: (shippingOptionId: string) =>
    JSON.stringify({
      items: [{ sku: "{sku}", qty: 1 }],
      shippingAddress: BENCH_DELIVERY_ADDRESS,
      shippingOptionId,
    }),
  register: (i: number) =>
    JSON.stringify({
      email: `bench-user-${i}@polycart.invalid`,
      password: "bench-user-password",
      displayName: `Bench ${i}`,
    }),
  rename: (name: string) => JSON.stringify({ name }),
} as const;

// ---- scenarios ---------------------------------------------------------------------------

async function helloScenario(ctx: Ctx): Promise<ScenarioResult> {
  const { s } = ctx;
  const bytes: Record<string, string> = {};
  const measure = async (mode: "hono" | "bare", label: string) =>
    await withProc(startHello(s, mode), async (p) => {
      const res = await fetch(`http://127.0.0.1:${s.helloPort}/hello`);
      bytes[mode] = `${res.headers.get("content-type")} ${await res.text()}`;
      return (await measureHttp(ctx, helloSpec(s), label, p, [])).side;
    });
  const baseline = await measure("bare", "bare Deno.serve");
  const api = await measure("hono", "Hono hello route");
  const r = ratio(api.throughput, baseline.throughput);
  return scenario(
    "hello",
    "Hono JSON hello route",
    "bare Deno.serve, same bytes",
    api,
    baseline,
    [atLeast("ratio", r, 0.85), noFailures("API", api)],
    {
      "same content type and body": bytes.hono === bytes.bare,
      body: bytes.hono,
    },
  );
}

/** Where the redis-get baseline finds the API's own answer for a SKU (bench Redis db). */
const ANSWER_PREFIX = "bench:answer:";

async function productScenario(ctx: Ctx): Promise<ScenarioResult> {
  // Fill the cache: every SKU read once (a miss loads and stores it), so the run only hits;
  // the baseline answers those very bytes, each with one ioredis GET.
  const answers: [string, string][] = [];
  for (let i = 0; i < CATALOG_SIZE; i++) {
    const res = await fetch(`${ctx.apiBase}/products/${catalogSku(i)}`);
    if (!res.ok) throw new Error(`GET /products/${catalogSku(i)}: ${res.status}`);
    answers.push([ANSWER_PREFIX + catalogSku(i), await res.text()]);
  }
  await withRedis(ctx.s.redisUrl, async (redis) => {
    await redis.mset(...answers.flat());
  });
  const bytes = Math.round(answers.reduce((n, [, body]) => n + body.length, 0) / answers.length);
  const baseline = await withProc(
    startBaseline(
      ctx.s,
      ["redis-get", ctx.s.redisUrl, ANSWER_PREFIX],
      `/products/${catalogSku(0)}`,
    ),
    async (p) =>
      (await measureHttp(
        ctx,
        { ...productSpec(ctx), url: `http://127.0.0.1:${ctx.s.helloPort}` },
        "bare Deno.serve + ioredis GET",
        p,
        ["redis"],
      )).side,
  );
  const { side: api } = await measureHttp(
    ctx,
    productSpec(ctx),
    "GET /products/:sku",
    ctx.api(),
    ["redis"],
  );
  const perRequest = await redisPerRequest(ctx, 1_000);
  const cacheTrips = Object.entries(perRequest).filter(([k]) => k.startsWith("product cache"))
    .reduce((sum, [, v]) => sum + v, 0);
  const all = Object.values(perRequest).reduce((a, b) => a + b, 0);
  return scenario(
    "product",
    "GET /products/:sku, cache hit",
    "bare Deno.serve + one ioredis GET of the same bytes",
    api,
    baseline,
    [
      atLeast("ratio", ratio(api.throughput, baseline.throughput), 0.8),
      atMost("product cache round trips", cacheTrips, 1, "per request", 2),
      noFailures("API", api),
      noFailures("baseline", baseline),
    ],
    {
      "answer bytes (mean)": bytes,
      "Redis commands per request (MONITOR, 1,000 reads)": Object.entries(
        perRequest,
      )
        .map(([k, v]) => `${k} ${v.toFixed(2)}`).join(", "),
      "Redis round trips per request, limiter included": all.toFixed(2),
    },
    [
      "The API answers hot products from its in-process cache (PRODUCT_NEAR_CACHE_MS, 1 s by " +
      "default) and reads Redis once a second per product; the general rate limiter runs on " +
      "every request from a local allowance (one EVALSHA claims a batch of up to " +
      "RATE_LIMIT_BATCH_MAX hits of the shared window); the ratelimit scenario measures the " +
      "route with and without it.",
    ],
  );
}

async function cartScenario(ctx: Ctx): Promise<ScenarioResult> {
  const spec: HttpSpec = {
    url: ctx.apiBase,
    method: "POST",
    paths: ["/cart/items"],
    bodies: [BODIES.cartItem],
    headers: { "content-type": "application/json" },
    tokens: ctx.users.map((u) => u.token),
    skuRange: [CATALOG_FIRST_SKU, CATALOG_FIRST_SKU + 4],
  };
  const baseline = await withProc(
    startBaseline(ctx.s, ["cart-commands"], "/cart/items", apiEnv(ctx.s)),
    async (p) =>
      (await measureHttp(
        ctx,
        { ...spec, url: `http://127.0.0.1:${ctx.s.helloPort}` },
        "bare Deno.serve + the same store commands",
        p,
        ["postgres", "redis"],
      )).side,
  );
  const { side: api } = await measureHttp(
    ctx,
    spec,
    "POST /cart/items",
    ctx.api(),
    ["postgres", "redis"],
  );
  return scenario(
    "cart",
    "POST /cart/items",
    "bare Deno.serve + the same Redis and PostgreSQL commands",
    api,
    baseline,
    [
      atLeast("ratio", ratio(api.throughput, baseline.throughput), 0.6),
      noFailures("API", api),
      noFailures("baseline", baseline),
    ],
    { users: ctx.users.length, "SKUs per cart": 5 },
    [
      "Each connection is one signed-in user adding one unit of one of 5 SKUs per request. " +
      "The baseline (bench/baseline_server.ts cart-commands) sends the same commands through " +
      "the same adapters: session and user read, the limiter (an EVALSHA when its allowance " +
      "claims a batch), cart read, inventory read, cart MULTI.",
    ],
  );
}

async function refreshIntervalMs(s: BenchSettings): Promise<number> {
  const res = await fetch(
    `${s.elasticsearchUrl}/${s.esPrefix}/_settings/index.refresh_interval?include_defaults=true`,
  );
  const body = await res.json() as Record<
    string,
    {
      settings?: { index?: { refresh_interval?: string } };
      defaults?: { index?: { refresh_interval?: string } };
    }
  >;
  const index = Object.values(body)[0];
  return durationMs(
    index.settings?.index?.refresh_interval ??
      index.defaults?.index?.refresh_interval ?? "1s",
  );
}

async function visibilityScenario(ctx: Ctx): Promise<ScenarioResult> {
  const { s } = ctx;
  const auth = { authorization: `Bearer ${ctx.adminToken}` };
  const worker = spawn("worker", await taskCommand("worker"), {
    env: apiEnv(s),
    cwd: ROOT,
  });
  try {
    // The worker first catches up with the seeding's changes. The product feeds must have
    // checkpoints; feeds the bench gives no events (orders before checkout, reviews, vendors)
    // never get one, and only need nothing pending.
    const productFeeds = new Set(["catalog", "inventory"]);
    const deadline = Date.now() + 180_000;
    const caughtUpStart = performance.now();
    for (;;) {
      const res = await fetch(`${ctx.apiBase}/admin/sync/status`, {
        headers: auth,
      });
      const status = await res.json();
      if (
        res.ok && status.pending === 0 &&
        status.feeds.every((f: { feed: string; checkpoint: string | null }) =>
          f.checkpoint || !productFeeds.has(f.feed)
        )
      ) break;
      if (Date.now() > deadline) {
        throw new Error(
          `the sync worker did not catch up: ${JSON.stringify(status)}`,
        );
      }
      await delay(500);
    }
    log(
      `  worker caught up in ${((performance.now() - caughtUpStart) / 1000).toFixed(1)} s`,
    );
    const refresh = await refreshIntervalMs(s);
    const latencies: number[] = [];
    const patches: number[] = [];
    let timeouts = 0;
    for (let i = 0; i < s.visibilitySamples; i++) {
      const sku = catalogSku((i * 37 + 11) % CATALOG_SIZE);
      const word = `zq${crypto.randomUUID().replaceAll("-", "").replace(/\d/g, "").slice(0, 10)}`;
      const started = performance.now();
      const res = await fetch(`${ctx.apiBase}/admin/products/${sku}`, {
        method: "PATCH",
        headers: { ...auth, "content-type": "application/json" },
        body: BODIES.rename(`Visibility probe ${i} ${word}`),
      });
      await res.body?.cancel();
      if (!res.ok) {
        throw new Error(`PATCH /admin/products/${sku}: ${res.status}`);
      }
      patches.push(performance.now() - started);
      let seen = false;
      while (performance.now() - started < 15_000) {
        const found = await (await fetch(`${ctx.apiBase}/search?q=${word}`))
          .json();
        if (found.items?.some((item: { sku: string }) => item.sku === sku)) {
          seen = true;
          break;
        }
        await delay(10);
      }
      if (seen) latencies.push(performance.now() - started);
      else timeouts++;
      await delay(100 + Math.random() * 300); // land at different points of the refresh cycle
    }
    const l = summarize(latencies);
    const p = summarize(patches);
    log(
      `  visible after p50 ${l.p50.toFixed(0)} ms, p95 ${l.p95.toFixed(0)} ms, max ${
        l.max.toFixed(0)
      } ms`,
    );
    return scenario(
      "visibility",
      "catalog change -> visible in search",
      "(absolute)",
      null,
      null,
      [
        atMost("p95", timeouts > 0 ? Infinity : l.p95, refresh + 250, "ms", 0),
      ],
      {
        samples: s.visibilitySamples,
        "not visible within 15 s": timeouts,
        "refresh interval ms": refresh,
        "latency ms (PATCH sent -> hit in GET /search)": `p50 ${l.p50.toFixed(0)}, p95 ${
          l.p95.toFixed(0)
        }, max ${l.max.toFixed(0)}`,
        "PATCH /admin/products/:sku ms": `p50 ${p.p50.toFixed(1)}, p95 ${p.p95.toFixed(1)}`,
      },
      [
        "Path: PATCH -> MongoDB -> change stream -> sync worker (worker.ts, its own process) -> " +
        "Elasticsearch -> refresh; polled through GET /search every 10 ms.",
      ],
    );
  } finally {
    await worker.stop();
  }
}

function orderSpec(ctx: Ctx, range: readonly [number, number]): HttpSpec {
  return {
    url: ctx.apiBase,
    method: "POST",
    paths: ["/orders"],
    bodies: [BODIES.order(ctx.shippingOptionId)],
    headers: { "content-type": "application/json" },
    tokens: ctx.users.map((u) => u.token),
    skuRange: range,
  };
}

function pgVars(range: readonly [number, number]): Record<string, string> {
  return {
    user_ready: "0",
    status: "pending",
    sku_lo: String(range[0]),
    sku_hi: String(range[1]),
  };
}

async function checkoutScenario(ctx: Ctx): Promise<ScenarioResult> {
  await releasePendingOrders(ctx.s);
  const { side: baseline } = await measurePgbench(
    ctx,
    pgVars(catalogRange),
    "pgbench checkout SQL",
  );
  await releasePendingOrders(ctx.s);
  const { side: api } = await measureHttp(
    ctx,
    orderSpec(ctx, catalogRange),
    "POST /orders",
    ctx.api(),
    ["postgres", "redis"],
  );
  return scenario(
    "checkout",
    "checkout (POST /orders, explicit items) over 1,000 SKUs",
    "pgbench, the adapter's SQL",
    api,
    baseline,
    [
      atLeast("ratio", ratio(api.throughput, baseline.throughput), 0.6),
      atMost(
        "API p99 vs 3x pgbench p99",
        api.latency.p99,
        3 * baseline.latency.p99,
      ),
      noFailures("API", api),
    ],
    { "order lines": "1 line, qty 1, SKU drawn uniformly from 1,000" },
    [
      "The pgbench script is bench/checkout.pgbench.sql, generated from the statements " +
      "PostgresOrderStore.place sends (captured at the start of the run).",
      "Each side starts with no pending orders (the previous side's are cancelled and their " +
      "stock released): the cap check counts a customer's live pending orders, so otherwise " +
      "the side measured second pays for the first side's orders.",
      "The API also authenticates the bearer token (session and user reads in PostgreSQL) and " +
      "runs the rate limiter (its local allowance, one EVALSHA per claimed batch) on each " +
      "request; pgbench does neither.",
    ],
  );
}

async function hotScenario(ctx: Ctx): Promise<ScenarioResult> {
  const { s } = ctx;
  const hot = [Number(HOT_SKU), Number(HOT_SKU)] as const;
  // Stock may never be oversold: reserved stays within stock and equals the units of the
  // pending orders, and every reserved unit belongs to an order. The client's count of 201s
  // can trail the orders by the requests still in flight when a timed run stops (at most
  // one per connection per run); pgbench finishes its transactions, so it matches exactly.
  const oversell = (
    before: Awaited<ReturnType<typeof stockOf>>,
    after: typeof before,
    answered: number,
    runs: number,
  ) => {
    const reserved = after.reserved - before.reserved;
    const orders = after.orders - before.orders;
    return {
      reserved,
      orders,
      answered,
      ok: after.reserved <= after.stock && after.reserved === after.pendingUnits &&
        reserved === orders && answered <= orders && orders - answered <= runs * s.connections,
    };
  };

  await releasePendingOrders(s);
  const b0 = await stockOf(s, HOT_SKU);
  const pg = await measurePgbench(
    ctx,
    pgVars(hot),
    "pgbench checkout SQL, one SKU",
  );
  const b1 = await stockOf(s, HOT_SKU);
  const sum = (runs: readonly Side[]) => runs.reduce((n, r) => n + r.ok, 0);
  const pgCheck = oversell(b0, b1, sum(pg.runs), pg.runs.length);
  await releasePendingOrders(s);
  const b1Released = await stockOf(s, HOT_SKU);
  const api = await measureHttp(
    ctx,
    orderSpec(ctx, hot),
    "POST /orders, one SKU",
    ctx.api(),
    ["postgres", "redis"],
  );
  const b2 = await stockOf(s, HOT_SKU);
  const apiCheck = oversell(b1Released, b2, sum(api.runs), api.runs.length);

  // Drain a small stock on purpose: exactly PROBE_STOCK units may be sold, never more.
  const attempts = PROBE_STOCK * 3;
  const probe = await burst(ctx.apiBase, ["/orders"], attempts, (i) => ({
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${ctx.users[i % ctx.users.length].token}`,
    },
    body: BODIES.order(ctx.shippingOptionId).replace("{sku}", PROBE_SKU_API),
  }), s.connections);
  const apiProbe = await stockOf(s, PROBE_SKU_API);
  const pgProbeRange = [
    Number(PROBE_SKU_PGBENCH),
    Number(PROBE_SKU_PGBENCH),
  ] as const;
  await pgbenchLoad({
    label: "probe",
    url: s.databaseUrl,
    script: ctx.pgbenchScript,
    variables: pgVars(pgProbeRange),
    connections: s.connections,
    transactionsPerClient: Math.ceil(attempts / s.connections),
    loadCpu: s.loadCpu,
  });
  const pgProbe = await stockOf(s, PROBE_SKU_PGBENCH);
  // Sold (201) or sold out (409): any other answer is an error.
  const probeErrors = Object.entries(probe).filter(([code]) => code !== "201" && code !== "409")
    .reduce((n, [, count]) => n + count, 0);
  const probeOk = probe["201"] === PROBE_STOCK && probe["409"] === attempts - PROBE_STOCK &&
    apiProbe.reserved === PROBE_STOCK &&
    apiProbe.pendingUnits === PROBE_STOCK &&
    pgProbe.reserved === PROBE_STOCK && pgProbe.pendingUnits === PROBE_STOCK;

  return scenario(
    "hot",
    "checkout on one hot SKU",
    "pgbench, same SQL, one SKU",
    api.side,
    pg.side,
    [
      atLeast("ratio", ratio(api.side.throughput, pg.side.throughput), 0.7),
      {
        name: "zero oversell",
        target: "reserved = units sold, <= stock, = pending units",
        actual: apiCheck.ok && pgCheck.ok && probeOk ? "holds" : "VIOLATED",
        pass: apiCheck.ok && pgCheck.ok && probeOk,
      },
      noFailures("API", api.side),
      {
        name: "drain probe errors",
        target: "= 0",
        actual: String(probeErrors),
        pass: probeErrors === 0,
      },
    ],
    {
      "API: 201 answers / orders / reserved units added":
        `${apiCheck.answered} / ${apiCheck.orders} / ${apiCheck.reserved}`,
      "pgbench: transactions / orders / reserved units added":
        `${pgCheck.answered} / ${pgCheck.orders} / ${pgCheck.reserved}`,
      "drain probe (stock 100, 300 attempts), API": `${
        JSON.stringify(probe)
      }, reserved ${apiProbe.reserved}, pending units ${apiProbe.pendingUnits}`,
      "drain probe, pgbench":
        `reserved ${pgProbe.reserved}, pending units ${pgProbe.pendingUnits}, ` +
        `orders ${pgProbe.orders}`,
    },
  );
}

async function rateLimitScenario(ctx: Ctx): Promise<ScenarioResult> {
  const { side: on } = await measureHttp(
    ctx,
    productSpec(ctx),
    "limiter on",
    ctx.api(),
    ["redis"],
  );
  const onTrips = await redisPerRequest(ctx, 1_000);
  await ctx.restartApi({ RATE_LIMIT_ENABLED: "0" });
  const { side: off } = await measureHttp(
    ctx,
    productSpec(ctx),
    "limiter off",
    ctx.api(),
    ["redis"],
  );
  const offTrips = await redisPerRequest(ctx, 1_000);
  const evalsha = (trips: Record<string, number>) => trips["limiter evalsha"] ?? 0;
  const other = (trips: Record<string, number>) =>
    Object.entries(trips).filter(([k]) => k.startsWith("limiter") && k !== "limiter evalsha")
      .reduce((sum, [, v]) => sum + v, 0);
  return scenario(
    "ratelimit",
    "rate-limited route (GET /products/:sku, cache hit)",
    "same route, RATE_LIMIT_ENABLED=0",
    on,
    off,
    [
      atLeast("ratio", ratio(on.throughput, off.throughput), 0.9),
      atMost("limiter round trips (EVALSHA)", evalsha(onTrips), 0.1, "per request", 2),
      exactly("other limiter commands per request", other(onTrips), 0),
      exactly(
        "limiter commands per request when off",
        evalsha(offTrips) + other(offTrips),
        0,
      ),
      noFailures("API", on),
    ],
    {
      "Redis commands per request, limiter on": Object.entries(onTrips)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`).join(", "),
      "Redis commands per request, limiter off": Object.entries(offTrips)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`).join(", "),
    },
    [
      "One client address sends everything, so every request hits one sliding-window key " +
      "(RATE_LIMIT_MAX=1e9, RATE_LIMIT_WINDOW_S=1: never limited, about one second of hits kept).",
      "The API's local allowance claims that key's hits in batches growing to " +
      "RATE_LIMIT_BATCH_MAX (64) per EVALSHA, each spent within a 50 ms lease (a twentieth of " +
      "the window); the limiter commands counted above (MONITOR) are those claims.",
    ],
  );
}

const RUNNERS: Record<ScenarioId, (ctx: Ctx) => Promise<ScenarioResult>> = {
  hello: helloScenario,
  product: productScenario,
  browse: browseScenario,
  users: async (ctx) =>
    usersScenario(
      ctx,
      { cartItem: BODIES.cartItem, order: BODIES.order(ctx.shippingOptionId) },
      await browsePaths(ctx, 3),
    ),
  cart: cartScenario,
  checkout: checkoutScenario,
  hot: hotScenario,
  search: searchScenario,
  ratelimit: rateLimitScenario,
  visibility: visibilityScenario,
};

const TITLES: Record<ScenarioId, [string, string]> = {
  hello: ["Hono JSON hello route", "bare Deno.serve, same bytes"],
  product: ["GET /products/:sku, cache hit", "bare Deno.serve + one ioredis GET of the same bytes"],
  cart: ["POST /cart/items", "bare Deno.serve + the same Redis and PostgreSQL commands"],
  checkout: [
    "checkout (POST /orders, explicit items) over 1,000 SKUs",
    "pgbench, the adapter's SQL",
  ],
  hot: ["checkout on one hot SKU", "pgbench, same SQL, one SKU"],
  search: [
    "GET /search with facets, typo tolerance",
    "Elasticsearch: plain multi_match, same fields",
  ],
  browse: [
    "GET /products browse page (cache miss)",
    "bare Deno.serve + the same MongoDB find and count",
  ],
  ratelimit: [
    "rate-limited route (GET /products/:sku, cache hit)",
    "same route, RATE_LIMIT_ENABLED=0",
  ],
  visibility: ["catalog change -> visible in search", "(absolute)"],
  users: ["10,000 users on keep-alive connections", "(absolute)"],
};

// ---- main --------------------------------------------------------------------------------

async function registerUsers(base: string, count: number) {
  const users: { id: string; token: string }[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${base}/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: BODIES.register(i),
    });
    const body = await res.json();
    if (res.status !== 201) {
      throw new Error(`register: ${res.status} ${JSON.stringify(body)}`);
    }
    users.push({ id: body.user.id, token: body.token });
  }
  const res = await fetch(`${base}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(ADMIN),
  });
  const body = await res.json();
  if (!res.ok) {
    throw new Error(`admin login: ${res.status} ${JSON.stringify(body)}`);
  }
  return { users, adminToken: body.token as string };
}

/** The bench's address as a request sends it (its null fields left out). */
const BENCH_DELIVERY_ADDRESS = Object.fromEntries(
  Object.entries(benchAddress()).filter(([, v]) => v !== null),
);

/**
 * The delivery terms the pgbench baseline places under (CAPTURE_TERMS), through the admin
 * API: a US zone, a flat option in the catalogue's currency and the exclusive country rate.
 * Answers the option's id.
 */
async function createBenchShipping(base: string, adminToken: string): Promise<string> {
  const post = async (path: string, body: unknown, ok = [201]) => {
    const res = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` },
      body: JSON.stringify(body),
    });
    const json = await res.json();
    if (!ok.includes(res.status)) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const zone = await post("/admin/shipping/zones", { name: "Bench", countries: ["US"] });
  const option = await post("/admin/shipping/options", {
    zoneId: zone.id,
    name: CAPTURE_TERMS.shippingOption.name,
    priceCents: CAPTURE.shippingCents,
    currency: "USD",
    estimatedDays: { min: 1, max: 3 },
  });
  const rate = CAPTURE_TERMS.taxRate!;
  await post("/admin/tax/rates", {
    country: rate.country,
    rateBasisPoints: rate.rateBasisPoints,
    pricesIncludeTax: rate.pricesIncludeTax,
    shippingTaxed: rate.shippingTaxed,
  }, [201, 409]);
  return option.id;
}

async function gitInfo(): Promise<{ sha: string; dirty: boolean }> {
  const sha = (await run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]))
    .stdout.trim();
  const status = (await run([
    "git",
    "-C",
    ROOT,
    "status",
    "--porcelain",
    "--",
    ".",
    ":!bench/results",
  ]))
    .stdout.trim();
  return { sha, dirty: status !== "" };
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const t0 = performance.now();
  const mode = Deno.args.includes("--smoke") ? "smoke" : "full";
  const s = benchSettings(Deno.env.toObject(), navigator.hardwareConcurrency, mode);
  if (s.smoke && Deno.args.includes("--readme")) {
    throw new Error("--readme takes a full run's figures; a smoke run never writes the README");
  }
  const updateReadme = s.updateReadme || Deno.args.includes("--readme");
  const selected = RUN_ORDER.filter((id) => !s.only || s.only.has(id));
  const unknown = [...(s.only ?? [])].filter((id) => !SCENARIOS.includes(id as ScenarioId));
  if (unknown.length > 0) {
    throw new Error(
      `unknown scenarios: ${unknown.join(", ")} (known: ${SCENARIOS.join(", ")})`,
    );
  }

  const { sha, dirty } = await gitInfo();
  log(
    `${s.smoke ? "smoke run, " : ""}commit ${sha}${dirty ? " (dirty)" : ""}; ` +
      `scenarios: ${selected.join(", ")}`,
  );
  const info = await machine(s);
  log(
    `machine: ${info.cores} cores, ${info.cpuModel}; load average ${
      (await Deno.readTextFile("/proc/loadavg")).trim()
    }`,
  );

  log(
    `resetting ${s.databaseName}, Redis db ${s.redisDb}, MongoDB ${s.mongoDb}, ES prefix ${s.esPrefix}`,
  );
  await resetStores(s);
  // Only the checkout scenarios run pgbench: the others need not wait for (or fail on) it.
  const script = selected.some((id) => id === "checkout" || id === "hot")
    ? pgbenchScript(await captureCheckout(s.databaseUrl))
    : "";
  const scriptPath = `${BENCH}checkout.pgbench.sql`;
  const previous = await Deno.readTextFile(scriptPath).catch(() => null);
  if (script === "") {
    // nothing to compare
  } else if (previous !== script && s.smoke) {
    log(`${scriptPath} differs from the adapter's SQL: a full run rewrites it`);
  } else if (previous !== script) {
    await Deno.writeTextFile(scriptPath, script);
    log(
      `wrote ${scriptPath}${previous === null ? "" : " (the adapter's SQL changed)"}`,
    );
  }
  await seedStores(s, (m) => log(m));

  let api = await startApi(s);
  const apiBase = `http://127.0.0.1:${s.apiPort}`;
  const scenarios: ScenarioResult[] = [];
  try {
    const { users, adminToken } = await registerUsers(apiBase, s.connections);
    const shippingOptionId = await createBenchShipping(apiBase, adminToken);
    const ctx: Ctx = {
      s,
      api: () => api,
      apiBase,
      users,
      adminToken,
      shippingOptionId,
      pgbenchScript: script,
      async restartApi(extra) {
        await api.stop();
        api = await startApi(s, extra);
      },
    };
    for (const id of selected) {
      log(`scenario ${id}`);
      resetBusyStarts();
      const pidsBefore = await serverPids();
      try {
        const result = await RUNNERS[id](ctx);
        const moved = restarted(pidsBefore, await serverPids());
        scenarios.push({
          ...result,
          notes: [
            ...result.notes,
            ...busyStartsSoFar().map((b) => `interference: ${b}`),
            ...(moved.length > 0
              ? [`interference: ${moved.join(", ")} restarted during this scenario (another user)`]
              : []),
          ],
        });
      } catch (error) {
        log(`  failed: ${error instanceof Error ? error.stack : error}`);
        const [title, baselineTitle] = TITLES[id];
        scenarios.push({
          id,
          title,
          baselineTitle,
          api: null,
          baseline: null,
          ratio: null,
          checks: [],
          figures: {},
          notes: [],
          error: error instanceof Error ? error.message.split("\n")[0] : String(error),
        });
      }
    }
  } finally {
    await api.stop();
  }

  scenarios.sort((a, b) =>
    SCENARIOS.indexOf(a.id as ScenarioId) -
    SCENARIOS.indexOf(b.id as ScenarioId)
  );
  const name = s.smoke
    ? SMOKE_RESULT
    : `results/${resultName(startedAt, sha, s.only ? selected : [])}`;
  const result: BenchResult = {
    date: startedAt.toISOString().slice(0, 10),
    commit: sha,
    dirty,
    ...(s.smoke ? { smoke: true } : {}),
    startedAt: startedAt.toISOString(),
    elapsedS: (performance.now() - t0) / 1000,
    machine: info,
    settings: {
      "duration per side (s)": s.durationS,
      "warm-up per side (s)": s.warmupS,
      connections: s.connections,
      "catalog SKUs": CATALOG_SIZE,
      "visibility samples": s.visibilitySamples,
      "PostgreSQL pool of the API": 10,
      "bench stores":
        `PostgreSQL ${s.databaseName}, Redis db ${s.redisDb}, MongoDB ${s.mongoDb}, ` +
        `ES prefix ${s.esPrefix}`,
    },
    scenarios,
    // A smoke's misses are noise, not findings to explain.
    bounds: s.smoke ? [] : scenarios.flatMap((sc) => boundsFor(sc)),
  };
  await Deno.mkdir(`${BENCH}results`, { recursive: true });
  const jsonPath = `${BENCH}${name}.json`;
  const mdPath = `${BENCH}${name}.md`;
  await Deno.writeTextFile(jsonPath, JSON.stringify(result, null, 2) + "\n");
  await Deno.writeTextFile(mdPath, renderMarkdown(result));
  log(`wrote ${jsonPath} and ${mdPath}`);
  if (updateReadme) {
    const readmePath = `${ROOT}README.md`;
    const readme = await Deno.readTextFile(readmePath);
    await Deno.writeTextFile(
      readmePath,
      replaceReadmeSection(
        readme,
        readmeSection(result, `bench/${name}.md`),
      ),
    );
    // The section's long lines are wrapped as `deno task check` expects.
    await run([Deno.execPath(), "fmt", "--quiet", readmePath]);
    log("updated the Benchmarks section of README.md");
  }
  console.log(summaryTable(scenarios));
  if (!s.smoke) return 0;
  const misses = unjudgedMisses(scenarios);
  if (misses.length > 0) {
    log(`smoke: not judged (targets on a shared machine): ${misses.length} missed`);
    for (const miss of misses) log(`  ${miss}`);
  }
  const failures = smokeFailures(scenarios);
  for (const failure of failures) log(`smoke FAILED: ${failure}`);
  log(
    failures.length === 0
      ? `smoke passed: ${scenarios.length} scenarios ran without errors in ${
        Math.round(result.elapsedS)
      } s`
      : `smoke failed: ${failures.length} problem(s)`,
  );
  return failures.length === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main());

/**
 * The checkout scenarios: `POST /orders` over the whole catalog (checkout) and on one hot SKU
 * (hot), each against pgbench running the SQL the order adapter sends
 * (bench/checkout.pgbench.sql, `Ctx.pgbenchScript`). The hot scenario also proves that no
 * unit is ever oversold, under load and by draining a small stock on purpose.
 */
import { BODIES } from "./bodies.ts";
import {
  HOT_SKU,
  PROBE_SKU_API,
  PROBE_SKU_PGBENCH,
  PROBE_STOCK,
  releasePendingOrders,
  stockOf,
} from "./fixtures.ts";
import { type HttpSpec, pgbenchLoad } from "./load.ts";
import type { ScenarioResult, Side } from "./result.ts";
import { type Ctx, noFailures, scenario } from "./_harness.ts";
import { measureHttp, measurePgbench } from "./_measure.ts";
import { burst, catalogRange } from "./_requests.ts";
import { atLeast, atMost, ratio } from "./stats.ts";

function orderSpec(ctx: Ctx, range: readonly [number, number]): HttpSpec {
  return {
    url: ctx.apiBase,
    method: "POST",
    paths: ["/orders"],
    bodies: [BODIES.order(ctx.shippingOptionId)],
    headers: { "content-type": "application/json" },
    tokens: ctx.users.map((u) => u.token),
    tokenPerConnection: true,
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

export async function checkoutScenario(ctx: Ctx): Promise<ScenarioResult> {
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
      "The API also authenticates the bearer token (its session and user read from PostgreSQL " +
      "at most once per SESSION_NEAR_CACHE_MS, otherwise answered in-process), reads the " +
      "shipping option and tax rate, and runs the rate limiter (its local allowance, one " +
      "EVALSHA per claimed batch) on each request; pgbench does none of that.",
      "Each wrk connection is one customer for the whole run (one wrk thread per connection), " +
      "as each pgbench client is: two connections placing orders as the same customer " +
      "serialize on that customer's row.",
    ],
  );
}

export async function hotScenario(ctx: Ctx): Promise<ScenarioResult> {
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

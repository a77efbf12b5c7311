/**
 * The product scenario: `GET /products/:sku` on a warm cache against a bare `Deno.serve` that
 * answers the API's very bytes with one ioredis GET (bench/baseline_server.ts redis-get), with
 * the Redis commands per request counted by MONITOR. Target >= 0.8x.
 */
import { CATALOG_SIZE, catalogSku, withRedis } from "./fixtures.ts";
import { type Ctx, noFailures, scenario } from "./_harness.ts";
import { measureHttp } from "./_measure.ts";
import { productSpec, redisPerRequest } from "./_requests.ts";
import { startBaseline, withProc } from "./_servers.ts";
import type { ScenarioResult } from "./result.ts";
import { atLeast, atMost, ratio } from "./stats.ts";

/** Where the redis-get baseline finds the API's own answer for a SKU (bench Redis db). */
const ANSWER_PREFIX = "bench:answer:";

export async function productScenario(ctx: Ctx): Promise<ScenarioResult> {
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

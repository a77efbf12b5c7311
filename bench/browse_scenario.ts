/**
 * The browse scenario: `GET /products?category=&sort=` (a cache miss by nature: pages are not
 * cached) against a bare `Deno.serve` running the catalog adapter's very `find` and count
 * with the MongoDB driver (bench/baseline_server.ts). Target >= 0.7x. The API also reads the
 * page's stock from PostgreSQL for the availability of each product; the baseline does not.
 */
import { type Ctx, noFailures, scenario } from "./_harness.ts";
import { measureHttp } from "./_measure.ts";
import { startBaseline, withProc } from "./_servers.ts";
import { measureWithAndWithoutReuse } from "./read_reuse.ts";
import type { ScenarioResult } from "./result.ts";
import { atLeast, ratio } from "./stats.ts";

/** Browse pages of the first `count` categories the catalog has, in two sorts. */
export async function browsePaths(ctx: Ctx, count: number): Promise<string[]> {
  const res = await fetch(`${ctx.apiBase}/products?size=100`);
  const page = await res.json() as { items: { category: string }[] };
  const categories = [...new Set(page.items.map((p) => p.category))].slice(0, count);
  if (categories.length === 0) throw new Error("the bench catalog lists no product");
  return categories.flatMap((c) => [
    `/products?category=${encodeURIComponent(c)}&sort=rating&size=20`,
    `/products?category=${encodeURIComponent(c)}&sort=price_asc&size=20`,
  ]);
}

export async function browseScenario(ctx: Ctx): Promise<ScenarioResult> {
  const { s } = ctx;
  const paths = await browsePaths(ctx, 3);
  const baseUrl = `http://127.0.0.1:${s.helloPort}`;
  const mismatches: string[] = [];
  const baseline = await withProc(
    startBaseline(s, ["mongo-find", s.mongoUrl, s.mongoDb], paths[0]),
    async (p) => {
      // The same page both ways, or the comparison means nothing.
      for (const path of paths) {
        const api = await (await fetch(ctx.apiBase + path)).json();
        const base = await (await fetch(baseUrl + path)).json();
        const skus = (items: { sku?: string; _id?: string }[]) =>
          items.map((i) => i.sku ?? i._id).join(",");
        if (api.total !== base.total || skus(api.items) !== skus(base.items)) {
          mismatches.push(`${path}: API ${api.total}, driver ${base.total}`);
        }
      }
      return (await measureHttp(
        ctx,
        { url: baseUrl, paths },
        "bare Deno.serve + MongoDB find",
        p,
        ["mongodb"],
      )).side;
    },
  );
  // Judged with READ_REUSE_MS=0 (identical pages in flight still share one load): with the
  // default, three repeated pages would measure the reuse. The default is reported beside it.
  const { reusing, noReuse: api } = await measureWithAndWithoutReuse(
    ctx,
    { url: ctx.apiBase, paths },
    "GET /products (browse)",
    ["mongodb", "postgres", "redis"],
  );
  return scenario(
    "browse",
    api,
    baseline,
    [
      atLeast("ratio", ratio(api.throughput, baseline.throughput), 0.7),
      noFailures("API", api),
      noFailures("baseline", baseline),
      noFailures("API, READ_REUSE_MS default", reusing),
      {
        name: "same pages",
        target: "API = driver (total and SKUs)",
        actual: mismatches.length === 0 ? "equal" : mismatches.join("; "),
        pass: mismatches.length === 0,
      },
    ],
    { pages: paths.join(" | ") },
    [
      "The API also reads the page's stock (one PostgreSQL query for the 20 products) and " +
      "runs the rate limiter; the baseline answers the raw documents.",
      "The judged API side runs with READ_REUSE_MS=0: identical pages in flight share one " +
      "load, nothing is reused after it. With the default (200 ms) the API answered " +
      `${reusing.throughput.toFixed(0)}/s (p50 ${reusing.latency.p50?.toFixed(1)} ms, ` +
      `p99 ${reusing.latency.p99?.toFixed(1)} ms).`,
    ],
  );
}

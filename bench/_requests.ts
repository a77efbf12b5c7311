/**
 * What scenarios request: the load specs of the hello and product routes, and counted bursts
 * of requests outside the load tool (verification passes, probes, Redis commands per request).
 */
import { CATALOG_FIRST_SKU, CATALOG_SIZE, catalogSku } from "./fixtures.ts";
import type { HttpSpec } from "./load.ts";
import { monitorWhile } from "./redis_monitor.ts";
import type { BenchSettings } from "./settings.ts";
import type { Ctx } from "./_harness.ts";

export function helloSpec(s: BenchSettings): HttpSpec {
  return { url: `http://127.0.0.1:${s.helloPort}`, paths: ["/hello"] };
}

export const catalogRange = [
  CATALOG_FIRST_SKU,
  CATALOG_FIRST_SKU + CATALOG_SIZE - 1,
] as const;

export function productSpec(ctx: Ctx): HttpSpec {
  return {
    url: ctx.apiBase,
    paths: ["/products/{sku}"],
    skuRange: catalogRange,
  };
}

/**
 * `count` requests (paths cycled) with `concurrency` in flight; counts answers by status.
 * Used where the number of requests matters, not the rate (verification passes, probes).
 */
export async function burst(
  base: string,
  paths: readonly string[],
  count: number,
  init: (i: number) => RequestInit = () => ({}),
  concurrency = 10,
): Promise<Record<string, number>> {
  let next = 0;
  const statuses: Record<string, number> = {};
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const res = await fetch(base + paths[i % paths.length], init(i));
      await res.body?.cancel();
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return statuses;
}

/** Like `burst` for GETs that must all succeed. */
export async function getAll(base: string, paths: readonly string[], count: number): Promise<void> {
  const statuses = await burst(base, paths, count);
  const bad = Object.entries(statuses).filter(([code]) => !code.startsWith("2"));
  if (bad.length > 0) throw new Error(`GET ${paths[0]}...: ${JSON.stringify(statuses)}`);
}

/** Redis commands per request while `requests` product reads run, by purpose. */
export async function redisPerRequest(
  ctx: Ctx,
  requests: number,
): Promise<Record<string, number>> {
  const paths = Array.from(
    { length: CATALOG_SIZE },
    (_, i) => `/products/${catalogSku(i)}`,
  );
  const counts = await monitorWhile(ctx.s.redisUrl, ctx.s.redisDb, async () => {
    await getAll(ctx.apiBase, paths, requests);
  });
  return Object.fromEntries(
    Object.entries(counts).map(([k, v]) => [k, v / requests]),
  );
}

/**
 * The visibility scenario (absolute): how long a catalog change takes to be found by
 * `GET /search`, through MongoDB's change stream, the sync worker (its own process) and
 * Elasticsearch's refresh. Target: p95 within the index's refresh interval + 250 ms.
 */
import { BODIES } from "./bodies.ts";
import { apiEnv, CATALOG_SIZE, catalogSku } from "./fixtures.ts";
import { delay, spawn } from "./procs.ts";
import type { ScenarioResult } from "./result.ts";
import type { BenchSettings } from "./settings.ts";
import { type Ctx, log, ROOT, scenario } from "./_harness.ts";
import { taskCommand } from "./_servers.ts";
import { atMost, durationMs, summarize } from "./stats.ts";

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

export async function visibilityScenario(ctx: Ctx): Promise<ScenarioResult> {
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

import assert from "node:assert/strict";
import { testCore } from "../testing/core.ts";
import {
  backgroundDuties,
  dutyNames,
  PRUNING_DUTY,
  SWEEPER_DUTY,
  syncDuty,
} from "./background_duties.ts";
import { runDuties } from "./duties.ts";

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 3_000) {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

Deno.test("backgroundDuties() on the whole core, each under its lease", async (t) => {
  const core = await testCore(); // seeded and synced
  const feed = core.ports.feeds[0].name;

  await t.step("dutyNames(): sweeper, pruning, one sync per feed, and the rebuild", () => {
    assert.deepEqual(dutyNames(core.ports.feeds), [
      SWEEPER_DUTY,
      PRUNING_DUTY,
      syncDuty(feed),
      "search-reindex",
    ]);
  });

  await t.step("runs every duty while holding it and gives them all up on stop", async () => {
    const duties = backgroundDuties(core.ports, {
      sweepEveryMs: 5,
      pruneEveryMs: 5,
      retention: { outboxMs: 0, idempotencyMs: 0, sessionsMs: 0, parkedMs: 0 },
      sync: { batchSize: 50, waitMs: 5, attempts: 1, backoffMs: 1 },
    });
    assert.deepEqual(duties.map((d) => d.name), dutyNames(core.ports.feeds).slice(0, 3));
    const stop = new AbortController();
    const lease = { ttlMs: 10_000, renewEveryMs: 5, retryEveryMs: 5 };
    const running = runDuties({ ...core.ports, holder: "host:1:a" }, duties, lease, stop.signal);
    for (const duty of duties) {
      await until(duty.name, async () => (await core.ports.leases.current(duty.name)) !== null);
    }

    await core.useCases.adjustInventory("BOK-001", { unitPriceCents: 777 });
    await until("the sync duty applied the change", async () => {
      const hit = await core.ports.index.search({ q: "", sort: "relevance", page: 1, size: 100 });
      return hit.items.some((h) => h.sku === "BOK-001" && h.priceCents === 777);
    });

    stop.abort();
    await running;
    for (const duty of duties) assert.equal(await core.ports.leases.current(duty.name), null);
  });
});

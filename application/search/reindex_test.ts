import assert from "node:assert/strict";
import type { SearchQuery } from "../../domain/search/search.ts";
import type { InventoryStore } from "../../ports/inventory/inventory.ts";
import { type TestCore, testCore } from "../../testing/core.ts";
import type { ReindexInProgress } from "../../domain/errors.ts";
import { MemoryJobLog, MemoryLeases } from "../../adapters/memory/leases.ts";
import { FixedClock } from "../../adapters/memory/fixed_clock.ts";
import { ReindexJobs } from "./reindex.ts";

const everything: SearchQuery = { q: "", sort: "price_asc", page: 1, size: 100 };

async function hit(core: TestCore, sku: string) {
  const { items } = await core.ports.index.search(everything);
  return items.find((i) => i.sku === sku) ?? null;
}

/** Inventory whose first `getMany` reads, then waits for `gate` before answering. */
function gatedInventory(inner: InventoryStore, gate: Promise<void>) {
  const reading = Promise.withResolvers<void>();
  let first = true;
  const inventory: InventoryStore = {
    get: (sku) => inner.get(sku),
    getMany: async (skus) => {
      const items = await inner.getMany(skus);
      if (first) {
        first = false;
        reading.resolve();
        await gate;
      }
      return items;
    },
    levels: (query) => inner.levels(query),
    create: (item) => inner.create(item),
    adjust: (sku, change, at) => inner.adjust(sku, change, at),
    discontinue: (sku, at) => inner.discontinue(sku, at),
  };
  return { inventory, reading: reading.promise };
}

Deno.test("startReindex() rebuilds the index from the catalog in the background", async (t) => {
  await t.step("runs as a job and picks up what the index missed", async () => {
    const core = await testCore();
    // A change that never reached the index (written behind the sync's back).
    const dune = (await core.ports.catalog.get("BOK-010"))!;
    await core.ports.catalog.replace({ ...dune, name: "Dune Messiah" });
    await core.ports.index.remove("LAP-001", 1_000);
    assert.equal(await hit(core, "LAP-001"), null);

    const job = await core.useCases.startReindex();
    assert.equal(job.status, "running");
    assert.equal(job.startedAt, core.clock.now().toISOString());
    assert.equal(job.finishedAt, null);
    await core.useCases.reindexIdle();

    const done = await core.useCases.reindexJob();
    assert.equal(done?.id, job.id);
    assert.equal(done?.status, "succeeded");
    assert.equal(done?.indexed, 76, "the seed's draft and scheduled products are indexed too");
    assert.equal(done?.error, null);
    assert.equal(done?.finishedAt, core.clock.now().toISOString());
    assert.equal((await hit(core, "BOK-010"))?.name, "Dune Messiah");
    assert.ok(await hit(core, "LAP-001"));
    assert.equal((await core.ports.index.search(everything)).total, 76);
  });

  await t.step("documents carry inventory price and stock", async () => {
    const core = await testCore();
    await core.ports.inventory.adjust(
      "LAP-008-16-256",
      { stock: 2, unitPriceCents: 99_900 },
      core.clock.now(),
    );
    await core.useCases.startReindex();
    await core.useCases.reindexIdle();
    const macbook = await hit(core, "LAP-008");
    assert.equal(macbook?.inStock, true);
    assert.equal(macbook?.priceCents, 99_900);
  });

  await t.step("asking again while one runs is refused with reindex_in_progress", async () => {
    const core = await testCore();
    const first = await core.useCases.startReindex();
    await assert.rejects(
      core.useCases.startReindex(),
      (e: ReindexInProgress) => e.code === "reindex_in_progress" && e.jobId === first.id,
    );
    await core.useCases.reindexIdle();
    const third = await core.useCases.startReindex();
    assert.notEqual(third.id, first.id);
    await core.useCases.reindexIdle();
  });

  await t.step("a failed rebuild is reported and the old index keeps answering", async () => {
    const core = await testCore();
    core.outages.elasticsearch.down = true;
    await core.useCases.startReindex();
    await core.useCases.reindexIdle();
    const job = await core.useCases.reindexJob();
    assert.equal(job?.status, "failed");
    assert.match(job?.error ?? "", /elasticsearch/);
    assert.ok(job?.finishedAt);
    core.outages.elasticsearch.down = false;
    assert.equal((await core.ports.index.search(everything)).total, 76);
  });
});

Deno.test("a reindex keeps writes that arrive while it runs", async (t) => {
  await t.step("a price change and a delete synced mid-rebuild survive the swap", async () => {
    const core = await testCore();
    const gate = Promise.withResolvers<void>();
    const { inventory, reading } = gatedInventory(core.ports.inventory, gate.promise);
    const jobs = new ReindexJobs({ ...core.ports, inventory });

    await jobs.start();
    await reading; // the rebuild has read the old price and the product about to go
    await core.useCases.adjustInventory("BOK-010", { unitPriceCents: 2500 });
    await core.useCases.deleteProduct("BOK-009");
    await core.syncAll();
    assert.equal((await hit(core, "BOK-010"))?.priceCents, 2500, "the live index took the write");
    assert.equal((await jobs.current())?.status, "running");

    gate.resolve();
    await jobs.idle();
    assert.equal((await jobs.current())?.status, "succeeded");
    assert.equal((await hit(core, "BOK-010"))?.priceCents, 2500);
    assert.equal(await hit(core, "BOK-009"), null);
    assert.equal((await core.ports.index.search(everything)).total, 75);
  });
});

Deno.test("the reindex job lives in the shared job log under a lease", async (t) => {
  await t.step("another instance on the same stores sees the job and is refused", async () => {
    const core = await testCore();
    const gate = Promise.withResolvers<void>();
    const { inventory, reading } = gatedInventory(core.ports.inventory, gate.promise);
    const one = new ReindexJobs({ ...core.ports, inventory });
    const other = new ReindexJobs({ ...core.ports });
    const job = await one.start();
    await reading;
    assert.equal((await other.current())?.id, job.id);
    assert.equal((await other.current())?.status, "running");
    await assert.rejects(other.start(), (e: ReindexInProgress) => e.jobId === job.id);
    gate.resolve();
    await one.idle();
    assert.equal((await other.current())?.status, "succeeded");
    assert.equal((await other.current())?.indexed, 76);
  });

  await t.step("a job whose holder died reads as abandoned and a new one may start", async () => {
    const core = await testCore();
    const clock = new FixedClock(core.clock.now());
    const leases = new MemoryLeases(clock);
    const jobs = new MemoryJobLog();
    const gate = Promise.withResolvers<void>();
    const { inventory, reading } = gatedInventory(core.ports.inventory, gate.promise);
    const lease = { ttlMs: 30_000, renewEveryMs: 3_600_000 };
    const dying = new ReindexJobs({ ...core.ports, inventory, clock, leases, jobs, lease });
    const dead = await dying.start();
    await reading; // it never finishes: its process "died" here (no renewals either)
    clock.advance(31_000);

    const restarted = new ReindexJobs({ ...core.ports, clock, leases, jobs, lease });
    const seen = await restarted.current();
    assert.equal(seen?.id, dead.id);
    assert.equal(seen?.status, "failed");
    assert.match(seen?.error ?? "", /abandoned/);
    const next = await restarted.start();
    assert.notEqual(next.id, dead.id);
    await restarted.idle();
    assert.equal((await restarted.current())?.status, "succeeded");
    gate.resolve();
    await dying.idle();
    assert.equal((await restarted.current())?.id, next.id, "the dead job does not overwrite it");
  });
});

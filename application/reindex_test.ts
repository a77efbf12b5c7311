import assert from "node:assert/strict";
import type { SearchQuery } from "../domain/search/search.ts";
import type { InventoryStore } from "../ports/inventory.ts";
import { type TestCore, testCore } from "../testing/core.ts";
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
    list: (query) => inner.list(query),
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

    const job = core.useCases.startReindex();
    assert.equal(job.status, "running");
    assert.equal(job.startedAt, core.clock.now().toISOString());
    assert.equal(job.finishedAt, null);
    await core.useCases.reindexIdle();

    const done = core.useCases.reindexJob();
    assert.equal(done?.id, job.id);
    assert.equal(done?.status, "succeeded");
    assert.equal(done?.indexed, 72, "the seed's draft and scheduled products are indexed too");
    assert.equal(done?.error, null);
    assert.equal(done?.finishedAt, core.clock.now().toISOString());
    assert.equal((await hit(core, "BOK-010"))?.name, "Dune Messiah");
    assert.ok(await hit(core, "LAP-001"));
    assert.equal((await core.ports.index.search(everything)).total, 72);
  });

  await t.step("documents carry inventory price and stock", async () => {
    const core = await testCore();
    await core.ports.inventory.adjust(
      "LAP-008",
      { stock: 2, unitPriceCents: 99_900 },
      core.clock.now(),
    );
    core.useCases.startReindex();
    await core.useCases.reindexIdle();
    const macbook = await hit(core, "LAP-008");
    assert.equal(macbook?.inStock, true);
    assert.equal(macbook?.priceCents, 99_900);
  });

  await t.step("asking again while one runs returns the running job", async () => {
    const core = await testCore();
    const first = core.useCases.startReindex();
    const second = core.useCases.startReindex();
    assert.equal(second.id, first.id);
    await core.useCases.reindexIdle();
    const third = core.useCases.startReindex();
    assert.notEqual(third.id, first.id);
    await core.useCases.reindexIdle();
  });

  await t.step("a failed rebuild is reported and the old index keeps answering", async () => {
    const core = await testCore();
    core.outages.elasticsearch.down = true;
    core.useCases.startReindex();
    await core.useCases.reindexIdle();
    const job = core.useCases.reindexJob();
    assert.equal(job?.status, "failed");
    assert.match(job?.error ?? "", /elasticsearch/);
    assert.ok(job?.finishedAt);
    core.outages.elasticsearch.down = false;
    assert.equal((await core.ports.index.search(everything)).total, 72);
  });
});

Deno.test("a reindex keeps writes that arrive while it runs", async (t) => {
  await t.step("a price change and a delete synced mid-rebuild survive the swap", async () => {
    const core = await testCore();
    const gate = Promise.withResolvers<void>();
    const { inventory, reading } = gatedInventory(core.ports.inventory, gate.promise);
    const jobs = new ReindexJobs({ ...core.ports, inventory });

    jobs.start();
    await reading; // the rebuild has read the old price and the product about to go
    await core.useCases.adjustInventory("BOK-010", { unitPriceCents: 2500 });
    await core.useCases.deleteProduct("BOK-009");
    await core.syncAll();
    assert.equal((await hit(core, "BOK-010"))?.priceCents, 2500, "the live index took the write");
    assert.equal(jobs.current()?.status, "running");

    gate.resolve();
    await jobs.idle();
    assert.equal(jobs.current()?.status, "succeeded");
    assert.equal((await hit(core, "BOK-010"))?.priceCents, 2500);
    assert.equal(await hit(core, "BOK-009"), null);
    assert.equal((await core.ports.index.search(everything)).total, 71);
  });
});

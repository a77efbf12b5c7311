import assert from "node:assert/strict";
import { DependencyUnavailable } from "../../domain/errors.ts";
import type { SearchDocument, SearchQuery } from "../../domain/search/search.ts";
import type { SearchIndex } from "../../ports/search/search_index.ts";
import { type TestCore, testCore } from "../../testing/core.ts";
import { FeedHistoryLost } from "../../ports/search/change_feed.ts";
import { resyncFeed } from "./resync_feed.ts";
import { runSync, syncOnce, type SyncOptions } from "./sync_catalog.ts";

const FAST: SyncOptions = { batchSize: 200, waitMs: 0, attempts: 3, backoffMs: 1 };

function deps(core: TestCore, index: SearchIndex = core.ports.index) {
  return { ...core.ports, index, state: core.ports.syncState };
}

/** The index, except that `put` fails with `failure(doc)` when it returns an error. */
function failingIndex(inner: SearchIndex, failure: (doc: SearchDocument) => Error | null) {
  const puts: string[] = [];
  const index: SearchIndex = {
    search: (query) => inner.search(query),
    autocomplete: (prefix, limit) => inner.autocomplete(prefix, limit),
    put: (doc) => {
      puts.push(doc.sku);
      const error = failure(doc);
      return error ? Promise.reject(error) : inner.put(doc);
    },
    remove: (sku, version) => inner.remove(sku, version),
    rebuild: (docs, onProgress) => inner.rebuild(docs, onProgress),
  };
  return { index, puts };
}

const everything: SearchQuery = { q: "", sort: "price_asc", page: 1, size: 100 };

async function hit(core: TestCore, sku: string) {
  const { items } = await core.ports.index.search(everything);
  return items.find((i) => i.sku === sku) ?? null;
}

async function checkpointOf(core: TestCore) {
  return (await core.ports.syncState.checkpoint(core.changes.name))?.checkpoint ?? null;
}

Deno.test("syncOnce() brings the index up to date from the change feed", async (t) => {
  await t.step("applies catalog content changes", async () => {
    const core = await testCore();
    await core.useCases.updateProduct("BOK-010", { name: "Dune Messiah" });
    assert.equal((await hit(core, "BOK-010"))?.name, "Dune");
    const pass = await syncOnce(deps(core), core.changes, FAST);
    assert.deepEqual(pass, { applied: 1, parked: 0, stalled: false });
    assert.equal((await hit(core, "BOK-010"))?.name, "Dune Messiah");
    const { items } = await core.useCases.search({ ...everything, q: "messiah" });
    assert.deepEqual(items.map((i) => i.sku), ["BOK-010"]);
  });

  await t.step(
    "applies inventory price changes and refreshes the catalog's price copy",
    async () => {
      const core = await testCore();
      await core.useCases.adjustInventory("BOK-010", { unitPriceCents: 1299 });
      await syncOnce(deps(core), core.changes, FAST);
      assert.equal((await hit(core, "BOK-010"))?.priceCents, 1299);
      assert.equal((await core.ports.catalog.get("BOK-010"))?.priceCents, 1299);
      const cheapest = await core.useCases.listProducts({
        attrs: [],
        sort: "price_asc",
        page: 1,
        size: 1,
      });
      assert.equal(cheapest.items[0].sku, "BOK-010", "browse sorting uses the refreshed copy");
      await core.syncAll();
      assert.equal((await hit(core, "BOK-010"))?.priceCents, 1299);
    },
  );

  await t.step("saves the checkpoint of the last event it read", async () => {
    const core = await testCore();
    await core.useCases.adjustInventory("BOK-010", { delta: 1 });
    await core.useCases.adjustInventory("BOK-009", { delta: 1 });
    const { pending } = await core.changes.backlog(await checkpointOf(core));
    assert.equal(pending, 2);
    const before = Number(await checkpointOf(core));
    await syncOnce(deps(core), core.changes, FAST);
    assert.equal(Number(await checkpointOf(core)), before + 2);
    assert.deepEqual(await syncOnce(deps(core), core.changes, FAST), {
      applied: 0,
      parked: 0,
      stalled: false,
    });
  });

  await t.step("a stock change flips inStock both ways", async () => {
    const core = await testCore();
    const order = await core.useCases.placeOrder({
      userId: "u",
      items: [{ sku: "LAP-005-32-1024", qty: 4 }],
    });
    await core.useCases.adjustInventory("HDP-001", { stock: 3 });
    await core.syncAll();
    assert.equal((await hit(core, "LAP-005"))?.inStock, false, "every variant's unit is reserved");
    assert.equal((await hit(core, "HDP-001"))?.inStock, true, "restocked");
    await core.useCases.cancelOrder({ userId: "u", orderId: order.id });
    await core.syncAll();
    assert.equal((await hit(core, "LAP-005"))?.inStock, true);
  });

  await t.step("a deleted product leaves the index", async () => {
    const core = await testCore();
    await core.useCases.deleteProduct("BOK-010");
    await core.syncAll();
    assert.equal(await hit(core, "BOK-010"), null);
  });

  await t.step("replaying the whole feed is harmless", async () => {
    const core = await testCore();
    await core.useCases.updateProduct("BOK-010", { name: "Dune Messiah", priceCents: 1299 });
    await core.useCases.deleteProduct("BOK-009");
    await core.useCases.adjustInventory("LAP-008", { stock: 3 });
    await core.syncAll();
    const before = await core.ports.index.search(everything);
    const end = await checkpointOf(core);

    await core.ports.syncState.saveCheckpoint(core.changes.name, "0", new Date(0));
    const replay = await core.syncAll();
    assert.equal(replay.stalled, false);
    assert.equal(replay.parked, 0);
    assert.deepEqual(await core.ports.index.search(everything), before);
    assert.equal(await checkpointOf(core), end);
    assert.equal(await hit(core, "BOK-009"), null);
    assert.equal((await hit(core, "BOK-010"))?.name, "Dune Messiah");
  });

  await t.step("keeps going while the product cache is down", async () => {
    const core = await testCore();
    core.outages.redis.down = true;
    await core.ports.inventory.adjust("BOK-010", { unitPriceCents: 1500 }, core.clock.now());
    const pass = await core.syncAll();
    assert.equal(pass.stalled, false);
    assert.equal((await hit(core, "BOK-010"))?.priceCents, 1500);
  });
});

Deno.test("syncOnce() stalls on an index outage without losing events", async (t) => {
  await t.step("does not advance the checkpoint and catches up after recovery", async () => {
    const core = await testCore();
    const start = await checkpointOf(core);
    core.outages.elasticsearch.down = true;
    await core.useCases.updateProduct("BOK-010", { name: "Dune Messiah" });
    await core.useCases.adjustInventory("LAP-008", { stock: 3 });

    const stalled = await syncOnce(deps(core), core.changes, FAST);
    assert.deepEqual(stalled, { applied: 0, parked: 0, stalled: true });
    assert.equal(await checkpointOf(core), start);
    assert.deepEqual(await core.ports.syncState.parked(10), []);
    assert.ok((await core.useCases.syncStatus()).pending >= 2);

    core.outages.elasticsearch.down = false;
    const pass = await core.syncAll();
    assert.equal(pass.stalled, false);
    assert.equal((await hit(core, "BOK-010"))?.name, "Dune Messiah");
    assert.equal((await hit(core, "LAP-008"))?.inStock, true);
    assert.equal((await core.useCases.syncStatus()).pending, 0);
  });

  await t.step("stops at the failing event: earlier ones are kept, later ones wait", async () => {
    const core = await testCore();
    let down = true;
    const { index } = failingIndex(
      core.ports.index,
      (doc) => down && doc.sku === "BOK-002" ? new DependencyUnavailable("elasticsearch") : null,
    );
    const start = Number(await checkpointOf(core));
    await core.useCases.adjustInventory("BOK-001", { unitPriceCents: 4000 });
    await core.useCases.adjustInventory("BOK-002", { unitPriceCents: 3000 });
    await core.useCases.adjustInventory("BOK-003", { unitPriceCents: 2000 });

    const pass = await syncOnce(deps(core, index), core.changes, FAST);
    assert.equal(pass.stalled, true);
    assert.equal(pass.applied, 1);
    assert.equal(Number(await checkpointOf(core)), start + 1, "just past BOK-001's event");
    assert.equal((await hit(core, "BOK-001"))?.priceCents, 4000);
    assert.equal((await hit(core, "BOK-003"))?.priceCents, 4999, "not applied yet");

    down = false;
    for (let i = 0; i < 5 && (await core.useCases.syncStatus()).pending > 0; i++) {
      assert.equal((await syncOnce(deps(core, index), core.changes, FAST)).stalled, false);
    }
    assert.equal((await hit(core, "BOK-002"))?.priceCents, 3000);
    assert.equal((await hit(core, "BOK-003"))?.priceCents, 2000);
    assert.equal((await core.useCases.syncStatus()).pending, 0);
  });
});

Deno.test("syncOnce() parks an event that keeps failing for another reason", async (t) => {
  await t.step("retries, parks it, moves on and reports it in syncStatus", async () => {
    const core = await testCore();
    const { index, puts } = failingIndex(
      core.ports.index,
      (doc) => doc.sku === "BOK-002" ? new Error("mapper_parsing_exception on attrs.pages") : null,
    );
    await core.useCases.adjustInventory("BOK-001", { unitPriceCents: 4000 });
    await core.useCases.adjustInventory("BOK-002", { unitPriceCents: 3000 });
    await core.useCases.adjustInventory("BOK-003", { unitPriceCents: 2000 });
    core.clock.advance(1_000);

    const pass = await syncOnce(deps(core, index), core.changes, FAST);

    assert.equal(pass.stalled, false);
    assert.equal(pass.parked, 1);
    assert.ok(pass.applied >= 2);
    assert.equal(puts.filter((sku) => sku === "BOK-002").length, FAST.attempts);
    assert.equal((await hit(core, "BOK-003"))?.priceCents, 2000, "later events still applied");
    const [parked] = await core.ports.syncState.parked(10);
    assert.equal(parked.event.sku, "BOK-002");
    assert.equal(parked.attempts, FAST.attempts);

    const status = await core.useCases.syncStatus();
    assert.equal(status.parked.length, 1);
    assert.equal(status.parked[0].feed, core.changes.name);
    assert.equal(status.parked[0].sku, "BOK-002");
    assert.match(status.parked[0].error, /mapper_parsing_exception/);
    assert.equal(status.parked[0].parkedAt, core.clock.now().toISOString());
  });

  await t.step("a later successful apply of the SKU resolves it", async () => {
    const core = await testCore();
    let broken = true;
    const { index } = failingIndex(
      core.ports.index,
      (doc) => broken && doc.sku === "BOK-002" ? new Error("mapper_parsing_exception") : null,
    );
    await core.useCases.adjustInventory("BOK-002", { unitPriceCents: 3000 });
    assert.equal((await syncOnce(deps(core, index), core.changes, FAST)).parked, 1);
    assert.equal((await core.useCases.syncStatus()).parked.length, 1);
    broken = false;
    core.clock.advance(1_000);
    await core.useCases.adjustInventory("BOK-002", { unitPriceCents: 3100 });
    assert.equal((await syncOnce(deps(core, index), core.changes, FAST)).applied, 1);
    assert.deepEqual((await core.useCases.syncStatus()).parked, []);
  });

  await t.step("a finished rebuild resolves what was parked before it began", async () => {
    const core = await testCore();
    const { index } = failingIndex(
      core.ports.index,
      (doc) => doc.sku === "BOK-002" ? new Error("mapper_parsing_exception") : null,
    );
    await core.useCases.adjustInventory("BOK-002", { unitPriceCents: 3000 });
    assert.equal((await syncOnce(deps(core, index), core.changes, FAST)).parked, 1);
    core.clock.advance(1_000);
    await core.useCases.startReindex();
    await core.useCases.reindexIdle();
    assert.deepEqual((await core.useCases.syncStatus()).parked, []);
  });
});

Deno.test("syncStatus() reports lag, backlog and checkpoint", async (t) => {
  await t.step("lag is measured from the oldest unapplied change", async () => {
    const core = await testCore();
    const synced = await core.useCases.syncStatus();
    assert.equal(synced.lagMs, 0);
    assert.equal(synced.pending, 0);
    assert.equal(synced.lastEventAt, core.clock.now().toISOString());
    assert.equal(synced.checkpoint, await checkpointOf(core));

    await core.useCases.adjustInventory("BOK-010", { delta: 1 });
    core.clock.advance(2_000);
    await core.useCases.adjustInventory("BOK-009", { delta: 1 });
    core.clock.advance(3_000);
    const behind = await core.useCases.syncStatus();
    assert.equal(behind.pending, 2);
    assert.equal(behind.lagMs, 5_000);
    assert.equal(behind.feeds.length, 1);
    assert.equal(behind.feeds[0].pending, 2);

    await core.syncAll();
    const caughtUp = await core.useCases.syncStatus();
    assert.equal(caughtUp.pending, 0);
    assert.equal(caughtUp.lagMs, 0);
    assert.equal(caughtUp.lastEventAt, new Date(core.clock.now().getTime() - 3_000).toISOString());
  });
});

Deno.test("runSync() keeps the index current until aborted", async (t) => {
  await t.step("applies changes as they arrive and stops on abort", async () => {
    const core = await testCore();
    const controller = new AbortController();
    const running = runSync(deps(core), core.ports.feeds, controller.signal, {
      ...FAST,
      waitMs: 5,
    });
    try {
      await core.useCases.adjustInventory("LAP-008", { stock: 2 });
      for (let i = 0; i < 200 && !(await hit(core, "LAP-008"))?.inStock; i++) {
        await new Promise((r) => setTimeout(r, 5));
      }
      assert.equal((await hit(core, "LAP-008"))?.inStock, true);
    } finally {
      controller.abort();
      await running;
    }
  });

  await t.step("reports every round to onPass (the worker's heartbeat)", async () => {
    const core = await testCore();
    const controller = new AbortController();
    const rounds: number[] = [];
    const running = runSync(
      deps(core),
      core.ports.feeds,
      controller.signal,
      { ...FAST, waitMs: 5 },
      (passes) => rounds.push(passes.length),
    );
    while (rounds.length < 3) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await running;
    assert.ok(rounds.every((feeds) => feeds === core.ports.feeds.length));
  });
});

Deno.test("a feed whose resume point left its history is resynced once", async (t) => {
  await t.step("rebuilds from the sources, restarts from now, reports it, goes on", async () => {
    const core = await testCore();
    await core.useCases.adjustInventory("BOK-010", { unitPriceCents: 2500 });
    await core.useCases.deleteProduct("BOK-009");
    core.changes.loseHistory(); // the oplog rolled over before the sync read those changes
    core.clock.advance(1_000);

    const pass = await syncOnce(deps(core), core.changes, FAST);
    assert.deepEqual(pass, { applied: 0, parked: 0, stalled: false, resynced: true });
    assert.equal((await hit(core, "BOK-010"))?.priceCents, 2500, "rebuilt from the sources");
    assert.equal(await hit(core, "BOK-009"), null);
    const status = await core.useCases.syncStatus();
    assert.equal(status.feeds[0].resyncs, 1);
    assert.equal(status.feeds[0].lastResyncAt, core.clock.now().toISOString());
    assert.match(status.feeds[0].lastResyncReason ?? "", /history/);
    assert.equal((await core.useCases.reindexJob())?.status, "succeeded");

    // Back to normal: later changes flow through the feed, no second resync.
    await core.useCases.adjustInventory("BOK-010", { unitPriceCents: 2600 });
    const next = await syncOnce(deps(core), core.changes, FAST);
    assert.deepEqual(next, { applied: 1, parked: 0, stalled: false });
    assert.equal((await hit(core, "BOK-010"))?.priceCents, 2600);
    assert.equal((await core.useCases.syncStatus()).feeds[0].resyncs, 1);
  });

  await t.step("waits while another rebuild holds the lease, then resyncs", async () => {
    const core = await testCore();
    await core.useCases.adjustInventory("BOK-010", { unitPriceCents: 2500 });
    core.changes.loseHistory();
    await core.ports.leases.acquire("search-reindex", "elsewhere", 60_000);
    const waiting = await syncOnce(deps(core), core.changes, FAST);
    assert.equal(waiting.stalled, true);
    assert.equal((await core.useCases.syncStatus()).feeds[0].resyncs, 0);
    await core.ports.leases.release("search-reindex", "elsewhere");
    assert.equal((await syncOnce(deps(core), core.changes, FAST)).resynced, true);
    assert.equal((await hit(core, "BOK-010"))?.priceCents, 2500);
  });

  await t.step("a second process that saw the same loss does not rebuild again", async () => {
    const core = await testCore();
    await core.useCases.adjustInventory("BOK-010", { unitPriceCents: 2500 });
    core.changes.loseHistory();
    const stale = await checkpointOf(core); // what the other process polled with
    let lost: FeedHistoryLost | undefined;
    await core.changes.poll(stale, 10, 0).catch((e) => (lost = e));
    assert.ok(lost instanceof FeedHistoryLost);
    assert.equal((await syncOnce(deps(core), core.changes, FAST)).resynced, true);
    assert.equal(await resyncFeed(deps(core), core.changes, lost, stale), "elsewhere");
    assert.equal((await core.useCases.syncStatus()).feeds[0].resyncs, 1);
  });

  await t.step("runSync() keeps going instead of failing on it forever", async () => {
    const core = await testCore();
    await core.useCases.adjustInventory("BOK-010", { unitPriceCents: 2500 });
    core.changes.loseHistory();
    const stop = new AbortController();
    const passes: boolean[] = [];
    const running = runSync(deps(core), [core.changes], stop.signal, FAST, (p) => {
      passes.push(p[0].stalled);
      if (passes.length >= 3) stop.abort();
    });
    await running;
    assert.deepEqual(passes, [false, false, false]);
    assert.equal((await core.useCases.syncStatus()).feeds[0].resyncs, 1);
  });
});

Deno.test("syncOnce() reads the category tree once per batch for the facet names", async (t) => {
  await t.step("three product changes, one read of the tree; facets from it", async () => {
    const core = await testCore();
    let reads = 0;
    const inner = core.ports.categories;
    const categories: typeof inner = Object.assign(Object.create(inner), {
      all: () => {
        reads++;
        return inner.all();
      },
    });
    for (const sku of ["BOK-010", "BOK-011", "BOK-012"]) {
      await core.useCases.updateProduct(sku, { name: `Renamed ${sku}` });
    }
    const pass = await syncOnce({ ...deps(core), categories }, core.changes, FAST);
    assert.equal(pass.applied, 3);
    assert.equal(reads, 1, "the tree is small: read once, not per product");
    const books = await core.useCases.search({ ...everything, category: "books" });
    assert.deepEqual(Object.keys(books.facets.attrs).sort(), ["format", "language"]);
  });
});

import assert from "node:assert/strict";
import type { ParkedEvent, SyncStateStore } from "../search/change_feed.ts";
import type { ContractOptions, MakeFixture } from "./_fixture.ts";

const T0 = Date.parse("2030-01-01T00:00:00.000Z");
const at = (seconds: number) => new Date(T0 + seconds * 1_000);

function feedName(): string {
  return `feed-${crypto.randomUUID()}`;
}

function parkedEvent(feed: string, checkpoint: string, seconds: number): ParkedEvent {
  return {
    feed,
    event: { source: "catalog", sku: `sku-${crypto.randomUUID()}`, at: at(seconds), checkpoint },
    error: `boom at ${checkpoint}`,
    attempts: 3,
    parkedAt: at(seconds + 1),
  };
}

export function syncStateStoreContract(
  label: string,
  make: MakeFixture<SyncStateStore>,
  options: ContractOptions = {},
): void {
  Deno.test({
    name: `${label}: SyncStateStore contract`,
    ignore: options.ignore,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async (t) => {
      await t.step("checkpoint() is null for a new feed and returns the last save", async () => {
        const fx = await make();
        try {
          const store = fx.subject;
          const feed = feedName();
          const other = feedName();
          assert.equal(await store.checkpoint(feed), null);
          await store.saveCheckpoint(feed, "cp-1", at(1));
          assert.deepEqual(await store.checkpoint(feed), {
            checkpoint: "cp-1",
            lastEventAt: at(1),
          });
          await store.saveCheckpoint(feed, "cp-2", at(2));
          assert.deepEqual(await store.checkpoint(feed), {
            checkpoint: "cp-2",
            lastEventAt: at(2),
          });
          assert.equal(await store.checkpoint(other), null);
        } finally {
          await fx.close();
        }
      });

      await t.step("park() keeps the event, error and attempts; parked() lists them", async () => {
        const fx = await make();
        try {
          const store = fx.subject;
          const feed = feedName();
          const first = parkedEvent(feed, "7", 10);
          const second = parkedEvent(feed, "9", 20);
          await store.park(first);
          await store.park(second);
          const mine = (await store.parked(10_000)).filter((p) => p.feed === feed);
          const byCheckpoint = (a: ParkedEvent, b: ParkedEvent) =>
            a.event.checkpoint < b.event.checkpoint ? -1 : 1;
          assert.deepEqual(
            mine.sort(byCheckpoint).map((p) => ({ ...p, event: { ...p.event } })),
            [first, second],
          );
          assert.ok((await store.parked(1)).length <= 1);
        } finally {
          await fx.close();
        }
      });

      await t.step(
        "a category event parks and reads back as one; its slug resolves it",
        async () => {
          const fx = await make();
          try {
            const store = fx.subject;
            const feed = feedName();
            const slug = `cat-${crypto.randomUUID().slice(0, 8)}`;
            const parked: ParkedEvent = {
              ...parkedEvent(feed, "3", 5),
              event: { source: "category", sku: slug, at: at(5), checkpoint: "3" },
            };
            await store.park(parked);
            const mine = (await store.parked(10_000)).filter((p) => p.feed === feed);
            assert.deepEqual(mine.map((p) => ({ ...p, event: { ...p.event } })), [parked]);
            await store.resolve(feed, [slug], at(60));
            assert.deepEqual((await store.parked(10_000)).filter((p) => p.feed === feed), []);
          } finally {
            await fx.close();
          }
        },
      );

      await t.step("an order event parks and reads back as one; its id resolves it", async () => {
        const fx = await make();
        try {
          const store = fx.subject;
          const feed = feedName();
          const id = crypto.randomUUID();
          const parked: ParkedEvent = {
            ...parkedEvent(feed, "4", 5),
            event: { source: "order", sku: id, at: at(5), checkpoint: "4" },
          };
          await store.park(parked);
          const mine = (await store.parked(10_000)).filter((p) => p.feed === feed);
          assert.deepEqual(mine.map((p) => ({ ...p, event: { ...p.event } })), [parked]);
          await store.resolve(feed, [id], at(60));
          assert.deepEqual((await store.parked(10_000)).filter((p) => p.feed === feed), []);
        } finally {
          await fx.close();
        }
      });

      await t.step(
        "a vendor event parks and reads back as one; its id resolves it",
        async () => {
          const fx = await make();
          try {
            const store = fx.subject;
            const feed = feedName();
            const id = crypto.randomUUID();
            const parked: ParkedEvent = {
              ...parkedEvent(feed, "4", 5),
              event: { source: "vendor", sku: id, at: at(5), checkpoint: "4" },
            };
            await store.park(parked);
            const mine = (await store.parked(10_000)).filter((p) => p.feed === feed);
            assert.deepEqual(mine.map((p) => ({ ...p, event: { ...p.event } })), [parked]);
            await store.resolve(feed, [id], at(60));
            assert.deepEqual((await store.parked(10_000)).filter((p) => p.feed === feed), []);
          } finally {
            await fx.close();
          }
        },
      );

      await t.step(
        "recordResync() counts resyncs per feed with the last time and reason",
        async () => {
          const fx = await make();
          try {
            const store = fx.subject;
            const feed = feedName();
            assert.equal(await store.resyncs(feed), null);
            await store.recordResync(feed, at(1), "history lost: first");
            await store.recordResync(feed, at(5), "history lost: second");
            assert.deepEqual(await store.resyncs(feed), {
              count: 2,
              lastAt: at(5),
              lastReason: "history lost: second",
            });
            assert.equal(await store.resyncs(feedName()), null);
          } finally {
            await fx.close();
          }
        },
      );

      await t.step(
        "resolve() hides the SKU's events parked until then, not later ones",
        async () => {
          const fx = await make();
          try {
            const store = fx.subject;
            const feed = feedName();
            const other = feedName();
            const early = parkedEvent(feed, "1", 10);
            const kept = parkedEvent(feed, "2", 12);
            const late = {
              ...parkedEvent(feed, "3", 30),
              event: { ...early.event, checkpoint: "3" },
            };
            const elsewhere = { ...parkedEvent(other, "1", 10), event: { ...early.event } };
            for (const p of [early, kept, late, elsewhere]) await store.park(p);
            await store.resolve(feed, [early.event.sku], at(20));
            const mine = async (f: string) =>
              (await store.parked(10_000)).filter((p) => p.feed === f).map((p) =>
                p.event.checkpoint
              )
                .sort();
            assert.deepEqual(await mine(feed), ["2", "3"]);
            assert.deepEqual(await mine(other), ["1"], "another feed's event stays");
            await store.resolve(null, "all", at(25));
            assert.deepEqual(await mine(feed), ["3"], "parked after the rebuild began stays");
            assert.deepEqual(await mine(other), []);
            await store.park(early); // parked again: unresolved again
            assert.deepEqual(await mine(feed), ["1", "3"]);
          } finally {
            await fx.close();
          }
        },
      );
    },
  });
}

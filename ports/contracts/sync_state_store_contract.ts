import assert from "node:assert/strict";
import type { ParkedEvent, SyncStateStore } from "../change_feed.ts";
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
    },
  });
}

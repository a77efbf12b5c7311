import assert from "node:assert/strict";
import type { ChangeEvent, ChangeFeed } from "../search/change_feed.ts";
import type { ContractOptions, MakeFixture } from "./_fixture.ts";

export interface ChangeFeedFixture {
  readonly feed: ChangeFeed;
  /** The source this feed reports (every emitted event carries it). */
  readonly source: ChangeEvent["source"];
  /** Makes the feed's source record one change for `sku` at `at` (log append, outbox row...). */
  emit(sku: string, at: Date): Promise<void>;
}

/** The checkpoint after every event already in the feed (null when it is empty). */
export async function feedHead(
  feed: ChangeFeed,
  from: string | null = null,
): Promise<string | null> {
  let checkpoint = from;
  for (;;) {
    const events = await feed.poll(checkpoint, 500, 0);
    if (events.length === 0) return checkpoint;
    checkpoint = events[events.length - 1].checkpoint;
  }
}

/**
 * Polls from `after` until `want` events matching `match` arrived or `timeoutMs` passed.
 * `last` is the checkpoint of the last event read (matching or not).
 */
export async function collectFeed(
  feed: ChangeFeed,
  after: string | null,
  match: (event: ChangeEvent) => boolean,
  want: number,
  timeoutMs = 5_000,
): Promise<{ events: ChangeEvent[]; last: string | null }> {
  const events: ChangeEvent[] = [];
  let last = after;
  const deadline = Date.now() + timeoutMs;
  while (events.length < want && Date.now() < deadline) {
    const batch = await feed.poll(last, 100, Math.min(250, Math.max(0, deadline - Date.now())));
    for (const event of batch) if (match(event)) events.push(event);
    if (batch.length > 0) last = batch[batch.length - 1].checkpoint;
  }
  return { events, last };
}

const T0 = Date.parse("2030-01-01T00:00:00.000Z");
const at = (seconds: number) => new Date(T0 + seconds * 1_000);

function skus(n: number): string[] {
  const run = crypto.randomUUID();
  return Array.from({ length: n }, (_, i) => `feed-${run}-${i}`);
}

/** Distinct SKUs in the order they were first delivered. */
function firstSeen(events: readonly ChangeEvent[]): string[] {
  return [...new Set(events.map((e) => e.sku))];
}

export function changeFeedContract(
  label: string,
  make: MakeFixture<ChangeFeedFixture>,
  options: ContractOptions = {},
): void {
  Deno.test({
    name: `${label}: ChangeFeed contract`,
    ignore: options.ignore,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async (t) => {
      await t.step(
        "poll() delivers emitted changes in order with source, sku and time",
        async () => {
          const fx = await make();
          try {
            const { feed, emit, source } = fx.subject;
            const head = await feedHead(feed);
            const [a, b, c] = skus(3);
            await emit(a, at(1));
            await emit(b, at(2));
            await emit(c, at(3));
            const mine = new Set([a, b, c]);
            const { events } = await collectFeed(feed, head, (e) => mine.has(e.sku), 3);
            assert.deepEqual(firstSeen(events), [a, b, c]);
            for (const e of events) {
              assert.equal(e.source, source);
              assert.equal(typeof e.checkpoint, "string");
            }
            assert.deepEqual(
              [a, b, c].map((sku) => events.find((e) => e.sku === sku)!.at.getTime()),
              [at(1), at(2), at(3)].map((d) => d.getTime()),
            );
            assert.equal(new Set(events.map((e) => e.checkpoint)).size, events.length);
          } finally {
            await fx.close();
          }
        },
      );

      await t.step("head() marks the present end: every later change comes after it", async () => {
        const fx = await make();
        try {
          const tag = crypto.randomUUID().slice(0, 8);
          await fx.subject.emit(`OLD-${tag}`, at(1));
          await collectFeed(fx.subject.feed, null, (e) => e.sku === `OLD-${tag}`, 1);
          const head = await fx.subject.feed.head();
          await fx.subject.emit(`NEW-${tag}`, at(2));
          const { events } = await collectFeed(
            fx.subject.feed,
            head,
            (e) => e.sku === `NEW-${tag}`,
            1,
          );
          // A feed without a position for "now" may repeat a few seconds (harmless to the sync).
          assert.deepEqual(events.map((e) => e.sku), [`NEW-${tag}`]);
        } finally {
          await fx.close();
        }
      });

      await t.step("poll() resumes after a checkpoint and honours the limit", async () => {
        const fx = await make();
        try {
          const { feed, emit } = fx.subject;
          const head = await feedHead(feed);
          const [a, b, c] = skus(3);
          await emit(a, at(1));
          await emit(b, at(2));
          await emit(c, at(3));
          const mine = new Set([a, b, c]);
          const first = await collectFeed(feed, head, (e) => mine.has(e.sku), 3);
          const afterA = first.events.filter((e) => e.sku === a).at(-1)!.checkpoint;

          const resumed = await collectFeed(feed, afterA, (e) => mine.has(e.sku), 2);
          assert.deepEqual(firstSeen(resumed.events), [b, c]);

          const rest = await feed.poll(first.last, 100, 0);
          assert.equal(rest.filter((e) => mine.has(e.sku)).length, 0);

          const limited = await feed.poll(head, 2, 0);
          assert.equal(limited.length, 2);
        } finally {
          await fx.close();
        }
      });

      await t.step("poll() waits up to waitMs and wakes on a new change", async () => {
        const fx = await make();
        let timer: ReturnType<typeof setTimeout> | undefined;
        try {
          const { feed, emit } = fx.subject;
          const head = await feedHead(feed);
          const [a] = skus(1);
          const started = Date.now();
          const waiting = feed.poll(head, 10, 4_000);
          timer = setTimeout(() => void emit(a, at(1)), 100);
          const events = await waiting;
          const elapsed = Date.now() - started;
          assert.ok(events.length > 0, "poll returned no event although one was emitted");
          assert.ok(elapsed < 3_000, `poll took ${elapsed} ms to wake`);
          const { events: mine } = await collectFeed(feed, head, (e) => e.sku === a, 1);
          assert.equal(mine.length, 1);
        } finally {
          clearTimeout(timer);
          await fx.close();
        }
      });

      await t.step("poll() returns nothing after waitMs when no change arrives", async () => {
        const fx = await make();
        try {
          const { feed } = fx.subject;
          const head = await feedHead(feed);
          const started = Date.now();
          const events = await feed.poll(head, 10, 300);
          const elapsed = Date.now() - started;
          assert.deepEqual(events, []);
          assert.ok(elapsed >= 250, `poll returned after ${elapsed} ms, before waitMs`);
          assert.ok(elapsed < 3_000, `poll took ${elapsed} ms for a 300 ms wait`);
        } finally {
          await fx.close();
        }
      });

      await t.step("backlog() reports what is left after a checkpoint", async () => {
        const fx = await make();
        try {
          const { feed, emit } = fx.subject;
          const head = await feedHead(feed);
          assert.deepEqual(await feed.backlog(head), { pending: 0, oldestAt: null });
          const [a, b] = skus(2);
          await emit(a, at(1));
          await emit(b, at(2));
          const waiting = await feed.backlog(head);
          assert.ok(waiting.pending >= 1, `pending ${waiting.pending}`);
          assert.equal(waiting.oldestAt?.getTime(), at(1).getTime());
          const end = await feedHead(feed, head);
          assert.deepEqual(await feed.backlog(end), { pending: 0, oldestAt: null });
        } finally {
          await fx.close();
        }
      });
    },
  });
}

/**
 * The search sync loop: passes over each change feed from its durable checkpoint, each event
 * applied once per batch (sync_dispatch.ts), retried, stalled or parked (sync_retry.ts).
 */
import { type FacetableByCategory, facetableByCategory } from "../../domain/catalog/category.ts";
import {
  type ChangeEvent,
  type ChangeFeed,
  FeedHistoryLost,
} from "../../ports/search/change_feed.ts";
import { resyncFeed } from "./resync_feed.ts";
import { DEFAULT_SYNC_OPTIONS, type SyncDeps, type SyncOptions } from "./sync_deps.ts";
import { applyWithRetry, parkEvent } from "./sync_retry.ts";

export { DEFAULT_SYNC_OPTIONS, type SyncDeps, type SyncOptions } from "./sync_deps.ts";
export { applyChange, REMOVED_VERSION } from "./sync_product.ts";
export { type FeedStatus, type SyncStatus, syncStatus } from "./sync_status.ts";

export interface SyncPass {
  readonly applied: number;
  readonly parked: number;
  /** True when a dependency was down: the pass stopped before the failing event. */
  readonly stalled: boolean;
  /** Set when the feed had lost its history and the pass rebuilt the index instead. */
  readonly resynced?: true;
}

/**
 * One pass over a change feed: reads a batch after the durable checkpoint, applies each SKU
 * once (later events for the same SKU are covered by re-reading the sources), parks events
 * that keep failing for reasons other than an outage, and saves the checkpoint.
 */
export async function syncOnce(
  deps: SyncDeps,
  feed: ChangeFeed,
  options: SyncOptions = DEFAULT_SYNC_OPTIONS,
): Promise<SyncPass> {
  const saved = await deps.state.checkpoint(feed.name);
  let events: ChangeEvent[];
  try {
    events = await feed.poll(saved?.checkpoint ?? null, options.batchSize, options.waitMs);
  } catch (error) {
    if (!(error instanceof FeedHistoryLost)) throw error;
    const outcome = await resyncFeed(deps, feed, error, saved?.checkpoint ?? null);
    if (outcome === "resynced") return { applied: 0, parked: 0, stalled: false, resynced: true };
    return { applied: 0, parked: 0, stalled: outcome === "later" };
  }
  let applied = 0;
  let parked = 0;
  let last: ChangeEvent | undefined;
  // The category tree is small: read once per batch, after the poll (so it is at least as new
  // as any category write whose product rewrites are in this batch), and only when needed.
  let facetable: Promise<FacetableByCategory> | undefined;
  const tree = () => {
    facetable ??= deps.categories.all().then(facetableByCategory);
    facetable.catch(() => facetable = undefined); // a failed read is retried, not cached
    return facetable;
  };
  const done = new Set<string>();
  const resolved: string[] = [];
  const settle = async () => {
    if (last) await deps.state.saveCheckpoint(feed.name, last.checkpoint, last.at);
    // Applied now: whatever was parked for these SKUs before is resolved.
    if (resolved.length > 0) await deps.state.resolve(feed.name, resolved, deps.clock.now());
  };
  for (const event of events) {
    // A category's slug, an order id and a SKU may coincide: different things to apply.
    const kind = event.source === "catalog" || event.source === "inventory"
      ? "product"
      : event.source;
    const key = `${kind}:${event.sku}`;
    if (!done.has(key)) {
      const result = await applyWithRetry(deps, event, options, tree);
      if (result.outcome === "stalled") {
        await settle();
        deps.logger.warn("sync stalled: a dependency is down", { feed: feed.name, sku: event.sku });
        return { applied, parked, stalled: true };
      }
      if (result.outcome === "parked") {
        parked++;
        await parkEvent(deps, feed.name, event, result.error, options);
      } else {
        applied++;
        resolved.push(event.sku);
      }
      done.add(key);
    }
    last = event;
  }
  await settle();
  return { applied, parked, stalled: false };
}

/**
 * Runs passes over every feed until `signal` aborts; sleeps a little after a stall. `onPass`
 * hears of every round (a worker's heartbeat).
 */
export async function runSync(
  deps: SyncDeps,
  feeds: readonly ChangeFeed[],
  signal: AbortSignal,
  options: SyncOptions = DEFAULT_SYNC_OPTIONS,
  onPass: (passes: readonly SyncPass[]) => void = () => {},
): Promise<void> {
  while (!signal.aborted) {
    const passes = await Promise.all(feeds.map(async (feed) => {
      try {
        return await syncOnce(deps, feed, options);
      } catch (error) {
        deps.logger.warn("sync pass failed", { feed: feed.name, error: String(error) });
        return { applied: 0, parked: 0, stalled: true };
      }
    }));
    onPass(passes);
    if (passes.some((p) => p.stalled) && !signal.aborted) {
      await new Promise((r) => setTimeout(r, options.backoffMs * 10));
    }
  }
}

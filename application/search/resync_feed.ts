import { ReindexInProgress } from "../../domain/errors.ts";
import type { ChangeFeed, FeedHistoryLost } from "../../ports/search/change_feed.ts";
import type { IdGenerator } from "../../ports/ids.ts";
import type { JobLog, Leases } from "../../ports/leases.ts";
import { beginReindex, type ReindexLeaseOptions } from "./reindex.ts";
import { reconcileCategories } from "../catalog/category_sync.ts";
import { reconcileRatings } from "../reviews/review_sync.ts";
import { reconcileVendors } from "../vendors/vendor_sync.ts";
import type { SyncDeps } from "./sync_deps.ts";

export interface ResyncDeps extends SyncDeps {
  readonly ids: IdGenerator;
  readonly leases: Leases;
  readonly jobs: JobLog;
  readonly lease?: ReindexLeaseOptions;
}

/**
 * The feed can no longer resume where the sync stopped (its history moved past the
 * checkpoint), so the changes in between are unknown: note the feed's present end, rebuild the
 * whole index from the sources (the reindex use case, under its lease), then continue from
 * that end and count the resync. Changes made during the rebuild come through the feed again
 * afterwards, which is harmless (applying is idempotent).
 *
 * Returns "later" when it could not finish now (another rebuild holds the lease, or the rebuild
 * failed): the checkpoint is unchanged, so the next pass sees the loss again and retries;
 * "elsewhere" when another process resynced the feed meanwhile.
 */
export async function resyncFeed(
  deps: ResyncDeps,
  feed: ChangeFeed,
  lost: FeedHistoryLost,
  lostCheckpoint: string | null,
): Promise<"resynced" | "elsewhere" | "later"> {
  // Another process may have resynced this feed since our poll: then just carry on from there.
  if ((await deps.state.checkpoint(feed.name))?.checkpoint !== lostCheckpoint) return "elsewhere";
  const head = await feed.head();
  let rebuild;
  try {
    // The new checkpoint is saved while the lease is still held, so a process that takes the
    // lease next already sees the feed resynced.
    rebuild = await beginReindex({ ...deps, syncState: deps.state }, undefined, async () => {
      const now = deps.clock.now();
      if (head !== null) await deps.state.saveCheckpoint(feed.name, head, now);
      await deps.state.recordResync(feed.name, now, lost.message);
    });
  } catch (error) {
    if (!(error instanceof ReindexInProgress)) throw error;
    deps.logger.warn("feed history lost; waiting for the running rebuild to finish", {
      feed: feed.name,
      job: error.jobId,
    });
    return "later";
  }
  deps.logger.warn("feed history lost; rebuilding the index from the sources", {
    feed: feed.name,
    reason: lost.reason,
    job: rebuild.job.id,
  });
  const job = await rebuild.done;
  if (job.status !== "succeeded") {
    deps.logger.error("resync rebuild failed; retrying on the next pass", {
      feed: feed.name,
      error: job.error,
    });
    return "later";
  }
  deps.logger.info("feed resynced", { feed: feed.name, indexed: job.indexed });
  // Category changes in the lost stretch may not have reached the products' breadcrumbs: the
  // whole tree is reconciled (only what differs is written, and flows through the feeds).
  try {
    const fixed = await reconcileCategories(deps);
    if (fixed.paths + fixed.products > 0) deps.logger.info("categories reconciled", { ...fixed });
  } catch (error) {
    deps.logger.error("category reconcile after resync failed", { error: String(error) });
  }
  // Likewise review changes and the products' ratings (written where they differ, then indexed
  // through the product feed).
  if (deps.reviews) {
    try {
      const fixed = await reconcileRatings({ ...deps, reviews: deps.reviews });
      if (fixed > 0) deps.logger.info("ratings reconciled", { products: fixed });
    } catch (error) {
      deps.logger.error("ratings reconcile after resync failed", { error: String(error) });
    }
  }
  // Likewise vendor renames in the lost stretch: every vendor's products are reconciled.
  if (deps.vendors && deps.vendorIndex) {
    try {
      const fixed = await reconcileVendors({
        ...deps,
        vendors: deps.vendors,
        vendorIndex: deps.vendorIndex,
      });
      if (fixed.products > 0) deps.logger.info("vendors reconciled", { ...fixed });
    } catch (error) {
      deps.logger.error("vendor reconcile after resync failed", { error: String(error) });
    }
  }
  return "resynced";
}

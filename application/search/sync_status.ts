/** The sync's status report: lag, backlog, resyncs and parked events per change feed. */
import { type ChangeFeed, FeedHistoryLost } from "../../ports/search/change_feed.ts";
import type { SyncDeps } from "./sync_deps.ts";

export interface FeedStatus {
  readonly feed: string;
  readonly lagMs: number;
  readonly lastEventAt: string | null;
  readonly checkpoint: string | null;
  readonly pending: number;
  /** Rebuilds after the feed lost its history, the last one's time and reason. */
  readonly resyncs: number;
  readonly lastResyncAt: string | null;
  readonly lastResyncReason: string | null;
}

export interface SyncStatus
  extends Omit<FeedStatus, "feed" | "resyncs" | "lastResyncAt" | "lastResyncReason"> {
  readonly feeds: readonly FeedStatus[];
  readonly parked: readonly { feed: string; sku: string; error: string; parkedAt: string }[];
}

/** Lag is now minus the oldest change not yet applied, per feed; the summary is the worst. */
export async function syncStatus(
  deps: Pick<SyncDeps, "state" | "clock">,
  feeds: readonly ChangeFeed[],
): Promise<SyncStatus> {
  const now = deps.clock.now().getTime();
  const statuses = await Promise.all(feeds.map(async (feed): Promise<FeedStatus> => {
    const saved = await deps.state.checkpoint(feed.name);
    const resyncs = await deps.state.resyncs(feed.name);
    // A feed that lost its history has no countable backlog until the sync resyncs it.
    const backlog = await feed.backlog(saved?.checkpoint ?? null).catch((error) => {
      if (error instanceof FeedHistoryLost) return { pending: 0, oldestAt: null };
      throw error;
    });
    return {
      feed: feed.name,
      lagMs: backlog.oldestAt ? Math.max(0, now - backlog.oldestAt.getTime()) : 0,
      lastEventAt: saved?.lastEventAt.toISOString() ?? null,
      checkpoint: saved?.checkpoint ?? null,
      pending: backlog.pending,
      resyncs: resyncs?.count ?? 0,
      lastResyncAt: resyncs?.lastAt.toISOString() ?? null,
      lastResyncReason: resyncs?.lastReason ?? null,
    };
  }));
  const parked = await deps.state.parked(100);
  const latest = statuses.map((s) => s.lastEventAt).filter((s) => s !== null).sort().at(-1) ??
    null;
  return {
    lagMs: Math.max(0, ...statuses.map((s) => s.lagMs)),
    lastEventAt: latest,
    checkpoint: statuses.length === 1 ? statuses[0].checkpoint : null,
    pending: statuses.reduce((sum, s) => sum + s.pending, 0),
    feeds: statuses,
    parked: parked.map((p) => ({
      feed: p.feed,
      sku: p.event.sku,
      error: p.error,
      parkedAt: p.parkedAt.toISOString(),
    })),
  };
}

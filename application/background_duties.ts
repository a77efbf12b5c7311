/**
 * The background duties every API (with SYNC_IN_PROCESS) and worker instance offers to run,
 * each under its own lease (application/duties.ts): the expiry sweeper, one sync per change
 * feed, and pruning. The search rebuild takes its own lease when asked (search/reindex.ts).
 */
import type { RetentionPolicy } from "../ports/housekeeping.ts";
import type { Duty } from "./duties.ts";
import { every } from "./duties.ts";
import { pruneExpired } from "./housekeeping.ts";
import { expireOrders } from "./ordering/manage_orders.ts";
import { REINDEX_JOB } from "./search/reindex.ts";
import {
  DEFAULT_SYNC_OPTIONS,
  runSync,
  type SyncOptions,
  type SyncPass,
} from "./search/sync_catalog.ts";
import type { Ports } from "./use_cases.ts";

export const SWEEPER_DUTY = "expiry-sweeper";
export const PRUNING_DUTY = "pruning";
/** One lease per change feed, so the catalog and inventory syncs may run on different instances. */
export const syncDuty = (feed: string): string => `sync:${feed}`;

/** Every duty's lease name for these feeds, the rebuild's included (for the status report). */
export function dutyNames(feeds: readonly { readonly name: string }[]): string[] {
  return [SWEEPER_DUTY, PRUNING_DUTY, ...feeds.map((f) => syncDuty(f.name)), REINDEX_JOB];
}

export interface BackgroundSettings {
  readonly sweepEveryMs: number;
  readonly pruneEveryMs: number;
  readonly retention: RetentionPolicy;
  readonly sync?: SyncOptions;
  /** Hears every sync round of a feed this instance holds (a worker's heartbeat). */
  readonly onSyncPass?: (passes: readonly SyncPass[]) => void;
}

export function backgroundDuties(ports: Ports, settings: BackgroundSettings): Duty[] {
  const { logger } = ports;
  const syncDeps = { ...ports, state: ports.syncState };
  return [
    {
      name: SWEEPER_DUTY,
      run: every(
        settings.sweepEveryMs,
        () => expireOrders(ports),
        (error) => logger.error("expiry sweep failed", { error: String(error) }),
      ),
    },
    {
      name: PRUNING_DUTY,
      run: every(
        settings.pruneEveryMs,
        () => pruneExpired(ports, settings.retention),
        (error) => logger.error("pruning failed", { error: String(error) }),
      ),
    },
    ...ports.feeds.map((feed): Duty => ({
      name: syncDuty(feed.name),
      run: (signal) =>
        runSync(
          syncDeps,
          [feed],
          signal,
          settings.sync ?? DEFAULT_SYNC_OPTIONS,
          settings.onSyncPass,
        ),
    })),
  ];
}

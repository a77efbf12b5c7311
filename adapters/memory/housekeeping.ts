import type { Housekeeping, PruneReport, RetentionPolicy } from "../../ports/housekeeping.ts";
import type { MemoryChangeLog } from "./change_feed.ts";
import type { MemoryIdempotencyStore } from "./idempotency_store.ts";
import type { MemorySyncStateStore } from "./sync_state_store.ts";
import type { MemorySessionStore } from "./users.ts";

export interface MemoryHousekeepingStores {
  readonly idempotency: MemoryIdempotencyStore;
  readonly sessions: MemorySessionStore;
  readonly syncState: MemorySyncStateStore;
  /** Logs standing in for the outbox, pruned up to their consumer's checkpoint. */
  readonly logs: readonly MemoryChangeLog[];
}

const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);

/** Prunes the memory stores by the same rules as `PostgresHousekeeping`. */
export class MemoryHousekeeping implements Housekeeping {
  constructor(private readonly stores: MemoryHousekeepingStores) {}

  prune(now: Date, policy: RetentionPolicy, limit: number): Promise<PruneReport> {
    const { idempotency, sessions, syncState, logs } = this.stores;
    const checkpoints = syncState.checkpoints();
    let outbox = 0;
    for (const log of logs) {
      const consumed = checkpoints.get(log.name);
      if (consumed) outbox += log.prune(consumed, ago(now, policy.outboxMs), limit - outbox);
    }
    return Promise.resolve({
      outbox,
      idempotencyKeys: idempotency.prune(ago(now, policy.idempotencyMs), limit),
      sessions: sessions.prune(ago(now, policy.sessionsMs), limit),
      parkedEvents: syncState.pruneResolved(ago(now, policy.parkedMs), limit),
    });
  }
}

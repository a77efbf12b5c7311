/**
 * Pruning of what would otherwise grow forever: applied outbox rows, forgotten idempotency keys,
 * dead sessions and resolved parked events. One implementation per store that holds them
 * (PostgreSQL in production). It never removes what the sync or a replay still needs.
 */
export interface RetentionPolicy {
  /**
   * Outbox rows are kept this long after their change, and in any case until every consumer's
   * checkpoint has passed them.
   */
  readonly outboxMs: number;
  /**
   * Idempotency keys are kept this long after they were created and after their last claim
   * (so never while within their lifetime, which this must not be shorter than, or in flight).
   */
  readonly idempotencyMs: number;
  /** Sessions are kept this long after they expired or were revoked. */
  readonly sessionsMs: number;
  /** Parked events are kept this long after they were resolved; unresolved ones always. */
  readonly parkedMs: number;
}

/** How many rows one pass removed, per kind. */
export interface PruneReport {
  readonly outbox: number;
  readonly idempotencyKeys: number;
  readonly sessions: number;
  readonly parkedEvents: number;
}

export interface Housekeeping {
  /** Removes up to `limit` rows of each kind that `policy` lets go of at `now`. */
  prune(now: Date, policy: RetentionPolicy, limit: number): Promise<PruneReport>;
}

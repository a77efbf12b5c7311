/**
 * Something changed for a SKU in a source of truth; consumers re-read the sources. A
 * `category` event (the category tree changed) carries the category's slug in `sku`, an
 * `order` event (an order or one of its payments changed) the order's id, a `review` event (a
 * review was written, moderated or deleted) the review's id, a `user` event (a user's display
 * name changed, from the outbox) the user's id, and a `vendor` event (a vendor profile changed)
 * the vendor's id.
 */
export interface ChangeEvent {
  readonly source: "catalog" | "inventory" | "category" | "order" | "review" | "user" | "vendor";
  readonly sku: string;
  /** When the source changed. */
  readonly at: Date;
  /** Opaque position: resuming after it delivers the events that follow this one. */
  readonly checkpoint: string;
}

export interface Backlog {
  readonly pending: number;
  readonly oldestAt: Date | null;
}

/**
 * A durable, ordered feed of changes (MongoDB change stream, PostgreSQL outbox; in memory,
 * an append-only log). Delivery is at least once: consumers must be idempotent.
 */
export interface ChangeFeed {
  readonly name: string;
  /** Up to `limit` events after `after` (null: from the start), waiting up to `waitMs` for one. */
  poll(after: string | null, limit: number, waitMs: number): Promise<ChangeEvent[]>;
  /** What is left after `after`; `pending` may be an estimate where the feed cannot count. */
  backlog(after: string | null): Promise<Backlog>;
  /**
   * A checkpoint at the feed's present end: polling after it delivers every later change (a
   * feed that cannot name "now" exactly may repeat a few seconds before it).
   */
  head(): Promise<string | null>;
}

/**
 * `poll` or `backlog` was asked to resume after a checkpoint the feed no longer holds (the
 * MongoDB oplog rolled past the resume token): the changes in between are gone, and the
 * consumer must rebuild from the sources and restart from `head()`.
 */
export class FeedHistoryLost extends Error {
  constructor(readonly feed: string, readonly reason: string, options?: ErrorOptions) {
    super(`change feed ${feed} lost its history: ${reason}`, options);
    this.name = "FeedHistoryLost";
  }
}

export interface Resyncs {
  readonly count: number;
  readonly lastAt: Date;
  readonly lastReason: string;
}

export interface ParkedEvent {
  readonly feed: string;
  readonly event: ChangeEvent;
  readonly error: string;
  readonly attempts: number;
  readonly parkedAt: Date;
}

/** Durable consumer state (PostgreSQL in production): checkpoints and parked events. */
export interface SyncStateStore {
  checkpoint(feed: string): Promise<{ checkpoint: string; lastEventAt: Date } | null>;
  saveCheckpoint(feed: string, checkpoint: string, lastEventAt: Date): Promise<void>;
  park(event: ParkedEvent): Promise<void>;
  /** Unresolved parked events, oldest first. */
  parked(limit: number): Promise<ParkedEvent[]>;
  /**
   * Marks the feed's unresolved events for these SKUs parked at or before `at` resolved at `at`:
   * the SKU was applied since, by a later event or a rebuild. `feed` null: on every feed.
   */
  resolve(feed: string | null, skus: readonly string[] | "all", at: Date): Promise<void>;
  /** Counts a resync of `feed` (its history was lost; the index was rebuilt). */
  recordResync(feed: string, at: Date, reason: string): Promise<void>;
  resyncs(feed: string): Promise<Resyncs | null>;
}

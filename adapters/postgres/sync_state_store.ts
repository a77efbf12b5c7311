import { z } from "zod";
import type { ParkedEvent, Resyncs, SyncStateStore } from "../../ports/search/change_feed.ts";
import { date, int, parseRow } from "./_db.ts";
import type { Sql } from "./connect.ts";

const CheckpointRow = z.object({ checkpoint: z.string(), last_event_at: date });

const ResyncRow = z.object({ count: int, last_at: date, last_reason: z.string() });

const ParkedRow = z.object({
  feed: z.string(),
  checkpoint: z.string(),
  source: z.enum(["inventory", "catalog", "order", "review", "user"]),
  sku: z.string(),
  at: date,
  error: z.string(),
  attempts: int,
  parked_at: date,
});

/**
 * The `parked_events.source` CHECK predates category and vendor events (MongoDB's category tree
 * and vendor profiles), so one is stored as a catalog event whose sku is `category:<slug>` or
 * `vendor:<id>`, and read back as it was.
 */
const CATEGORY_PREFIX = "category:";
const VENDOR_PREFIX = "vendor:";

function storedSource(event: ParkedEvent["event"]): { source: string; sku: string } {
  if (event.source === "category") {
    return { source: "catalog", sku: `${CATEGORY_PREFIX}${event.sku}` };
  }
  if (event.source === "vendor") return { source: "catalog", sku: `${VENDOR_PREFIX}${event.sku}` };
  return { source: event.source, sku: event.sku };
}

function readSource(source: "inventory" | "catalog" | "order" | "review" | "user", sku: string) {
  if (source === "catalog" && sku.startsWith(CATEGORY_PREFIX)) {
    return { source: "category" as const, sku: sku.slice(CATEGORY_PREFIX.length) };
  }
  if (source === "catalog" && sku.startsWith(VENDOR_PREFIX)) {
    return { source: "vendor" as const, sku: sku.slice(VENDOR_PREFIX.length) };
  }
  return { source, sku };
}

/**
 * Sync consumers' durable state: one checkpoint per feed (outbox positions and MongoDB change
 * stream resume tokens alike, as opaque text) and the events they parked. Re-parking the same
 * (feed, checkpoint) replaces the earlier row.
 */
export class PostgresSyncStateStore implements SyncStateStore {
  constructor(private readonly sql: Sql) {}

  async checkpoint(feed: string): Promise<{ checkpoint: string; lastEventAt: Date } | null> {
    const [row] = await this.sql`
      SELECT checkpoint, last_event_at FROM sync_checkpoints WHERE feed = ${feed}`;
    if (!row) return null;
    const r = parseRow(CheckpointRow, row, "sync_checkpoints");
    return { checkpoint: r.checkpoint, lastEventAt: r.last_event_at };
  }

  async saveCheckpoint(feed: string, checkpoint: string, lastEventAt: Date): Promise<void> {
    await this.sql`
      INSERT INTO sync_checkpoints (feed, checkpoint, last_event_at, saved_at)
      VALUES (${feed}, ${checkpoint}, ${lastEventAt}, now())
      ON CONFLICT (feed) DO UPDATE
        SET checkpoint = excluded.checkpoint, last_event_at = excluded.last_event_at,
            saved_at = excluded.saved_at`;
  }

  async park(p: ParkedEvent): Promise<void> {
    const { source, sku } = storedSource(p.event);
    await this.sql`
      INSERT INTO parked_events (feed, checkpoint, source, sku, at, error, attempts, parked_at)
      VALUES (${p.feed}, ${p.event.checkpoint}, ${source}, ${sku},
              ${p.event.at}, ${p.error}, ${p.attempts}, ${p.parkedAt})
      ON CONFLICT (feed, checkpoint) DO UPDATE
        SET source = excluded.source, sku = excluded.sku, at = excluded.at,
            error = excluded.error, attempts = excluded.attempts, parked_at = excluded.parked_at,
            resolved_at = NULL`;
  }

  async recordResync(feed: string, at: Date, reason: string): Promise<void> {
    await this.sql`
      INSERT INTO sync_resyncs AS r (feed, count, last_at, last_reason)
      VALUES (${feed}, 1, ${at}, ${reason})
      ON CONFLICT (feed) DO UPDATE
        SET count = r.count + 1, last_at = excluded.last_at, last_reason = excluded.last_reason`;
  }

  async resyncs(feed: string): Promise<Resyncs | null> {
    const [row] = await this.sql`
      SELECT count, last_at, last_reason FROM sync_resyncs WHERE feed = ${feed}`;
    if (!row) return null;
    const r = parseRow(ResyncRow, row, "sync_resyncs");
    return { count: r.count, lastAt: r.last_at, lastReason: r.last_reason };
  }

  async resolve(feed: string | null, skus: readonly string[] | "all", at: Date): Promise<void> {
    if (skus !== "all" && skus.length === 0) return;
    // A category's slug or a vendor's id resolves its parked events too (see the prefixes).
    const keys = skus === "all"
      ? []
      : skus.flatMap((s) => [s, `${CATEGORY_PREFIX}${s}`, `${VENDOR_PREFIX}${s}`]);
    await this.sql`
      UPDATE parked_events SET resolved_at = ${at}
      WHERE resolved_at IS NULL AND parked_at <= ${at}
        AND (${feed}::text IS NULL OR feed = ${feed})
        ${skus === "all" ? this.sql`` : this.sql`AND sku = ANY(${keys}::text[])`}`;
  }

  /** Unresolved, oldest first. */
  async parked(limit: number): Promise<ParkedEvent[]> {
    if (limit <= 0) return [];
    const rows = await this.sql`
      SELECT feed, checkpoint, source, sku, at, error, attempts, parked_at
      FROM parked_events WHERE resolved_at IS NULL ORDER BY parked_at, feed, checkpoint LIMIT ${limit}`;
    return rows.map((row) => {
      const r = parseRow(ParkedRow, row, "parked_events");
      return {
        feed: r.feed,
        event: { ...readSource(r.source, r.sku), at: r.at, checkpoint: r.checkpoint },
        error: r.error,
        attempts: r.attempts,
        parkedAt: r.parked_at,
      };
    });
  }
}

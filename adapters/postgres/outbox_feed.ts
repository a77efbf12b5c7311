import { z } from "zod";
import type { Backlog, ChangeEvent, ChangeFeed } from "../../ports/search/change_feed.ts";
import { date, int, parseRow } from "./_db.ts";
import type { Sql } from "./connect.ts";

export interface OutboxFeedOptions {
  /** The feed's name (the consumer's checkpoint key). Default `postgres-outbox`. */
  readonly name?: string;
  /** How often `poll` looks again while it waits for a change. Default 100 ms. */
  readonly pollIntervalMs?: number;
  /**
   * The row sources this feed delivers (each consumer reads its own). Default: stock and
   * price changes and display-name changes, `["inventory", "catalog", "user"]`; the support
   * index reads `["order"]`.
   */
  readonly sources?: readonly OutboxSource[];
}

export const OUTBOX_SOURCES = ["inventory", "catalog", "order", "user"] as const;
export type OutboxSource = typeof OUTBOX_SOURCES[number];

const EventRow = z.object({
  id: int,
  txid: z.string().regex(/^\d+$/),
  source: z.enum(OUTBOX_SOURCES),
  sku: z.string(),
  at: date,
});

const BacklogRow = z.object({ pending: int, oldest: date.nullable() });

/**
 * The `outbox` table as a change feed (inventory stock and price changes, order and payment
 * changes, each written in the same transaction as the change), one consumer per set of
 * `sources`.
 *
 * Checkpoints are `"<txid>:<id>"`, not the bare id: ids are handed out when rows are inserted,
 * but transactions commit in any order, so a reader going by id alone could pass id 11 while
 * id 10 is still uncommitted and never see it. Instead a poll only returns rows whose writing
 * transaction is older than every transaction still running (`txid < xmin` of the current
 * snapshot), ordered by `(txid, id)`. Everything below that horizon is final, and anything
 * written later sorts after it, so resuming after a checkpoint never skips a row.
 * A long-running transaction elsewhere in the cluster delays delivery; it never loses it.
 */
export class PostgresOutboxFeed implements ChangeFeed {
  readonly name: string;
  readonly sources: readonly OutboxSource[];
  readonly #pollIntervalMs: number;

  constructor(private readonly sql: Sql, options: OutboxFeedOptions = {}) {
    this.name = options.name ?? "postgres-outbox";
    this.sources = options.sources ?? ["inventory", "catalog", "user"];
    this.#pollIntervalMs = options.pollIntervalMs ?? 100;
  }

  async poll(after: string | null, limit: number, waitMs: number): Promise<ChangeEvent[]> {
    const from = parseCheckpoint(after);
    if (limit <= 0) return [];
    const deadline = Date.now() + Math.max(0, waitMs);
    for (;;) {
      const rows = await this.sql`
        SELECT id, txid::text AS txid, source, sku, at FROM outbox
        WHERE source = ANY(${this.#sources()}::text[])
          AND (txid, id) > (${from.txid}::xid8, ${from.id}::bigint)
          AND txid < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY txid, id
        LIMIT ${limit}`;
      if (rows.length > 0) {
        return rows.map((row) => {
          const r = parseRow(EventRow, row, "outbox");
          return { source: r.source, sku: r.sku, at: r.at, checkpoint: `${r.txid}:${r.id}` };
        });
      }
      const left = deadline - Date.now();
      if (left <= 0) return [];
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.#pollIntervalMs, left)));
    }
  }

  /**
   * The last row every reader can already see (below the snapshot horizon); rows committed
   * later sort after it. The outbox never loses history (pruning stops at every consumer's
   * checkpoint), so a consumer asks for this only after a rebuild.
   */
  async head(): Promise<string | null> {
    const [row] = await this.sql`
      SELECT txid::text AS txid, id FROM outbox
      WHERE source = ANY(${this.#sources()}::text[])
        AND txid < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY txid DESC, id DESC LIMIT 1`;
    return row ? `${row.txid}:${row.id}` : null;
  }

  async backlog(after: string | null): Promise<Backlog> {
    const from = parseCheckpoint(after);
    const [row] = await this.sql`
      SELECT count(*) AS pending, min(at) AS oldest FROM outbox
      WHERE source = ANY(${this.#sources()}::text[])
        AND (txid, id) > (${from.txid}::xid8, ${from.id}::bigint)`;
    const r = parseRow(BacklogRow, row, "outbox backlog");
    return { pending: r.pending, oldestAt: r.oldest };
  }

  #sources(): string[] {
    return [...this.sources];
  }
}

function parseCheckpoint(checkpoint: string | null): { txid: string; id: string } {
  if (checkpoint === null) return { txid: "0", id: "0" };
  const match = /^(\d+):(\d+)$/.exec(checkpoint);
  if (!match) throw new TypeError(`not a PostgreSQL outbox checkpoint: ${checkpoint}`);
  return { txid: match[1], id: match[2] };
}

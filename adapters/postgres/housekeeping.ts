import type { Housekeeping, PruneReport, RetentionPolicy } from "../../ports/housekeeping.ts";
import type { Sql } from "./connect.ts";

export interface PostgresHousekeepingOptions {
  /**
   * The checkpoint names of every consumer of the outbox (the sync's outbox feed names). A row
   * goes only once each of them has a checkpoint past it.
   */
  readonly outboxConsumers: readonly string[];
}

const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);

/**
 * Deletes, in batches of at most `limit` rows per table, what the retention policy lets go:
 * outbox rows behind every consumer's checkpoint and older than the retention; idempotency keys
 * created and last claimed before it; sessions expired or revoked before it; parked events
 * resolved before it. Deleting what is already gone is harmless, so several processes may
 * prune at once.
 */
export class PostgresHousekeeping implements Housekeeping {
  constructor(private readonly sql: Sql, private readonly options: PostgresHousekeepingOptions) {}

  async prune(now: Date, policy: RetentionPolicy, limit: number): Promise<PruneReport> {
    const [outbox, idempotencyKeys, sessions, parkedEvents] = await Promise.all([
      this.#outbox(ago(now, policy.outboxMs), limit),
      this.#count(this.sql`
        DELETE FROM idempotency_keys WHERE ctid IN (
          SELECT ctid FROM idempotency_keys
          WHERE created_at < ${ago(now, policy.idempotencyMs)}
            AND claimed_at < ${ago(now, policy.idempotencyMs)}
          LIMIT ${limit})`),
      this.#count(this.sql`
        DELETE FROM sessions WHERE ctid IN (
          SELECT ctid FROM sessions
          WHERE expires_at < ${ago(now, policy.sessionsMs)}
             OR revoked_at < ${ago(now, policy.sessionsMs)}
          LIMIT ${limit})`),
      this.#count(this.sql`
        DELETE FROM parked_events WHERE ctid IN (
          SELECT ctid FROM parked_events WHERE resolved_at < ${ago(now, policy.parkedMs)}
          LIMIT ${limit})`),
    ]);
    return { outbox, idempotencyKeys, sessions, parkedEvents };
  }

  /** Up to the oldest consumer checkpoint (`"<txid>:<id>"`, the outbox feed's format). */
  async #outbox(before: Date, limit: number): Promise<number> {
    const consumers = this.options.outboxConsumers;
    if (consumers.length === 0) return 0;
    const rows = await this.sql`
      SELECT checkpoint FROM sync_checkpoints WHERE feed = ANY(${consumers as string[]}::text[])`;
    if (rows.length < new Set(consumers).size) return 0; // someone has consumed nothing yet
    const positions = rows.map((r) => /^(\d+):(\d+)$/.exec(String(r.checkpoint)));
    if (positions.some((p) => p === null)) return 0;
    const [oldest] = positions
      .map((p) => ({ txid: BigInt(p![1]), id: BigInt(p![2]) }))
      .sort((a, b) => a.txid !== b.txid ? (a.txid < b.txid ? -1 : 1) : a.id < b.id ? -1 : 1);
    return await this.#count(this.sql`
      DELETE FROM outbox WHERE id IN (
        SELECT id FROM outbox
        WHERE (txid, id) <= (${oldest.txid.toString()}::xid8, ${oldest.id.toString()}::bigint)
          AND at < ${before}
        ORDER BY txid, id
        LIMIT ${limit})`);
  }

  async #count(query: Promise<{ count: number }>): Promise<number> {
    return (await query).count;
  }
}

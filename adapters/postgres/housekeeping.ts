import type { Housekeeping, PruneReport, RetentionPolicy } from "../../ports/housekeeping.ts";
import type { Sql } from "./connect.ts";

export interface PostgresHousekeepingOptions {
  /**
   * Every consumer of the outbox (the sync's outbox feeds): its checkpoint name, alone when it
   * reads every row, or with the row sources it reads. A row goes only once each consumer of
   * its source has a checkpoint past it.
   */
  readonly outboxConsumers: readonly (string | OutboxConsumer)[];
}

export interface OutboxConsumer {
  readonly name: string;
  readonly sources: readonly string[];
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

  /**
   * Up to each consumer's checkpoint (`"<txid>:<id>"`, the outbox feed's format), per source:
   * a row stays while a consumer of its source has not passed it (or consumed nothing yet).
   */
  async #outbox(before: Date, limit: number): Promise<number> {
    const consumers = this.options.outboxConsumers.map((c) =>
      typeof c === "string" ? { name: c, sources: null } : c
    );
    if (consumers.length === 0) return 0;
    const rows = await this.sql`
      SELECT feed, checkpoint FROM sync_checkpoints
      WHERE feed = ANY(${consumers.map((c) => c.name)}::text[])`;
    const saved = new Map(
      rows.map((r) => [String(r.feed), /^(\d+):(\d+)$/.exec(String(r.checkpoint))]),
    );
    const conditions = [];
    for (const consumer of consumers) {
      const position = saved.get(consumer.name);
      const passed = position
        ? this.sql`(txid, id) <= (${position[1]}::xid8, ${position[2]}::bigint)`
        : this.sql`false`;
      // A consumer of every source that has consumed nothing yet holds every row.
      if (consumer.sources === null) {
        if (!position) return 0;
        conditions.push(passed);
      } else {
        conditions.push(this.sql`(source <> ALL(${[...consumer.sources]}::text[]) OR ${passed})`);
      }
    }
    const deletable = conditions.reduce((all, c) => this.sql`${all} AND ${c}`, this.sql`true`);
    return await this.#count(this.sql`
      DELETE FROM outbox WHERE id IN (
        SELECT id FROM outbox
        WHERE ${deletable} AND at < ${before}
        ORDER BY txid, id
        LIMIT ${limit})`);
  }

  async #count(query: Promise<{ count: number }>): Promise<number> {
    return (await query).count;
  }
}

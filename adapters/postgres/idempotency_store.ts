import { z } from "zod";
import type {
  IdempotencyClaim,
  IdempotencyScope,
  IdempotencyStore,
  StoredResponse,
} from "../../ports/idempotency.ts";
import { date, parseRow } from "./_db.ts";
import type { Sql } from "./connect.ts";

const KeyRow = z.object({
  fingerprint: z.string(),
  state: z.enum(["in_flight", "completed"]),
  response_status: z.number().int().nullable(),
  response_body: z.unknown(),
  created_at: date,
});

/**
 * Idempotency keys per user in `idempotency_keys`. A claim is one atomic upsert: it inserts the
 * key, or takes over a row older than `ttlMs` at `now`; only when neither happened is the
 * existing row read to report replay, mismatch or in_flight. Concurrent claims of one key are
 * serialized by the primary key, so exactly one of them is `claimed`.
 */
export class PostgresIdempotencyStore implements IdempotencyStore {
  constructor(private readonly sql: Sql) {}

  async claim(scope: IdempotencyScope, now: Date, ttlMs: number): Promise<IdempotencyClaim> {
    const staleBefore = new Date(now.getTime() - ttlMs);
    // A row released between the upsert and the read is gone: claim again.
    for (let attempt = 0; attempt < 5; attempt++) {
      const claimed = await this.sql`
        INSERT INTO idempotency_keys (user_id, key, fingerprint, state, created_at)
        VALUES (${scope.userId}, ${scope.key}, ${scope.fingerprint}, 'in_flight', ${now})
        ON CONFLICT (user_id, key) DO UPDATE
          SET fingerprint = excluded.fingerprint, state = 'in_flight', response_status = NULL,
              response_body = NULL, created_at = excluded.created_at
          WHERE idempotency_keys.created_at < ${staleBefore}
        RETURNING 1`;
      if (claimed.length > 0) return { kind: "claimed" };
      const [row] = await this.sql`
        SELECT fingerprint, state, response_status, response_body, created_at
        FROM idempotency_keys WHERE user_id = ${scope.userId} AND key = ${scope.key}`;
      if (!row) continue;
      const r = parseRow(KeyRow, row, "idempotency_keys");
      if (r.fingerprint !== scope.fingerprint) return { kind: "mismatch" };
      if (r.state === "in_flight") return { kind: "in_flight" };
      return {
        kind: "replay",
        response: { status: r.response_status!, body: r.response_body ?? null },
      };
    }
    throw new Error(`idempotency key ${scope.key} keeps disappearing while being claimed`);
  }

  /** The body is stored as JSON text, as HTTP sends it: key order kept, Dates as ISO strings. */
  async complete(scope: IdempotencyScope, response: StoredResponse): Promise<void> {
    await this.sql`
      UPDATE idempotency_keys
      SET state = 'completed', response_status = ${response.status},
          response_body = ${JSON.stringify(response.body ?? null)}::text::json
      WHERE user_id = ${scope.userId} AND key = ${scope.key}
        AND fingerprint = ${scope.fingerprint}`;
  }

  async release(scope: IdempotencyScope): Promise<void> {
    await this.sql`
      DELETE FROM idempotency_keys
      WHERE user_id = ${scope.userId} AND key = ${scope.key}
        AND fingerprint = ${scope.fingerprint} AND state = 'in_flight'`;
  }
}

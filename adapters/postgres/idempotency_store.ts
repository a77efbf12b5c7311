import { z } from "zod";
import type {
  ClaimOptions,
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

const ClaimedRow = z.object({ resource_id: z.string(), created_at: date });

/**
 * Idempotency keys per user in `idempotency_keys`. A claim is one atomic upsert: it inserts the
 * key, replaces a row older than `ttlMs`, or takes over an unfinished claim of the same request
 * older than `leaseMs` (keeping its `resource_id`); only when none happened is the existing
 * row read to report replay, mismatch or in_flight. Concurrent claims of one key are
 * serialized by the primary key, so exactly one of them is `claimed`.
 */
export class PostgresIdempotencyStore implements IdempotencyStore {
  constructor(private readonly sql: Sql) {}

  async claim(
    scope: IdempotencyScope,
    now: Date,
    options: ClaimOptions,
  ): Promise<IdempotencyClaim> {
    const staleBefore = new Date(now.getTime() - options.ttlMs);
    const leaseBefore = new Date(now.getTime() - options.leaseMs);
    // A row released between the upsert and the read is gone: claim again.
    for (let attempt = 0; attempt < 5; attempt++) {
      const [claimed] = await this.sql`
        INSERT INTO idempotency_keys AS k
          (user_id, key, fingerprint, state, created_at, claimed_at, resource_id)
        VALUES (${scope.userId}, ${scope.key}, ${scope.fingerprint}, 'in_flight', ${now},
                ${now}, ${options.resourceId})
        ON CONFLICT (user_id, key) DO UPDATE SET
          fingerprint = excluded.fingerprint, state = 'in_flight', response_status = NULL,
          response_body = NULL, claimed_at = excluded.claimed_at,
          created_at = CASE WHEN k.created_at < ${staleBefore}
                            THEN excluded.created_at ELSE k.created_at END,
          resource_id = CASE WHEN k.created_at < ${staleBefore}
                             THEN excluded.resource_id
                             ELSE coalesce(k.resource_id, excluded.resource_id) END
        WHERE k.created_at < ${staleBefore}
           OR (k.state = 'in_flight' AND k.fingerprint = excluded.fingerprint
               AND k.claimed_at <= ${leaseBefore})
        RETURNING resource_id, created_at`;
      if (claimed) {
        const r = parseRow(ClaimedRow, claimed, "idempotency_keys");
        return {
          kind: "claimed",
          resourceId: r.resource_id,
          recovered: r.created_at.getTime() !== now.getTime(),
        };
      }
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

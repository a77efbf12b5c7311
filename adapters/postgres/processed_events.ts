import type { ProcessedEvents } from "../../ports/payments/payment_events.ts";
import type { Sql } from "./connect.ts";

/** `processed_payment_events` (migration 0009): one row per provider event handled. */
export class PostgresProcessedEvents implements ProcessedEvents {
  constructor(private readonly sql: Sql) {}

  async has(provider: string, eventId: string): Promise<boolean> {
    const rows = await this.sql`
      SELECT 1 FROM processed_payment_events WHERE provider = ${provider} AND event_id = ${eventId}`;
    return rows.length > 0;
  }

  async record(provider: string, eventId: string, type: string, at: Date): Promise<boolean> {
    const rows = await this.sql`
      INSERT INTO processed_payment_events (provider, event_id, type, received_at)
      VALUES (${provider}, ${eventId}, ${type}, ${at})
      ON CONFLICT (provider, event_id) DO NOTHING
      RETURNING event_id`;
    return rows.length === 1;
  }
}

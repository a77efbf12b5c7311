import { z } from "zod";
import type { RefundedCharge, RefundedCharges } from "../../ports/payments/refunded_charges.ts";
import { date, int } from "./_db.ts";
import type { Sql } from "./connect.ts";

const Row = z.object({
  provider: z.string(),
  provider_ref: z.string(),
  order_id: z.string(),
  amount_cents: int,
  currency: z.string(),
  reason: z.string(),
  refunded_at: date,
});

/** `refunded_charges` (migration 0013): one row per charge given back. */
export class PostgresRefundedCharges implements RefundedCharges {
  constructor(private readonly sql: Sql) {}

  async record(charge: RefundedCharge): Promise<boolean> {
    const rows = await this.sql`
      INSERT INTO refunded_charges
        (provider, provider_ref, order_id, amount_cents, currency, reason, refunded_at)
      VALUES (${charge.provider}, ${charge.providerRef}, ${charge.orderId}, ${charge.amountCents},
              ${charge.currency}, ${charge.reason}, ${charge.refundedAt})
      ON CONFLICT (provider, provider_ref) DO NOTHING
      RETURNING provider_ref`;
    return rows.length === 1;
  }

  async forOrder(orderId: string): Promise<RefundedCharge[]> {
    const rows = await this.sql`
      SELECT provider, provider_ref, order_id, amount_cents, currency, reason, refunded_at
      FROM refunded_charges WHERE order_id = ${orderId}
      ORDER BY refunded_at, provider_ref`;
    return rows.map((raw) => {
      const r = Row.parse(raw);
      return {
        provider: r.provider,
        providerRef: r.provider_ref,
        orderId: r.order_id,
        amountCents: r.amount_cents,
        currency: r.currency,
        reason: r.reason,
        refundedAt: r.refunded_at,
      };
    });
  }
}

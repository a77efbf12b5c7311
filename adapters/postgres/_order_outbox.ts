/** Order events of the outbox, for writes outside the order store that change an order's document. */
import type { Db } from "./_db.ts";

/**
 * The customer's name or email changed: every order of theirs gets a new version and an
 * `order` outbox row, in the caller's transaction, so the support index re-reads them (the
 * documents carry a copy of the customer). Call it from the write that changes the user row.
 */
export async function touchCustomerOrders(tx: Db, userId: string, at: Date): Promise<number> {
  const rows = await tx`
    WITH bumped AS (
      UPDATE orders SET version = version + 1 WHERE user_id = ${userId} RETURNING id
    )
    INSERT INTO outbox (source, sku, at) SELECT 'order', id, ${at} FROM bumped RETURNING id`;
  return rows.length;
}

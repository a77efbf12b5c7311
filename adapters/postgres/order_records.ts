import { z } from "zod";
import type { User } from "../../domain/identity/user.ts";
import { ROLES } from "../../domain/identity/user.ts";
import type { Page } from "../../domain/pagination.ts";
import type { OrderRecord } from "../../domain/support/order_document.ts";
import type { CustomerDirectory, CustomerQuery } from "../../ports/support/customer_directory.ts";
import type { OrderRecords } from "../../ports/support/order_records.ts";
import { date, type Db, int, pageBounds, parseRow } from "./_db.ts";
import { orderColumns, paymentColumns, toOrder, toPayment } from "./_rows.ts";
import type { Sql } from "./connect.ts";

const CHUNK = 500;

const RecordRow = z.object({
  version: int,
  customer_email: z.string().nullable(),
  customer_name: z.string().nullable(),
  payments: z.array(z.record(z.string(), z.unknown())),
});

/**
 * The order, its payments, its customer and its version in ONE statement, so one snapshot:
 * the version always belongs to the state read with it (the index's guard relies on it).
 */
function recordColumns(db: Db) {
  return db`
    ${orderColumns(db)}, o.version,
    u.email AS customer_email, u.display_name AS customer_name,
    (SELECT coalesce(json_agg(to_json(pp) ORDER BY pp.seq), '[]'::json) FROM (
       SELECT p.seq, ${paymentColumns(db)} FROM payments p WHERE p.order_id = o.id) pp
    ) AS payments`;
}

function toRecord(row: Record<string, unknown>): OrderRecord {
  const order = toOrder(row);
  const r = parseRow(RecordRow, row, "order record");
  return {
    order,
    // json_agg gives timestamps as text: toPayment's row shape wants dates.
    payments: r.payments.map((p) =>
      toPayment({ ...p, processed_at: new Date(String(p.processed_at)) })
    ),
    customer: r.customer_email === null
      ? null
      : { id: order.userId, email: r.customer_email, displayName: r.customer_name },
    version: r.version,
  };
}

/** Orders as the support index is built from them (PostgreSQL). */
export class PostgresOrderRecords implements OrderRecords {
  constructor(private readonly sql: Sql) {}

  async record(orderId: string): Promise<OrderRecord | null> {
    const [row] = await this.sql`
      SELECT ${recordColumns(this.sql)}
      FROM orders o LEFT JOIN users u ON u.id = o.user_id
      WHERE o.id = ${orderId}`;
    return row ? toRecord(row) : null;
  }

  /** Keyset pages by id: each chunk is its own snapshot; later changes come through the feed. */
  async *all(): AsyncIterable<OrderRecord> {
    let after = "";
    for (;;) {
      const rows = await this.sql`
        SELECT ${recordColumns(this.sql)}
        FROM orders o LEFT JOIN users u ON u.id = o.user_id
        WHERE o.id > ${after} ORDER BY o.id LIMIT ${CHUNK}`;
      for (const row of rows) yield toRecord(row);
      if (rows.length < CHUNK) return;
      after = String(rows[rows.length - 1].id);
    }
  }

  async count(): Promise<number> {
    const [row] = await this.sql`SELECT count(*) AS n FROM orders`;
    return int.parse(row.n);
  }
}

const UserRow = z.object({
  id: z.string(),
  email: z.string(),
  display_name: z.string().nullable(),
  role: z.enum(ROLES),
  created_at: date,
});

/**
 * Customers for the support team: an email prefix (the `lower(email) text_pattern_ops`
 * index) or a part of the display name, case-insensitively; newest first.
 */
export class PostgresCustomerDirectory implements CustomerDirectory {
  constructor(private readonly sql: Sql) {}

  async find(query: CustomerQuery): Promise<Page<User>> {
    const { limit, offset } = pageBounds(query.page, query.size);
    const q = query.q.trim().toLowerCase();
    const pattern = q.replace(/[\\%_]/g, (c) => `\\${c}`);
    const where = q === "" ? this.sql`` : this.sql`
      WHERE lower(email) LIKE ${`${pattern}%`}
         OR lower(display_name) LIKE ${`%${pattern}%`}`;
    const [rows, [count]] = await Promise.all([
      this.sql`
        SELECT id, email, display_name, role, created_at FROM users ${where}
        ORDER BY created_at DESC, id DESC LIMIT ${limit} OFFSET ${offset}`,
      this.sql`SELECT count(*) AS total FROM users ${where}`,
    ]);
    return {
      items: rows.map((row) => {
        const r = parseRow(UserRow, row, "users");
        return {
          id: r.id,
          email: r.email,
          displayName: r.display_name,
          role: r.role,
          createdAt: r.created_at,
        };
      }),
      page: query.page,
      size: query.size,
      total: int.parse(count.total),
    };
  }
}

import assert from "node:assert/strict";
import {
  CAPTURE,
  CAPTURE_PUBLISHED_AT,
  CAPTURE_TERMS,
  type CapturedQuery,
  captureTaxCents,
} from "./checkout_capture.ts";
import { paramKey, pgbenchScript, substitutions, toPgbenchSql } from "./pgbench_script.ts";

const created = CAPTURE.createdAt;
const expires = new Date(created.getTime() + CAPTURE.ttlMs);
const LINE = CAPTURE.priceCents * CAPTURE.qty;
const TAX = captureTaxCents(LINE);

/** The writes of one order (shortened), sent as one statement (`oneStatement`). */
const WRITES: CapturedQuery[] = [
  {
    query: "UPDATE inventory SET version = v.v FROM unnest($1::text[], $2::bigint[], " +
      "$3::timestamptz[]) AS v(sku, v, at)",
    params: [[CAPTURE.sku], [CAPTURE.version + 1], [created]],
  },
  {
    query: "INSERT INTO stock_levels SELECT * FROM unnest($1::text[], $2::text[], $3::int[], " +
      "$4::int[], $5::int[])",
    params: [[CAPTURE.sku], ["main"], [CAPTURE.stock], [CAPTURE.reserved + CAPTURE.qty], [0]],
  },
  {
    query: "INSERT INTO orders VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, " +
      "$13, $14, $15, $16, $17, $18)",
    params: [
      CAPTURE.orderId,
      CAPTURE.userId,
      "pending",
      String(LINE + CAPTURE.shippingCents + TAX),
      CAPTURE.currency,
      created,
      expires,
      null,
      [CAPTURE.name],
      [String(CAPTURE.priceCents)],
      [CAPTURE.qty],
      "items",
      String(LINE),
      false,
      JSON.stringify(CAPTURE_TERMS.shippingAddress),
      [String(TAX)],
      String(TAX),
      String(CAPTURE.shippingCents),
    ],
  },
  {
    query: "INSERT INTO order_allocations SELECT $1, v.* FROM unnest($2::text[], $3::text[], " +
      "$4::int[]) AS v",
    params: [CAPTURE.orderId, [CAPTURE.sku], ["main"], [CAPTURE.qty]],
  },
  {
    query: "INSERT INTO outbox (source, sku, at) VALUES ('order', $1, $2)",
    params: [CAPTURE.orderId, created],
  },
];

/** `parts` as the CTEs of one statement, numbered on as postgres.js numbers fragments. */
function oneStatement(parts: readonly CapturedQuery[]): CapturedQuery {
  let offset = 0;
  const ctes = parts.map((part, i) => {
    const query = part.query.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
    offset += part.params.length;
    return `w${i} AS (${query})`;
  });
  return { query: `WITH ${ctes.join(", ")} SELECT 1`, params: parts.flatMap((p) => p.params) };
}

/** What PostgresOrderStore.place sends, in shape (statements shortened). */
const captured: CapturedQuery[] = [
  { query: "begin ", params: [] },
  { query: "SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE", params: [CAPTURE.userId] },
  {
    query: "SELECT count(*) AS pending FROM (SELECT 1 FROM orders o WHERE o.user_id = $1 " +
      "AND o.expires_at > $2 LIMIT $3) AS held",
    params: [CAPTURE.userId, created, CAPTURE.maxPending],
  },
  {
    query: "SELECT i.sku, i.version FROM inventory i WHERE i.sku = ANY($1::text[])\n" +
      "    FOR UPDATE OF i",
    params: [[CAPTURE.sku]],
  },
  {
    query: "SELECT sku, warehouse, stock, reserved FROM stock_levels\n" +
      "    WHERE sku = ANY($1::text[]) ORDER BY sku, warehouse\n    FOR UPDATE",
    params: [[CAPTURE.sku]],
  },
  { query: "SELECT code, priority, active FROM warehouses ORDER BY priority, code", params: [] },
  oneStatement(WRITES),
  { query: "commit", params: [] },
];

Deno.test("paramKey() treats numbers, numeric strings and dates alike, arrays by element", () => {
  assert.equal(paramKey(1234), paramKey("1234"));
  assert.equal(paramKey([7]), paramKey(["7"]));
  assert.equal(paramKey(created), paramKey(created.toISOString()));
  assert.equal(paramKey(null), "null");
  assert.notEqual(paramKey(["7"]), paramKey("7"));
});

Deno.test("toPgbenchSql() replaces each bound value by the pgbench expression for it", async (t) => {
  const subs = substitutions();
  await t.step("arrays, scalars, times and NULL, $10 not mistaken for $1", () => {
    assert.equal(
      toPgbenchSql(WRITES[2], subs),
      "INSERT INTO orders VALUES (:oid, :cuid, :status, :total, :currency, now(), " +
        "(now() + interval '15 minutes'), NULL, ARRAY[:name], ARRAY[:unit_price_cents], " +
        "ARRAY[:qty], 'items', :line_total, false, " +
        `'${
          JSON.stringify(CAPTURE_TERMS.shippingAddress).replaceAll('":', '": ')
        }', ARRAY[:tax], :tax, 500)`,
    );
  });
  await t.step("an unknown value stops the bench", () => {
    assert.throws(
      () => toPgbenchSql({ query: "SELECT $1", params: ["surprise"] }, subs),
      /does not know/,
    );
    assert.throws(() => toPgbenchSql({ query: "SELECT $2", params: [1] }, subs), /no value/);
  });
});

Deno.test("pgbenchScript() wraps the statements in pgbench's reservation logic", async (t) => {
  await t.step(
    "lock into variables, the stock rule, one write statement, commit or rollback",
    () => {
      const script = pgbenchScript(captured);
      const lines = script.split("\n");
      assert.ok(lines.includes("begin;"));
      assert.ok(lines.includes("\\if :user_ready = 0"), "each client picks its own customer");
      assert.ok(lines.includes("SELECT id FROM users WHERE id = :cuid FOR NO KEY UPDATE;"));
      assert.ok(script.includes("LIMIT 1000000000) AS held;"));
      assert.ok(script.includes("ANY(ARRAY[:sku]::text[])\n    FOR UPDATE OF i \\gset"));
      assert.ok(script.includes("ORDER BY sku, warehouse\n    FOR UPDATE \\gset l_"));
      assert.ok(lines.includes("\\if :active and :l_stock - :l_reserved >= :qty"));
      const start = lines.indexOf("\\if :active and :l_stock - :l_reserved >= :qty");
      const end = lines.indexOf("commit;");
      assert.ok(start > 0 && end > start);
      const writes = lines.slice(start + 1, end).join("\n");
      assert.ok(writes.startsWith("WITH w0 AS (UPDATE inventory"));
      assert.ok(writes.includes("ARRAY[:l_stock]::int[], ARRAY[:new_reserved]"));
      assert.ok(writes.includes("INSERT INTO order_allocations"));
      assert.ok(
        writes.includes("INSERT INTO outbox (source, sku, at) VALUES ('order', :oid, now())"),
      );
      assert.ok(writes.endsWith(";"));
      assert.deepEqual(lines.slice(end + 1, end + 4), ["\\else", "rollback;", "\\endif"]);
    },
  );
  await t.step("another transaction shape is refused", () => {
    assert.throws(() => pgbenchScript(captured.slice(0, 7)), /no longer sends/);
    assert.throws(() => pgbenchScript([...captured.slice(0, 6), ...WRITES, captured[7]]));
  });
});

Deno.test("toPgbenchSql(): the locked row's publication time is written back as it was read", () => {
  // Since migration 0003 the checkout's inventory write carries published_at (as text); in
  // pgbench it is the value the locking SELECT stored with \gset.
  const write: CapturedQuery = {
    query: "UPDATE inventory SET published_at = nullif(v.p, '')::timestamptz FROM " +
      "unnest($1::text[], $2::text[]) AS v(sku, p)",
    params: [[CAPTURE.sku], [CAPTURE_PUBLISHED_AT.toISOString()]],
  };
  assert.match(
    toPgbenchSql(write, substitutions()),
    /unnest\(ARRAY\[:sku\]::text\[\], ARRAY\[:published_at\]::text\[\]\)/,
  );
  assert.ok(CAPTURE_PUBLISHED_AT.getTime() < Date.now(), "a scheduled row would not sell");
});

Deno.test("the script's tax and total are the domain's for the capture's terms", () => {
  // 2468 x 7.25 % = 178.93 -> 179, as `\set tax` computes it in integers.
  assert.equal(TAX, 179);
  const script = pgbenchScript(captured);
  assert.ok(script.includes("\\set tax (2 * :line_total * 725 + 10000) / 20000"));
  assert.ok(script.includes("\\set total :line_total + 500 + :tax"));
});

import assert from "node:assert/strict";
import {
  CAPTURE,
  CAPTURE_PUBLISHED_AT,
  type CapturedQuery,
  paramKey,
  pgbenchScript,
  substitutions,
  toPgbenchSql,
} from "./pgbench_script.ts";

const created = CAPTURE.createdAt;
const expires = new Date(created.getTime() + CAPTURE.ttlMs);

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
    query: "SELECT sku, stock FROM inventory WHERE sku = ANY($1::text[])\n    FOR UPDATE",
    params: [[CAPTURE.sku]],
  },
  {
    query: "UPDATE inventory SET reserved = v.r FROM unnest($1::text[], $2::int[], " +
      "$3::timestamptz[]) AS v(sku, r, at)",
    params: [[CAPTURE.sku], [CAPTURE.reserved + CAPTURE.qty], [created]],
  },
  {
    query: "INSERT INTO orders VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    params: [
      CAPTURE.orderId,
      CAPTURE.userId,
      "pending",
      String(CAPTURE.priceCents * CAPTURE.qty),
      CAPTURE.currency,
      created,
      expires,
      null,
      [CAPTURE.name],
      [String(CAPTURE.priceCents)],
      [CAPTURE.qty],
      "items",
    ],
  },
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
      toPgbenchSql(captured[5], subs),
      "INSERT INTO orders VALUES (:oid, :cuid, :status, :line_total, :currency, now(), " +
        "(now() + interval '15 minutes'), NULL, ARRAY[:name], ARRAY[:unit_price_cents], " +
        "ARRAY[:qty], 'items')",
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
  await t.step("lock into variables, the stock rule, pipelined writes, commit or rollback", () => {
    const script = pgbenchScript(captured);
    const lines = script.split("\n");
    assert.ok(lines.includes("begin;"));
    assert.ok(lines.includes("\\if :user_ready = 0"), "each client picks its own customer");
    assert.ok(lines.includes("SELECT id FROM users WHERE id = :cuid FOR NO KEY UPDATE;"));
    assert.ok(script.includes("LIMIT 1000000000) AS held;"));
    assert.ok(script.includes("ANY(ARRAY[:sku]::text[])\n    FOR UPDATE \\gset"));
    assert.ok(lines.includes("\\if :active and :stock - :reserved >= :qty"));
    const start = lines.indexOf("\\startpipeline");
    const end = lines.indexOf("\\endpipeline");
    assert.ok(start > 0 && end > start);
    assert.ok(lines.slice(start, end).some((l) => l.startsWith("UPDATE inventory")));
    assert.equal(lines[end + 1], "commit;");
    assert.deepEqual(lines.slice(end + 2, end + 5), ["\\else", "rollback;", "\\endif"]);
  });
  await t.step("another transaction shape is refused", () => {
    assert.throws(() => pgbenchScript(captured.slice(0, 6)), /no longer sends/);
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

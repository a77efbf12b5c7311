/**
 * The checkout baseline: a pgbench script running the exact statements
 * `PostgresOrderStore.place` sends (captured by checkout_capture.ts), each bound parameter
 * replaced by the pgbench expression standing for that value. A change to the adapter's SQL
 * therefore changes the script (bench/checkout.pgbench.sql is rewritten by every run, so the
 * diff shows), and an unknown parameter stops the bench instead of letting the baseline drift.
 */
import {
  CAPTURE,
  CAPTURE_PUBLISHED_AT,
  CAPTURE_TERMS,
  type CapturedQuery,
  captureTaxCents,
} from "./checkout_capture.ts";

/**
 * A JSON document as a SQL string literal. pgbench reads `:name` as a variable even inside a
 * string, so a space follows each key's colon (`"line2": null`); jsonb stores the same value.
 */
function jsonLiteral(json: string): string {
  return `'${json.replaceAll('":', '": ').replaceAll("'", "''")}'`;
}

/**
 * A parameter as a lookup key: numbers, strings and dates all as text (the adapter passes
 * some numbers as strings to keep bigints exact), arrays element by element.
 */
export function paramKey(value: unknown): string {
  const text = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(text)
      : v instanceof Date
      ? v.toISOString()
      : v === null
      ? null
      : String(v);
  return JSON.stringify(text(value));
}

function arrayOf(value: string): string[] {
  return [value];
}

/** Captured parameter (as `paramKey`) -> the pgbench expression that stands for it. */
export function substitutions(): Map<string, string> {
  const c = CAPTURE;
  const created = c.createdAt.toISOString();
  const expires = new Date(c.createdAt.getTime() + c.ttlMs).toISOString();
  const lineTotal = c.priceCents * c.qty;
  const tax = captureTaxCents(lineTotal);
  const address = JSON.stringify(CAPTURE_TERMS.shippingAddress);
  const shipping = JSON.stringify({
    id: CAPTURE_TERMS.shippingOption.id,
    name: CAPTURE_TERMS.shippingOption.name,
    priceCents: c.shippingCents,
    taxCents: 0,
  });
  const entries: [unknown, string][] = [
    [c.orderId, ":oid"],
    [c.userId, ":cuid"],
    ["pending", ":status"],
    // The subtotal; the total adds shipping and tax (see `set total` below).
    [String(lineTotal), ":line_total"],
    [String(lineTotal + c.shippingCents + tax), ":total"],
    [String(c.shippingCents), String(c.shippingCents)],
    [String(tax), ":tax"],
    [arrayOf(String(tax)), "ARRAY[:tax]"],
    [false, "false"],
    // The snapshots are constant for the bench: its one address and option.
    [address, jsonLiteral(address)],
    [shipping, jsonLiteral(shipping)],
    [c.currency, ":currency"],
    ["items", "'items'"],
    [String(c.maxPending), "1000000000"],
    [created, "now()"],
    [expires, `(now() + interval '${c.ttlMs / 60_000} minutes')`],
    [null, "NULL"],
    [arrayOf(c.sku), "ARRAY[:sku]"],
    [arrayOf(c.name), "ARRAY[:name]"],
    [arrayOf(String(c.priceCents)), "ARRAY[:unit_price_cents]"],
    [arrayOf(String(c.stock)), "ARRAY[:l_stock]"],
    [arrayOf(String(c.reserved + c.qty)), "ARRAY[:new_reserved]"],
    // The one stock row the bench's SKUs have (migration 0007): main, threshold 0. A variant
    // label is null for them, sent as the empty string.
    [arrayOf("main"), "ARRAY['main']"],
    [arrayOf("0"), "ARRAY[:l_low_stock_threshold]"],
    [arrayOf(""), "ARRAY['']"],
    [arrayOf("yes"), "ARRAY['yes']"],
    [arrayOf(String(c.version + 1)), "ARRAY[:new_version]"],
    [arrayOf(created), "ARRAY[now()]"],
    [arrayOf(CAPTURE_PUBLISHED_AT.toISOString()), "ARRAY[:published_at]"],
    [arrayOf(String(c.qty)), "ARRAY[:qty]"],
    [arrayOf(String(lineTotal)), "ARRAY[:line_total]"],
  ];
  return new Map(entries.map(([value, expr]) => [paramKey(value), expr]));
}

/** One captured statement with `$n` replaced by pgbench expressions. */
export function toPgbenchSql(
  captured: CapturedQuery,
  subs: ReadonlyMap<string, string>,
): string {
  return captured.query.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n) - 1;
    if (index >= captured.params.length) {
      throw new Error(`no value for $${n} in ${captured.query}`);
    }
    const key = paramKey(captured.params[index]);
    const expr = subs.get(key);
    if (expr === undefined) {
      throw new Error(
        `PostgresOrderStore.place sent a parameter the bench does not know (${key} for $${n}); ` +
          "update bench/pgbench_script.ts",
      );
    }
    return expr;
  });
}

function statement(sql: string): string {
  return sql.split("\n").map((l) => l.trimEnd()).filter((l) => l.trim() !== "")
    .join("\n").trim();
}

/**
 * The pgbench script for the captured transaction: BEGIN, the user's row lock and the
 * pending-cap count (run as sent; the bench user is not capped), the locking SELECTs of the
 * inventory row and its stock row (each into variables; the bench's SKUs have one row, in
 * `main`), the warehouses read, the domain's allocation rule for one warehouse and the new
 * values in pgbench arithmetic, the one statement writing the inventory row, the stock row, the
 * order, its items and allocations and the outbox rows, COMMIT; ROLLBACK when short of stock, as the adapter rolls back on `InsufficientStock`.
 * Each pgbench client orders as its own customer (`cuid`, picked once per client by
 * `client_id` among the customers), as each API connection does: one customer for every
 * client would serialize them all on that customer's row lock.
 * Variables from `-D`: `user_ready` (0), `status` (pending), `sku_lo`, `sku_hi`.
 */
export function pgbenchScript(captured: readonly CapturedQuery[]): string {
  const shape = captured.map((q) => q.query.trim().split(/\s+/)[0].toLowerCase());
  const last = captured.length - 1;
  if (
    captured.length !== 8 || shape[0] !== "begin" || shape[last] !== "commit" ||
    !/FOR NO KEY UPDATE\s*$/.test(captured[1].query) ||
    !/count\(\*\) AS pending/.test(captured[2].query) ||
    !/FOR UPDATE OF i\s*$/.test(captured[3].query) ||
    !/FROM stock_levels[\s\S]*FOR UPDATE\s*$/.test(captured[4].query) ||
    !/FROM warehouses/.test(captured[5].query) ||
    shape[6] !== "with" || captured[6].params.length === 0
  ) {
    throw new Error(
      `PostgresOrderStore.place no longer sends BEGIN, the pending count, the inventory, ` +
        `stock row and warehouse reads, one write statement, COMMIT (got: ${shape.join(", ")}); ` +
        "update bench/pgbench_script.ts",
    );
  }
  const subs = substitutions();
  const [user, pending, lock, levels, warehouses, writes] = captured.slice(1, last).map((q) =>
    statement(toPgbenchSql(q, subs))
  );
  return [
    "-- Generated by bench/pgbench_script.ts from the statements PostgresOrderStore.place sent",
    "-- (captured through postgres.js); do not edit. Run with -M prepared and",
    "-- -D user_ready=0 -D status=pending -D sku_lo=<first SKU> -D sku_hi=<last SKU>.",
    "\\if :user_ready = 0",
    "SELECT id AS cuid FROM users WHERE role = 'customer' ORDER BY id",
    "  OFFSET :client_id % greatest(1, (SELECT count(*) FROM users WHERE role = 'customer'))",
    "  LIMIT 1 \\gset",
    "\\set user_ready 1",
    "\\endif",
    "\\set oid random(1, 9000000000000000000)",
    "\\set sku random(:sku_lo, :sku_hi)",
    "\\set qty 1",
    `${captured[0].query.trim()};`,
    `${user};`,
    `${pending};`,
    `${lock} \\gset`,
    `${levels} \\gset l_`,
    `${warehouses};`,
    "\\set new_reserved :l_reserved + :qty",
    "\\set new_version :version + 1",
    "\\set line_total :unit_price_cents * :qty",
    `\\set tax (2 * :line_total * ${CAPTURE.taxBasisPoints} + 10000) / 20000`,
    `\\set total :line_total + ${CAPTURE.shippingCents} + :tax`,
    "\\if :active and :l_stock - :l_reserved >= :qty",
    `${writes};`,
    `${captured[last].query.trim()};`,
    "\\else",
    "rollback;",
    "\\endif",
    "",
  ].join("\n");
}

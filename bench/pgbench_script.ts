/**
 * The checkout baseline: a pgbench script running the exact statements
 * `PostgresOrderStore.place` sends. They are captured from the adapter itself (postgres.js
 * `debug` hook) placing one order on a fixture row with distinctive values, and each bound
 * parameter is then replaced by the pgbench expression standing for that value. A change to
 * the adapter's SQL therefore changes the script (bench/checkout.pgbench.sql is rewritten by
 * every run, so the diff shows), and an unknown parameter stops the bench instead of letting
 * the baseline drift.
 */
import postgres from "postgres";
import { PostgresOrderStore } from "../adapters/postgres/order_store.ts";
import type { OrderTerms } from "../domain/ordering/order.ts";

export interface CapturedQuery {
  readonly query: string;
  readonly params: readonly unknown[];
}

/** The values the capture uses; all distinct so each parameter maps to one meaning. */
export const CAPTURE = {
  userId: "bench-capture-user",
  orderId: "bench-capture-order",
  sku: "bench-capture-sku",
  name: "Bench capture product",
  priceCents: 1234,
  currency: "EUR",
  stock: 1000,
  reserved: 5,
  version: 40,
  qty: 2,
  createdAt: new Date("2031-01-02T03:04:05.678Z"),
  ttlMs: 15 * 60_000,
  /** The pending cap the capture places under; the script counts up to 1,000,000,000. */
  maxPending: 987_654_321,
  /** The flat shipping price and tax rate (added, shipping untaxed) the bench orders under. */
  shippingCents: 500,
  taxBasisPoints: 725,
} as const;

/**
 * The delivery terms the capture (and the bench's API orders, `BENCH_DELIVERY_ADDRESS` in bodies.ts)
 * place under: one address for shipping and billing, a flat option, an exclusive rate.
 */
export const CAPTURE_TERMS: OrderTerms = {
  shippingAddress: benchAddress(),
  billingAddress: benchAddress(),
  shippingOption: {
    id: "bench-capture-shipping",
    zoneId: "bench-capture-zone",
    name: "Bench shipping",
    priceCents: CAPTURE.shippingCents,
    currency: CAPTURE.currency,
    freeOverCents: null,
    estimatedDays: { min: 1, max: 3 },
  },
  taxRate: {
    country: "US",
    region: null,
    rateBasisPoints: CAPTURE.taxBasisPoints,
    pricesIncludeTax: false,
    shippingTaxed: false,
  },
};

/** The address the bench orders to (a US one; the bench's rate is country-wide). */
export function benchAddress() {
  return {
    name: "Bench Customer",
    line1: "1 Load Street",
    line2: null,
    city: "Springfield",
    region: null,
    postalCode: "12345",
    country: "US",
    phone: null,
  };
}

/** `round(line * bp / 10000)` half up, as pgbench computes it (`\set tax ...`). */
export function captureTaxCents(lineCents: number): number {
  return Math.floor((2 * lineCents * CAPTURE.taxBasisPoints + 10_000) / 20_000);
}

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

/**
 * The capture row's publication time, set where inventory has the column (migration 0003,
 * issue 9): the checkout writes it back unchanged, so it must stand for the locked row's. In
 * the past (a scheduled product is unsellable) and unlike every other captured value.
 */
export const CAPTURE_PUBLISHED_AT = new Date("2021-02-03T04:05:06.789Z");

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

/**
 * Places one order through the real adapter on `url` (an already migrated database, or its
 * `schema`) and returns the statements it sent. Leaves nothing behind.
 */
export async function captureCheckout(url: string, schema?: string): Promise<CapturedQuery[]> {
  const log: CapturedQuery[] = [];
  let recording = false;
  const sql = postgres(url, {
    max: 1,
    onnotice: () => {},
    ...(schema ? { connection: { search_path: schema } } : {}),
    debug: (_connection: number, query: string, params: unknown[]) => {
      if (recording) log.push({ query, params: [...params] });
    },
  });
  const c = CAPTURE;
  try {
    await cleanCapture(sql);
    await sql`INSERT INTO users (id, email, display_name, role, password_hash, created_at)
      VALUES (${c.userId}, 'bench-capture@polycart.invalid', NULL, 'customer', 'x', now())`;
    await sql`INSERT INTO inventory
        (sku, name, unit_price_cents, currency, active, version, updated_at)
      VALUES (${c.sku}, ${c.name}, ${c.priceCents}, ${c.currency}, true, ${c.version}, now())`;
    await sql`INSERT INTO stock_levels (sku, warehouse, stock, reserved)
      VALUES (${c.sku}, 'main', ${c.stock}, ${c.reserved})`;
    const [{ published }] = await sql`SELECT EXISTS (SELECT 1 FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = 'inventory'
        AND column_name = 'published_at') AS published`;
    if (published) {
      await sql`UPDATE inventory SET published_at = ${CAPTURE_PUBLISHED_AT} WHERE sku = ${c.sku}`;
    }
    recording = true;
    await new PostgresOrderStore(sql).place({
      id: c.orderId,
      userId: c.userId,
      lines: [{ sku: c.sku, qty: c.qty }],
      createdAt: c.createdAt,
      expiresAt: new Date(c.createdAt.getTime() + c.ttlMs),
      source: "items",
      maxPendingPerUser: c.maxPending,
      terms: CAPTURE_TERMS,
    });
    recording = false;
    await cleanCapture(sql);
    return log;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function cleanCapture(sql: postgres.Sql): Promise<void> {
  const c = CAPTURE;
  await sql`DELETE FROM orders WHERE id = ${c.orderId}`;
  await sql`DELETE FROM outbox WHERE sku = ${c.sku} OR sku = ${c.orderId}`;
  await sql`DELETE FROM stock_levels WHERE sku = ${c.sku}`;
  await sql`DELETE FROM inventory WHERE sku = ${c.sku}`;
  await sql`DELETE FROM users WHERE id = ${c.userId}`;
}

/**
 * The checkout the pgbench baseline replays (pgbench_script.ts): one order placed through the
 * real `PostgresOrderStore.place` on a fixture row with distinctive values, its statements
 * and bound parameters recorded through the postgres.js `debug` hook. Every captured value
 * is defined here, so each parameter maps to one meaning.
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
 * The capture row's publication time, set where inventory has the column (migration 0003,
 * issue 9): the checkout writes it back unchanged, so it must stand for the locked row's. In
 * the past (a scheduled product is unsellable) and unlike every other captured value.
 */
export const CAPTURE_PUBLISHED_AT = new Date("2021-02-03T04:05:06.789Z");

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

/**
 * Invariants read straight from the sources of truth (SQL on PostgreSQL, the MongoDB catalog,
 * the Elasticsearch index), behind the API's back. Each returns the violations it found, so
 * a failure names every broken SKU or order at once.
 */
import type postgres from "postgres";
import type { Db } from "mongodb";
import type { Account, Http } from "./_http.ts";
import { delay } from "./_servers.ts";

/** What the index checks read: the sources, the index and the API (a `Stack` is one). */
export interface IndexSources {
  catalogDb(): Promise<Db>;
  readonly sql: postgres.Sql;
  esRequest(method: string, path: string, body?: unknown): Promise<Response>;
  readonly http: Http;
  readonly admin: Account;
}

export const PAID = ["confirmed", "shipped", "delivered"] as const;

/**
 * A ledger row's key: the SKU for its row in `main`, `<sku>@<warehouse>` for another
 * warehouse's row (so a one-warehouse scenario keys its expectations by SKU alone).
 */
export function levelLabel(sku: string, warehouse: string): string {
  return warehouse === "main" ? sku : `${sku}@${warehouse}`;
}

/** One (SKU, warehouse) row of stock and the allocations that explain it. */
export interface SkuLedger {
  /** `levelLabel(sku, warehouse)`. */
  readonly sku: string;
  readonly initial: number;
  readonly stock: number;
  readonly reserved: number;
  /** Units allocated here to confirmed, shipped and delivered orders. */
  readonly sold: number;
  /** Units allocated here to pending orders. */
  readonly pending: number;
}

/**
 * One statement, so one snapshot: stock, reserved and the order allocations that explain them,
 * per (SKU, warehouse) row, even while the sweeper keeps expiring orders. `initial` is keyed
 * by `levelLabel`.
 */
export async function ledger(
  sql: postgres.Sql,
  initial: ReadonlyMap<string, number>,
): Promise<SkuLedger[]> {
  const skus = [...new Set([...initial.keys()].map((k) => k.split("@")[0]))];
  const rows = await sql`
    SELECT l.sku, l.warehouse, l.stock, l.reserved,
      coalesce(sum(a.qty) FILTER (WHERE o.status IN ('confirmed', 'shipped', 'delivered')), 0)
        AS sold,
      coalesce(sum(a.qty) FILTER (WHERE o.status = 'pending'), 0) AS pending
    FROM stock_levels l
    LEFT JOIN order_allocations a ON a.sku = l.sku AND a.warehouse = l.warehouse
    LEFT JOIN orders o ON o.id = a.order_id
    WHERE l.sku = ANY(${skus})
    GROUP BY l.sku, l.warehouse, l.stock, l.reserved
    ORDER BY l.sku, l.warehouse`;
  return rows.map((r) => ({
    sku: levelLabel(r.sku, r.warehouse),
    initial: initial.get(levelLabel(r.sku, r.warehouse)) ?? 0,
    stock: Number(r.stock),
    reserved: Number(r.reserved),
    sold: Number(r.sold),
    pending: Number(r.pending),
  }));
}

/**
 * stock + sold == initial, reserved == pending units, nothing negative, per (SKU, warehouse)
 * row: each reservation is released or deducted exactly once, in the row that held it.
 */
export function conservationViolations(
  rows: readonly SkuLedger[],
  expected: ReadonlyMap<string, number>,
): string[] {
  const out: string[] = [];
  const seen = new Set(rows.map((r) => r.sku));
  for (const sku of expected.keys()) if (!seen.has(sku)) out.push(`${sku}: no stock row`);
  for (const r of rows) {
    if (r.stock + r.sold !== r.initial) {
      out.push(`${r.sku}: stock ${r.stock} + sold ${r.sold} != initial ${r.initial}`);
    }
    if (r.reserved !== r.pending) {
      out.push(`${r.sku}: reserved ${r.reserved} != units in pending orders ${r.pending}`);
    }
    if (r.stock < 0 || r.reserved < 0 || r.reserved > r.stock) {
      out.push(`${r.sku}: stock ${r.stock}, reserved ${r.reserved} out of bounds`);
    }
  }
  return out;
}

/**
 * At most one successful payment per order, and exactly one for every paid (or refunded)
 * order; none for pending or cancelled ones. Orders are whole: at least one line, a subtotal
 * that is the sum of its lines, a tax that is the lines' plus shipping's, a total of subtotal
 * plus shipping (plus tax unless prices include it), and a payment of exactly that total.
 */
export async function orderViolations(sql: postgres.Sql, userIds: readonly string[]) {
  const out: string[] = [];
  const orders = await sql`
    SELECT o.id, o.status, o.total_cents, o.subtotal_cents, o.shipping_cents, o.tax_cents,
      o.prices_include_tax, coalesce((o.shipping->>'taxCents')::bigint, 0) AS shipping_tax,
      (SELECT count(*) FROM payments p
        WHERE p.order_id = o.id AND p.status IN ('succeeded', 'refunded')) AS paid,
      (SELECT max(p.amount_cents) FROM payments p
        WHERE p.order_id = o.id AND p.status IN ('succeeded', 'refunded')) AS paid_cents,
      (SELECT count(*) FROM order_items i WHERE i.order_id = o.id) AS lines,
      (SELECT coalesce(sum(i.line_total_cents), 0) FROM order_items i WHERE i.order_id = o.id)
        AS lines_total,
      (SELECT coalesce(sum(i.tax_cents), 0) FROM order_items i WHERE i.order_id = o.id)
        AS lines_tax
    FROM orders o WHERE o.user_id = ANY(${userIds})`;
  for (const o of orders) {
    const paid = Number(o.paid);
    const shouldBePaid = ["confirmed", "shipped", "delivered", "refunded"].includes(o.status);
    if (paid > 1) out.push(`order ${o.id}: ${paid} successful payments`);
    if (shouldBePaid && paid !== 1) out.push(`order ${o.id} is ${o.status} with ${paid} payments`);
    if (!shouldBePaid && paid !== 0) out.push(`order ${o.id} is ${o.status} but was paid`);
    if (Number(o.lines) === 0) out.push(`order ${o.id} has no lines (partial order)`);
    if (String(o.subtotal_cents) !== String(o.lines_total)) {
      out.push(`order ${o.id}: subtotal ${o.subtotal_cents} != lines ${o.lines_total}`);
    }
    const tax = Number(o.lines_tax) + Number(o.shipping_tax);
    if (Number(o.tax_cents) !== tax) out.push(`order ${o.id}: tax ${o.tax_cents} != ${tax}`);
    const total = Number(o.subtotal_cents) + Number(o.shipping_cents) +
      (o.prices_include_tax ? 0 : Number(o.tax_cents));
    if (Number(o.total_cents) !== total) {
      out.push(`order ${o.id}: total ${o.total_cents} != ${total}`);
    }
    if (paid > 0 && Number(o.paid_cents) !== Number(o.total_cents)) {
      out.push(`order ${o.id}: charged ${o.paid_cents}, total ${o.total_cents}`);
    }
  }
  return { violations: out, orders: orders.length };
}

/** A variant as the catalog stores it (the fields the index check reads). */
export interface CatalogVariant {
  readonly sku: string;
  readonly retired?: boolean;
}

/** An inventory row as the check reads it, stock and reserved summed over active warehouses. */
export interface InventoryFigures {
  readonly version: unknown;
  readonly unit_price_cents: unknown;
  readonly active: boolean;
  readonly stock: unknown;
  readonly reserved: unknown;
}

/**
 * What one product's document must say (one document per product). Without variants: the
 * version is catalog + inventory version, price and stock flag its own row's. With variants:
 * the version adds every variant row's (retired ones too), the price is the lowest live
 * variant's on sale and `inStock` is true when any live variant is available. Null: no row
 * to compare with (the own row, or no live variant on sale).
 */
export function expectedDocument(
  product: { readonly version: number; readonly variants: readonly CatalogVariant[] },
  sku: string,
  items: ReadonlyMap<string, InventoryFigures>,
): { version: number; priceCents: number | null; inStock: boolean | null } {
  const own = items.get(sku);
  const availableIn = (row: InventoryFigures) =>
    row.active && Number(row.stock) - Number(row.reserved) > 0;
  const ownVersion = product.version + Number(own?.version ?? 0);
  if (product.variants.length === 0) {
    return {
      version: ownVersion,
      priceCents: own ? Number(own.unit_price_cents) : null,
      inStock: own ? availableIn(own) : null,
    };
  }
  const version = product.variants.reduce(
    (sum, v) => sum + Number(items.get(v.sku)?.version ?? 0),
    ownVersion,
  );
  const live = product.variants.filter((v) => v.retired !== true)
    .map((v) => items.get(v.sku)).filter((r) => r !== undefined);
  const prices = live.filter((r) => r.active).map((r) => Number(r.unit_price_cents));
  return {
    version,
    priceCents: prices.length > 0 ? Math.min(...prices) : null,
    inStock: live.some(availableIn),
  };
}

interface IndexedDoc {
  readonly found: boolean;
  readonly version: number;
  readonly source: Record<string, unknown>;
}

/**
 * The search index against its sources: every catalog product has one document whose external
 * version is catalog version + inventory versions (its own row's and its variants': so no
 * change was lost or applied out of order) and whose name, price and stock flag are the
 * sources' current ones (`expectedDocument`); every SKU gone from the catalog is a tombstone
 * or absent, and a variant SKU has no document of its own.
 */
export async function indexDivergence(stack: IndexSources): Promise<string[]> {
  const db = await stack.catalogDb();
  const products = await db.collection("products").find({}, {
    projection: { _id: 1, version: 1, name: 1, variants: 1 },
  }).toArray();
  // Stock as shoppers see it: summed over active warehouses.
  const inventory = await stack.sql`
    SELECT i.sku, i.version, i.unit_price_cents, i.active,
      (SELECT coalesce(sum(l.stock), 0) FROM stock_levels l JOIN warehouses w
         ON w.code = l.warehouse AND w.active WHERE l.sku = i.sku) AS stock,
      (SELECT coalesce(sum(l.reserved), 0) FROM stock_levels l JOIN warehouses w
         ON w.code = l.warehouse AND w.active WHERE l.sku = i.sku) AS reserved
    FROM inventory i`;
  const items = new Map(inventory.map((r) => [String(r.sku), r as unknown as InventoryFigures]));
  const skus = [...new Set([...products.map((p) => String(p._id)), ...items.keys()])];
  const response = await stack.esRequest("POST", "/products/_mget", { ids: skus });
  if (!response.ok) return [`_mget answered ${response.status}: ${await response.text()}`];
  const mget = await response.json() as {
    docs: { _id: string; found: boolean; _version?: number; _source?: Record<string, unknown> }[];
  };
  const docs = new Map<string, IndexedDoc>(mget.docs.map((d) => [d._id, {
    found: d.found,
    version: d._version ?? 0,
    source: d._source ?? {},
  }]));
  const out: string[] = [];
  const inCatalog = new Set<string>();
  for (const p of products) {
    const sku = String(p._id);
    inCatalog.add(sku);
    const doc = docs.get(sku);
    const want = expectedDocument(
      { version: Number(p.version), variants: (p.variants ?? []) as CatalogVariant[] },
      sku,
      items,
    );
    if (!doc?.found) {
      out.push(`${sku}: not indexed (catalog v${p.version})`);
      continue;
    }
    if (doc.source.deleted === true) {
      out.push(`${sku}: tombstoned but in the catalog`);
      continue;
    }
    if (doc.version !== want.version) {
      out.push(`${sku}: index version ${doc.version}, sources say ${want.version}`);
    }
    if (doc.source.name !== p.name) {
      out.push(`${sku}: indexed name ${doc.source.name} != ${p.name}`);
    }
    if (want.priceCents !== null && doc.source.priceCents !== want.priceCents) {
      out.push(`${sku}: indexed price ${doc.source.priceCents} != ${want.priceCents}`);
    }
    if (want.inStock !== null && doc.source.inStock !== want.inStock) {
      out.push(`${sku}: indexed inStock ${doc.source.inStock} != ${want.inStock}`);
    }
  }
  for (const [sku, doc] of docs) {
    if (!inCatalog.has(sku) && doc.found && doc.source.deleted !== true) {
      out.push(`${sku}: deleted from the catalog but still searchable`);
    }
  }
  return out;
}

/** Polls until the index matches its sources and the sync reports no backlog or parked events. */
export async function waitForIndex(stack: IndexSources, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let last: string[] = ["never checked"];
  while (Date.now() < deadline) {
    try {
      last = await indexDivergence(stack);
      if (last.length === 0) {
        const status = await stack.http.get("/admin/sync/status", { token: stack.admin.token });
        if (status.status !== 200) last = [`sync status ${status.status}`];
        else if (status.body.parked.length > 0) {
          return status.body.parked.map((p: { sku: string; error: string }) =>
            `parked ${p.sku}: ${p.error}`
          );
        } else return [];
      }
    } catch (error) {
      last = [String(error)];
    }
    await delay(500);
  }
  return last;
}

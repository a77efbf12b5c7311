/** Row shapes read back from PostgreSQL, validated with zod and mapped to domain types. */
import { z } from "zod";
import type { InventoryItem } from "../../domain/inventory/stock.ts";
import { type Order, ORDER_SOURCES, ORDER_STATUSES } from "../../domain/ordering/order.ts";
import { type Payment, PAYMENT_STATUSES } from "../../domain/payments/payment.ts";
import { date, type Db, int, parseRow } from "./_db.ts";

const InventoryRow = z.object({
  sku: z.string(),
  product_sku: z.string(),
  variant_label: z.string().nullable(),
  name: z.string(),
  unit_price_cents: int,
  currency: z.string(),
  stock: int,
  reserved: int,
  active: z.boolean(),
  published_at: date.nullable(),
  version: int,
  updated_at: date,
});

export function toInventoryItem(row: unknown): InventoryItem {
  const r = parseRow(InventoryRow, row, "inventory");
  return {
    sku: r.sku,
    productSku: r.product_sku,
    variantLabel: r.variant_label,
    name: r.name,
    unitPriceCents: r.unit_price_cents,
    currency: r.currency,
    stock: r.stock,
    reserved: r.reserved,
    active: r.active,
    publishedAt: r.published_at,
    version: r.version,
    updatedAt: r.updated_at,
  };
}

/**
 * The columns `toInventoryItem` reads, of `inventory i`: stock and reserved are the sums over
 * the SKU's rows in ACTIVE warehouses.
 */
export function inventoryColumns(db: Db) {
  return db`
    i.sku, i.product_sku, i.variant_label, i.name, i.unit_price_cents, i.currency, i.active,
    i.published_at, i.version, i.updated_at,
    (SELECT coalesce(sum(l.stock), 0) FROM stock_levels l JOIN warehouses w
       ON w.code = l.warehouse AND w.active WHERE l.sku = i.sku) AS stock,
    (SELECT coalesce(sum(l.reserved), 0) FROM stock_levels l JOIN warehouses w
       ON w.code = l.warehouse AND w.active WHERE l.sku = i.sku) AS reserved`;
}

/**
 * Inventory rows for `skus`, locked FOR UPDATE in SKU order (the one lock order). With
 * `totals: false` their `stock` and `reserved` are left at 0 without summing the stock rows:
 * for callers that lock those rows next and compute the totals from them (`totalsFrom`).
 */
export async function lockInventory(
  tx: Db,
  skus: readonly string[],
  options: { readonly totals?: boolean } = {},
): Promise<Map<string, InventoryItem>> {
  if (skus.length === 0) return new Map();
  const columns = options.totals === false
    ? tx`
      i.sku, i.product_sku, i.variant_label, i.name, i.unit_price_cents, i.currency, i.active,
      i.published_at, i.version, i.updated_at, 0 AS stock, 0 AS reserved`
    : inventoryColumns(tx);
  const rows = await tx`
    SELECT ${columns}
    FROM inventory i WHERE i.sku = ANY(${[...skus]}::text[])
    ORDER BY i.sku
    FOR UPDATE OF i`;
  return new Map(rows.map((r) => {
    const item = toInventoryItem(r);
    return [item.sku, item];
  }));
}

/**
 * Two CTEs overwriting the per-SKU facts (name, price, publication, active, version) of
 * already locked items: `inventory_rows`, then `inventory_changed` (RETURNING sku, updated_at),
 * which `inventoryOutbox` turns into one outbox row per item. Stock lives in `stock_levels`
 * (`levelsUpsert`); the items' totals are not stored.
 */
export function inventoryChanges(db: Db, items: readonly InventoryItem[]) {
  return db`
    -- Booleans travel as text: postgres.js does not serialize boolean arrays reliably.
    inventory_rows AS (
      SELECT * FROM unnest(
        ${items.map((i) => i.sku)}::text[],
        ${items.map((i) => i.name)}::text[],
        ${items.map((i) => String(i.unitPriceCents))}::bigint[],
        ${items.map((i) => (i.active ? "yes" : "no"))}::text[],
        ${items.map((i) => String(i.version))}::bigint[],
        ${items.map((i) => i.updatedAt.toISOString())}::timestamptz[],
        -- A draft's null travels as the empty string (see booleans above).
        ${items.map((i) => i.publishedAt?.toISOString() ?? "")}::text[],
        ${items.map((i) => i.productSku)}::text[],
        -- A null label travels as the empty string too; a label is never empty.
        ${items.map((i) => i.variantLabel ?? "")}::text[]
      ) AS v(sku, name, unit_price_cents, active, version, updated_at, published_at,
             product_sku, variant_label)
    ), inventory_changed AS (
      UPDATE inventory AS i
      SET name = v.name, unit_price_cents = v.unit_price_cents,
          active = (v.active = 'yes'), version = v.version,
          updated_at = v.updated_at, published_at = nullif(v.published_at, '')::timestamptz,
          product_sku = v.product_sku, variant_label = nullif(v.variant_label, '')
      FROM inventory_rows AS v WHERE i.sku = v.sku
      RETURNING i.sku, i.updated_at
    )`;
}

/** The statement ending a `WITH` of `inventoryChanges`: one outbox row per item changed. */
export function inventoryOutbox(db: Db) {
  return db`
    INSERT INTO outbox (source, sku, at) SELECT 'inventory', sku, updated_at FROM inventory_changed`;
}

/** `inventoryChanges` and their outbox rows, in one statement. */
export async function writeInventory(tx: Db, items: readonly InventoryItem[]): Promise<void> {
  if (items.length === 0) return;
  await tx`WITH ${inventoryChanges(tx, items)} ${inventoryOutbox(tx)}`;
}

const OrderItemJson = z.object({
  sku: z.string(),
  productSku: z.string(),
  productName: z.string(),
  variantLabel: z.string().nullable(),
  qty: int,
  unitPriceCents: int,
  lineTotalCents: int,
  taxCents: int,
});

const AddressJson = z.object({
  name: z.string(),
  line1: z.string(),
  line2: z.string().nullable(),
  city: z.string(),
  region: z.string().nullable(),
  postalCode: z.string(),
  country: z.string(),
  phone: z.string().nullable(),
});

const ShippingJson = z.object({
  id: z.string(),
  name: z.string(),
  priceCents: int,
  taxCents: int,
});

const OrderPaymentJson = z.object({
  provider: z.string(),
  status: z.enum(PAYMENT_STATUSES),
  amountCents: int,
  currency: z.string(),
  providerRef: z.string(),
  processedAt: z.string().transform((s) => new Date(s))
    .refine((d) => !Number.isNaN(d.getTime()), "processedAt must be a timestamp"),
});

const OrderRow = z.object({
  id: z.string(),
  user_id: z.string(),
  status: z.enum(ORDER_STATUSES),
  total_cents: int,
  subtotal_cents: int,
  shipping_cents: int,
  tax_cents: int,
  prices_include_tax: z.boolean(),
  shipping_address: AddressJson.nullable(),
  billing_address: AddressJson.nullable(),
  shipping: ShippingJson.nullable(),
  currency: z.string(),
  created_at: date,
  expires_at: date,
  paid_at: date.nullable(),
  updated_at: date,
  source: z.enum(ORDER_SOURCES),
  items: z.array(OrderItemJson),
  payment: OrderPaymentJson.nullable(),
});

/**
 * Columns of `orders o` plus its items as a JSON array in SKU order and the payment that
 * confirmed it (succeeded, or refunded since) as a JSON object or null.
 */
export function orderColumns(db: Db) {
  return db`
    o.id, o.user_id, o.status, o.total_cents, o.currency, o.created_at, o.expires_at,
    o.paid_at, o.updated_at, o.source, o.subtotal_cents, o.shipping_cents, o.tax_cents,
    o.prices_include_tax, o.shipping_address, o.billing_address, o.shipping,
    (SELECT json_build_object(
        'provider', p.provider, 'status', p.status, 'amountCents', p.amount_cents,
        'currency', p.currency, 'providerRef', p.provider_ref, 'processedAt', p.processed_at
      )
     FROM payments p WHERE p.order_id = o.id AND p.status IN ('succeeded', 'refunded')
     ORDER BY p.seq DESC LIMIT 1) AS payment,
    (SELECT coalesce(json_agg(json_build_object(
        'sku', i.sku, 'productSku', i.product_sku, 'productName', i.product_name,
        'variantLabel', i.variant_label, 'qty', i.qty,
        'unitPriceCents', i.unit_price_cents, 'lineTotalCents', i.line_total_cents,
        'taxCents', i.tax_cents
      ) ORDER BY i.sku), '[]'::json)
     FROM order_items i WHERE i.order_id = o.id) AS items`;
}

export function toOrder(row: unknown): Order {
  const r = parseRow(OrderRow, row, "orders");
  return {
    id: r.id,
    userId: r.user_id,
    status: r.status,
    items: r.items,
    subtotalCents: r.subtotal_cents,
    shippingCents: r.shipping_cents,
    taxCents: r.tax_cents,
    totalCents: r.total_cents,
    pricesIncludeTax: r.prices_include_tax,
    currency: r.currency,
    shippingAddress: r.shipping_address,
    billingAddress: r.billing_address,
    shipping: r.shipping,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    paidAt: r.paid_at,
    updatedAt: r.updated_at,
    source: r.source,
    payment: r.payment,
  };
}

const PaymentRow = z.object({
  id: z.string(),
  order_id: z.string(),
  user_id: z.string(),
  status: z.enum(PAYMENT_STATUSES),
  amount_cents: int,
  currency: z.string(),
  provider: z.string(),
  provider_ref: z.string(),
  failure_reason: z.string().nullable(),
  processed_at: date,
});

export function paymentColumns(db: Db) {
  return db`
    p.id, p.order_id, p.user_id, p.status, p.amount_cents, p.currency, p.provider,
    p.provider_ref, p.failure_reason, p.processed_at`;
}

export function toPayment(row: unknown): Payment {
  const r = parseRow(PaymentRow, row, "payments");
  return {
    id: r.id,
    orderId: r.order_id,
    userId: r.user_id,
    status: r.status,
    amountCents: r.amount_cents,
    currency: r.currency,
    provider: r.provider,
    providerRef: r.provider_ref,
    failureReason: r.failure_reason,
    processedAt: r.processed_at,
  };
}

/**
 * Domain values to JSON, field by field: each mapper returns exactly its schema's shape, so no
 * internal field (a user id on a payment, a version, a password hash) can leak by accident.
 * Dates go out as ISO strings.
 */
import type { z } from "zod";
import type { User as DomainUser } from "../../domain/identity/user.ts";
import type { ProductView } from "../../domain/catalog/product_view.ts";
import type { Order as DomainOrder } from "../../domain/ordering/order.ts";
import type { Payment as DomainPayment } from "../../domain/payments/payment.ts";
import type { SearchResult as DomainSearchResult } from "../../domain/search/search.ts";
import type {
  RevenueFigures,
  RevenueQuery,
  RevenueReport,
} from "../../domain/analytics/revenue.ts";
import type { Page } from "../../domain/pagination.ts";
import type { CartView } from "../../application/cart/cart.ts";
import type {
  InventoryView,
  StockLevelView,
} from "../../application/inventory/manage_inventory.ts";
import type { Warehouse as DomainWarehouse } from "../../domain/inventory/warehouse.ts";
import type { OrderDetail as DomainOrderDetail } from "../../application/ordering/manage_orders.ts";
import type { ReindexJob as DomainReindexJob } from "../../application/search/reindex.ts";
import { type DutyHolder, parseHolder } from "../../application/duties.ts";
import type { SyncStatus as DomainSyncStatus } from "../../application/search/sync_catalog.ts";
import type * as S from "./schemas.ts";

type Json<T extends z.ZodType> = z.output<T>;

/** Adapters that cache (Redis) may hand back strings where the domain says Date. */
function iso(value: Date | string): string {
  return typeof value === "string" ? new Date(value).toISOString() : value.toISOString();
}

function isoOrNull(value: Date | string | null | undefined): string | null {
  return value === null || value === undefined ? null : iso(value);
}

export function pageJson<T, U>(page: Page<T>, map: (item: T) => U) {
  return { items: page.items.map(map), page: page.page, size: page.size, total: page.total };
}

export function userJson(user: DomainUser): Json<typeof S.User> {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    createdAt: iso(user.createdAt),
  };
}

export function productJson(p: ProductView): Json<typeof S.Product> {
  return {
    sku: p.sku,
    name: p.name,
    slug: p.slug,
    category: p.category,
    brand: p.brand,
    description: p.description,
    priceCents: p.priceCents,
    currency: p.currency,
    images: [...p.images],
    attrs: { ...p.attrs },
    variants: p.variants.map((v) => ({
      sku: v.sku,
      label: v.label,
      attrs: { ...v.attrs },
      priceCents: v.priceCents,
      availability: { available: v.availability.available, inStock: v.availability.inStock },
    })),
    priceRange: { minCents: p.priceRange.minCents, maxCents: p.priceRange.maxCents },
    tags: [...p.tags],
    ratings: { avg: p.ratings.avg, count: p.ratings.count },
    publishedAt: isoOrNull(p.publishedAt),
    updatedAt: iso(p.updatedAt),
    availability: { available: p.availability.available, inStock: p.availability.inStock },
    breadcrumbs: (p.breadcrumbs ?? []).map((b) => ({ slug: b.slug, name: b.name })),
  };
}

export function inventoryJson(item: InventoryView): Json<typeof S.InventoryItem> {
  return {
    sku: item.sku,
    name: item.name,
    unitPriceCents: item.unitPriceCents,
    currency: item.currency,
    stock: item.stock,
    reserved: item.reserved,
    available: item.available,
    active: item.active,
    publishedAt: isoOrNull(item.publishedAt),
    updatedAt: iso(item.updatedAt),
    warehouses: item.warehouses.map(stockRowJson),
  };
}

export function stockRowJson(row: StockLevelView): Json<typeof S.StockRow> {
  return {
    sku: row.sku,
    warehouse: row.warehouse,
    stock: row.stock,
    reserved: row.reserved,
    available: row.available,
    lowStockThreshold: row.lowStockThreshold,
  };
}

export function warehouseJson(w: DomainWarehouse): Json<typeof S.Warehouse> {
  return { code: w.code, name: w.name, country: w.country, priority: w.priority, active: w.active };
}

export function cartJson(cart: CartView): Json<typeof S.Cart> {
  return {
    items: cart.items.map((i) => ({
      sku: i.sku,
      productSku: i.productSku,
      productName: i.name,
      variantLabel: i.variantLabel,
      name: i.name,
      qty: i.qty,
      unitPriceCents: i.unitPriceCents,
      lineTotalCents: i.lineTotalCents,
      available: i.available,
    })),
    totalCents: cart.totalCents,
    currency: cart.currency,
  };
}

/** `expiresAt` only while the order can still expire; the payment without any user data. */
function orderHead(o: DomainOrder | DomainOrderDetail) {
  const p = o.payment;
  return {
    id: o.id,
    status: o.status,
    subtotalCents: o.subtotalCents,
    shippingCents: o.shippingCents,
    taxCents: o.taxCents,
    totalCents: o.totalCents,
    pricesIncludeTax: o.pricesIncludeTax,
    currency: o.currency,
    shippingAddress: o.shippingAddress && { ...o.shippingAddress },
    billingAddress: o.billingAddress && { ...o.billingAddress },
    shipping: o.shipping && { ...o.shipping },
    source: o.source,
    createdAt: iso(o.createdAt),
    expiresAt: o.status === "pending" ? iso(o.expiresAt) : null,
    paidAt: isoOrNull(o.paidAt),
    payment: p
      ? {
        provider: p.provider,
        status: p.status,
        amountCents: p.amountCents,
        currency: p.currency,
        providerRef: p.providerRef,
        processedAt: iso(p.processedAt),
      }
      : null,
  };
}

export function orderJson(o: DomainOrder): Json<typeof S.Order> {
  return {
    ...orderHead(o),
    items: o.items.map((i) => ({
      sku: i.sku,
      productSku: i.productSku,
      productName: i.productName,
      variantLabel: i.variantLabel,
      qty: i.qty,
      unitPriceCents: i.unitPriceCents,
      lineTotalCents: i.lineTotalCents,
      taxCents: i.taxCents,
    })),
  };
}

export function adminOrderJson(o: DomainOrder): Json<typeof S.AdminOrder> {
  return { ...orderJson(o), userId: o.userId };
}

export function orderDetailJson(o: DomainOrderDetail): Json<typeof S.OrderDetail> {
  return {
    ...orderHead(o),
    items: o.items.map((i) => ({
      sku: i.sku,
      productSku: i.productSku,
      productName: i.productName,
      variantLabel: i.variantLabel,
      qty: i.qty,
      unitPriceCents: i.unitPriceCents,
      lineTotalCents: i.lineTotalCents,
      taxCents: i.taxCents,
      product: { name: i.product.name, slug: i.product.slug, image: i.product.image },
    })),
  };
}

export function paymentJson(p: DomainPayment): Json<typeof S.Payment> {
  return {
    id: p.id,
    orderId: p.orderId,
    status: p.status,
    amountCents: p.amountCents,
    provider: p.provider,
    providerRef: p.providerRef,
    processedAt: iso(p.processedAt),
  };
}

export function searchJson(r: DomainSearchResult): Json<typeof S.SearchResult> {
  return {
    items: r.items.map((h) => ({
      sku: h.sku,
      name: h.name,
      slug: h.slug,
      category: h.category,
      brand: h.brand,
      priceCents: h.priceCents,
      rating: h.rating,
      inStock: h.inStock,
      highlight: Object.fromEntries(
        Object.entries(h.highlight).map(([field, fragments]) => [field, [...fragments]]),
      ),
    })),
    page: r.page,
    size: r.size,
    total: r.total,
    facets: {
      category: r.facets.category.map((f) => ({ value: f.value, count: f.count })),
      brand: r.facets.brand.map((f) => ({ value: f.value, count: f.count })),
      price: r.facets.price.map((b) => ({
        key: b.key,
        fromCents: b.fromCents,
        toCents: b.toCents,
        count: b.count,
      })),
      attrs: Object.fromEntries(
        Object.entries(r.facets.attrs).map((
          [name, counts],
        ) => [name, counts.map((f) => ({ value: f.value, count: f.count }))]),
      ),
    },
    suggestions: [...r.suggestions],
  };
}

function figuresJson(f: RevenueFigures) {
  return {
    currency: f.currency,
    orders: f.orders,
    units: f.units,
    revenueCents: f.revenueCents,
    refundCount: f.refundCount,
    refundedCents: f.refundedCents,
  };
}

export function revenueJson(query: RevenueQuery, r: RevenueReport): Json<typeof S.Revenue> {
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    groupBy: query.groupBy,
    buckets: r.buckets.map((b) => ({ period: b.period, ...figuresJson(b) })),
    totals: r.totals.map(figuresJson),
    topProducts: r.topProducts.map((t) => ({
      sku: t.sku,
      productName: t.productName,
      currency: t.currency,
      units: t.units,
      revenueCents: t.revenueCents,
    })),
  };
}

export function reindexJobJson(job: DomainReindexJob): Json<typeof S.ReindexJob> {
  return {
    id: job.id,
    status: job.status,
    indexed: job.indexed,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    error: job.error,
  };
}

export function dutiesJson(duties: readonly DutyHolder[]): Json<typeof S.Duties> {
  return {
    duties: duties.map((d) => {
      const parts = d.holder === null ? null : parseHolder(d.holder);
      return {
        name: d.name,
        holder: d.holder,
        host: parts?.host ?? null,
        pid: parts?.pid ?? null,
        expiresAt: d.expiresAt?.toISOString() ?? null,
      };
    }),
  };
}

export function syncStatusJson(s: DomainSyncStatus): Json<typeof S.SyncStatus> {
  const feed = (f: DomainSyncStatus["feeds"][number]) => ({
    feed: f.feed,
    lagMs: f.lagMs,
    lastEventAt: f.lastEventAt,
    checkpoint: f.checkpoint,
    pending: f.pending,
    resyncs: f.resyncs,
    lastResyncAt: f.lastResyncAt,
    lastResyncReason: f.lastResyncReason,
  });
  return {
    lagMs: s.lagMs,
    lastEventAt: s.lastEventAt,
    checkpoint: s.checkpoint,
    pending: s.pending,
    feeds: s.feeds.map(feed),
    parked: s.parked.map((p) => ({
      feed: p.feed,
      sku: p.sku,
      error: p.error,
      parkedAt: p.parkedAt,
    })),
  };
}

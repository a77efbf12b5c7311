import { DependencyUnavailable } from "../../domain/errors.ts";
import { toSearchDocument } from "../../domain/search/search.ts";
import type { Product } from "../../domain/catalog/product.ts";
import { skusOf } from "../../domain/catalog/variant.ts";
import { type FacetableByCategory, facetableByCategory } from "../../domain/catalog/category.ts";
import type { InventoryItem } from "../../domain/inventory/stock.ts";
import type { Catalog } from "../../ports/catalog/catalog.ts";
import type { Categories } from "../../ports/catalog/categories.ts";
import { applyCategoryChange } from "../catalog/category_sync.ts";
import { applyVendorChange, refreshVendorCopy } from "../vendors/vendor_sync.ts";
import type { Vendors } from "../../ports/vendors/vendors.ts";
import type { VendorIndex } from "../../ports/vendors/vendor_index.ts";
import {
  type ChangeEvent,
  type ChangeFeed,
  FeedHistoryLost,
  type SyncStateStore,
} from "../../ports/search/change_feed.ts";
import type { IdGenerator } from "../../ports/ids.ts";
import type { JobLog, Leases } from "../../ports/leases.ts";
import type { Clock } from "../../ports/clock.ts";
import type { InventoryStore } from "../../ports/inventory/inventory.ts";
import type { AvailabilityCache } from "../../ports/inventory/availability_cache.ts";
import { refreshAvailability } from "../inventory/availability.ts";
import type { Logger } from "../../ports/logger.ts";
import type { ProductCache } from "../../ports/catalog/product_cache.ts";
import type { SearchIndex } from "../../ports/search/search_index.ts";
import { resyncFeed } from "./resync_feed.ts";
import type { OrderIndex } from "../../ports/support/order_index.ts";
import type { OrderRecords } from "../../ports/support/order_records.ts";
import { applyOrderChange } from "../support/order_sync.ts";
import type { Reviews } from "../../ports/reviews/reviews.ts";
import type { UserStore } from "../../ports/identity/users.ts";
import { applyReviewChange, applyUserChange } from "../reviews/review_sync.ts";

/** A deleted SKU is never sold again (SKUs are not reused), so its removal outranks any put. */
export const REMOVED_VERSION = Number.MAX_SAFE_INTEGER;

export interface SyncDeps {
  readonly catalog: Catalog;
  /** Category events rewrite the products' breadcrumbs (category_sync.ts). */
  readonly categories: Categories;
  /** Vendor events rewrite the products' vendor copies and the vendor index (vendor_sync.ts). */
  readonly vendors?: Vendors;
  readonly vendorIndex?: VendorIndex;
  readonly inventory: InventoryStore;
  readonly index: SearchIndex;
  readonly cache: ProductCache;
  /** Shopper stock and price per SKU, refreshed from each inventory event (when configured). */
  readonly availability?: AvailabilityCache;
  readonly state: SyncStateStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** For a resync (the feed lost its history): the rebuild's lease, job log and ids. */
  readonly ids: IdGenerator;
  readonly leases: Leases;
  readonly jobs: JobLog;
  /** Order events (the outbox's `order` rows) rewrite the support team's order index. */
  readonly orderRecords: OrderRecords;
  readonly orderIndex: OrderIndex;
  /**
   * Review events recompute a product's ratings; user events copy a display name onto the
   * user's reviews (review_sync.ts). Absent: those events have nothing to update.
   */
  readonly reviews?: Reviews;
  readonly users?: Pick<UserStore, "get">;
}

export interface SyncOptions {
  readonly batchSize: number;
  readonly waitMs: number;
  readonly attempts: number;
  readonly backoffMs: number;
}

export const DEFAULT_SYNC_OPTIONS: SyncOptions = {
  batchSize: 200,
  waitMs: 1_000,
  attempts: 5,
  backoffMs: 100,
};

export interface SyncPass {
  readonly applied: number;
  readonly parked: number;
  /** True when a dependency was down: the pass stopped before the failing event. */
  readonly stalled: boolean;
  /** Set when the feed had lost its history and the pass rebuilt the index instead. */
  readonly resynced?: true;
}

/**
 * Brings the index (and the derived price copy and product cache) up to date for one SKU by
 * re-reading both sources of truth. Because it writes the current state with a version that
 * only grows, applying an event twice, or an old event late, is harmless. `facetable`: the
 * tree's facetable attributes per category, read once per batch (read here when absent).
 */
export async function applyChange(
  deps: SyncDeps,
  eventSku: string,
  facetable?: FacetableByCategory,
): Promise<void> {
  // A variant's stock or price event re-indexes its product (one document per product).
  const { product, sku } = await productOfEvent(deps, eventSku);
  // A vendor copy read just before a rename is brought in step; the rewrite's own event
  // re-indexes it, so this pass goes on with what it read.
  if (product && deps.vendors) await refreshVendorCopy({ ...deps, vendors: deps.vendors }, product);
  const rows = new Map(
    (await deps.inventory.getMany(product ? skusOf(product) : [sku])).map((i) => [i.sku, i]),
  );
  const stored = rows.get(sku) ?? null;
  let item = stored;
  if (product && item?.active && !sameInstant(item.publishedAt, product.publishedAt)) {
    // Inventory's copy of publishedAt (what checkout sells by) drifted from the catalog, the
    // truth for it: a row that predates the copy, or a catalog write whose inventory step was
    // lost. Repair it; its own change event re-indexes the document.
    item = await deps.inventory.adjust(sku, { publishedAt: product.publishedAt }, deps.clock.now());
  }
  if (product) await repairVariantPublication(deps, product, rows);
  const facets = product
    ? (facetable ?? facetableByCategory(await deps.categories.all())).get(product.category) ?? []
    : [];
  if (!product) {
    await deps.index.remove(sku, REMOVED_VERSION);
  } else if (item && item.unitPriceCents !== product.priceCents) {
    // The catalog keeps a copy of the price for browse sorting. Refreshing it is a catalog
    // write, whose own change event then re-indexes the document with the new version.
    const updated = await deps.catalog.replace({
      ...product,
      priceCents: item.unitPriceCents,
      currency: item.currency,
      updatedAt: deps.clock.now(),
    });
    await deps.index.put(toSearchDocument(updated, item, rows, facets));
  } else {
    await deps.index.put(toSearchDocument(product, item, rows, facets));
  }
  // Before the product cache is dropped, so its next load reads the new availability.
  // The availability cache is per SKU: the event's own (a variant's), not its product's.
  const eventItem = eventSku === sku
    ? item
    : rows.get(eventSku) ?? await deps.inventory.get(eventSku);
  await refreshAvailability(deps, eventSku, eventItem);
  try {
    await deps.cache.invalidate(sku);
  } catch (error) {
    deps.logger.warn("product cache invalidation failed during sync", {
      sku,
      error: String(error),
    });
  }
}

/**
 * The product an event's SKU belongs to: its own, or, for a variant SKU, the one its inventory
 * row names (`productSku`). No document: the SKU as given (a deleted product).
 */
async function productOfEvent(
  deps: SyncDeps,
  eventSku: string,
): Promise<{ product: Product | null; sku: string }> {
  const own = await deps.catalog.get(eventSku);
  if (own) return { product: own, sku: eventSku };
  const row = await deps.inventory.get(eventSku);
  if (!row || row.productSku === eventSku) return { product: null, sku: eventSku };
  const parent = await deps.catalog.get(row.productSku);
  return { product: parent, sku: row.productSku };
}

/** Variant rows follow their product's publication like its own row (checkout sells by it). */
async function repairVariantPublication(
  deps: SyncDeps,
  product: Product,
  rows: Map<string, InventoryItem>,
): Promise<void> {
  for (const v of product.variants) {
    const row = rows.get(v.sku);
    if (row?.active && !sameInstant(row.publishedAt, product.publishedAt)) {
      const at = deps.clock.now();
      rows.set(v.sku, await deps.inventory.adjust(v.sku, { publishedAt: product.publishedAt }, at));
    }
  }
}

function sameInstant(a: Date | null, b: Date | null): boolean {
  return a === null || b === null ? a === b : a.getTime() === b.getTime();
}

async function applyReviewEvent(deps: SyncDeps, reviewId: string): Promise<void> {
  if (deps.reviews) await applyReviewChange({ ...deps, reviews: deps.reviews }, reviewId);
}

async function applyUserEvent(deps: SyncDeps, userId: string): Promise<void> {
  if (deps.reviews && deps.users) {
    await applyUserChange({ ...deps, reviews: deps.reviews, users: deps.users }, userId);
  }
}

/** A vendor event, where the vendor ports are wired (else there is nothing to update). */
async function applyVendorEvent(deps: SyncDeps, id: string): Promise<void> {
  if (!deps.vendors || !deps.vendorIndex) return;
  await applyVendorChange({ ...deps, vendors: deps.vendors, vendorIndex: deps.vendorIndex }, id);
}

/** How applying one event ended; a parked event keeps the last error for the status report. */
type Attempt =
  | { readonly outcome: "applied" | "stalled" }
  | { readonly outcome: "parked"; readonly error: string };

async function applyWithRetry(
  deps: SyncDeps,
  event: ChangeEvent,
  options: SyncOptions,
  tree: () => Promise<FacetableByCategory>,
): Promise<Attempt> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    try {
      if (event.source === "category") await applyCategoryChange(deps, event.sku);
      else if (event.source === "order") await applyOrderChange(deps, event.sku);
      else if (event.source === "review") await applyReviewEvent(deps, event.sku);
      else if (event.source === "user") await applyUserEvent(deps, event.sku);
      else if (event.source === "vendor") await applyVendorEvent(deps, event.sku);
      else await applyChange(deps, event.sku, await tree());
      return { outcome: "applied" };
    } catch (error) {
      lastError = error;
      if (attempt < options.attempts) {
        await new Promise((r) => setTimeout(r, options.backoffMs * 2 ** (attempt - 1)));
      }
    }
  }
  // A store that is down will come back: stop here and resume from this event later.
  if (lastError instanceof DependencyUnavailable) return { outcome: "stalled" };
  return { outcome: "parked", error: String(lastError) };
}

/**
 * One pass over a change feed: reads a batch after the durable checkpoint, applies each SKU
 * once (later events for the same SKU are covered by re-reading the sources), parks events
 * that keep failing for reasons other than an outage, and saves the checkpoint.
 */
export async function syncOnce(
  deps: SyncDeps,
  feed: ChangeFeed,
  options: SyncOptions = DEFAULT_SYNC_OPTIONS,
): Promise<SyncPass> {
  const saved = await deps.state.checkpoint(feed.name);
  let events: ChangeEvent[];
  try {
    events = await feed.poll(saved?.checkpoint ?? null, options.batchSize, options.waitMs);
  } catch (error) {
    if (!(error instanceof FeedHistoryLost)) throw error;
    const outcome = await resyncFeed(deps, feed, error, saved?.checkpoint ?? null);
    if (outcome === "resynced") return { applied: 0, parked: 0, stalled: false, resynced: true };
    return { applied: 0, parked: 0, stalled: outcome === "later" };
  }
  let applied = 0;
  let parked = 0;
  let last: ChangeEvent | undefined;
  // The category tree is small: read once per batch, after the poll (so it is at least as new
  // as any category write whose product rewrites are in this batch), and only when needed.
  let facetable: Promise<FacetableByCategory> | undefined;
  const tree = () => {
    facetable ??= deps.categories.all().then(facetableByCategory);
    facetable.catch(() => facetable = undefined); // a failed read is retried, not cached
    return facetable;
  };
  const done = new Set<string>();
  const resolved: string[] = [];
  const settle = async () => {
    if (last) await deps.state.saveCheckpoint(feed.name, last.checkpoint, last.at);
    // Applied now: whatever was parked for these SKUs before is resolved.
    if (resolved.length > 0) await deps.state.resolve(feed.name, resolved, deps.clock.now());
  };
  for (const event of events) {
    // A category's slug, an order id and a SKU may coincide: different things to apply.
    const kind = event.source === "catalog" || event.source === "inventory"
      ? "product"
      : event.source;
    const key = `${kind}:${event.sku}`;
    if (!done.has(key)) {
      const result = await applyWithRetry(deps, event, options, tree);
      if (result.outcome === "stalled") {
        await settle();
        deps.logger.warn("sync stalled: a dependency is down", { feed: feed.name, sku: event.sku });
        return { applied, parked, stalled: true };
      }
      if (result.outcome === "parked") {
        parked++;
        await deps.state.park({
          feed: feed.name,
          event,
          error: result.error,
          attempts: options.attempts,
          parkedAt: deps.clock.now(),
        });
        deps.logger.error("sync event parked", {
          feed: feed.name,
          sku: event.sku,
          error: result.error,
        });
      } else {
        applied++;
        resolved.push(event.sku);
      }
      done.add(key);
    }
    last = event;
  }
  await settle();
  return { applied, parked, stalled: false };
}

/**
 * Runs passes over every feed until `signal` aborts; sleeps a little after a stall. `onPass`
 * hears of every round (a worker's heartbeat).
 */
export async function runSync(
  deps: SyncDeps,
  feeds: readonly ChangeFeed[],
  signal: AbortSignal,
  options: SyncOptions = DEFAULT_SYNC_OPTIONS,
  onPass: (passes: readonly SyncPass[]) => void = () => {},
): Promise<void> {
  while (!signal.aborted) {
    const passes = await Promise.all(feeds.map(async (feed) => {
      try {
        return await syncOnce(deps, feed, options);
      } catch (error) {
        deps.logger.warn("sync pass failed", { feed: feed.name, error: String(error) });
        return { applied: 0, parked: 0, stalled: true };
      }
    }));
    onPass(passes);
    if (passes.some((p) => p.stalled) && !signal.aborted) {
      await new Promise((r) => setTimeout(r, options.backoffMs * 10));
    }
  }
}

export interface FeedStatus {
  readonly feed: string;
  readonly lagMs: number;
  readonly lastEventAt: string | null;
  readonly checkpoint: string | null;
  readonly pending: number;
  /** Rebuilds after the feed lost its history, the last one's time and reason. */
  readonly resyncs: number;
  readonly lastResyncAt: string | null;
  readonly lastResyncReason: string | null;
}

export interface SyncStatus
  extends Omit<FeedStatus, "feed" | "resyncs" | "lastResyncAt" | "lastResyncReason"> {
  readonly feeds: readonly FeedStatus[];
  readonly parked: readonly { feed: string; sku: string; error: string; parkedAt: string }[];
}

/** Lag is now minus the oldest change not yet applied, per feed; the summary is the worst. */
export async function syncStatus(
  deps: Pick<SyncDeps, "state" | "clock">,
  feeds: readonly ChangeFeed[],
): Promise<SyncStatus> {
  const now = deps.clock.now().getTime();
  const statuses = await Promise.all(feeds.map(async (feed): Promise<FeedStatus> => {
    const saved = await deps.state.checkpoint(feed.name);
    const resyncs = await deps.state.resyncs(feed.name);
    // A feed that lost its history has no countable backlog until the sync resyncs it.
    const backlog = await feed.backlog(saved?.checkpoint ?? null).catch((error) => {
      if (error instanceof FeedHistoryLost) return { pending: 0, oldestAt: null };
      throw error;
    });
    return {
      feed: feed.name,
      lagMs: backlog.oldestAt ? Math.max(0, now - backlog.oldestAt.getTime()) : 0,
      lastEventAt: saved?.lastEventAt.toISOString() ?? null,
      checkpoint: saved?.checkpoint ?? null,
      pending: backlog.pending,
      resyncs: resyncs?.count ?? 0,
      lastResyncAt: resyncs?.lastAt.toISOString() ?? null,
      lastResyncReason: resyncs?.lastReason ?? null,
    };
  }));
  const parked = await deps.state.parked(100);
  const latest = statuses.map((s) => s.lastEventAt).filter((s) => s !== null).sort().at(-1) ??
    null;
  return {
    lagMs: Math.max(0, ...statuses.map((s) => s.lagMs)),
    lastEventAt: latest,
    checkpoint: statuses.length === 1 ? statuses[0].checkpoint : null,
    pending: statuses.reduce((sum, s) => sum + s.pending, 0),
    feeds: statuses,
    parked: parked.map((p) => ({
      feed: p.feed,
      sku: p.event.sku,
      error: p.error,
      parkedAt: p.parkedAt.toISOString(),
    })),
  };
}

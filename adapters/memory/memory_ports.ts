/**
 * The embedded default: every port on an in-memory adapter, optionally seeded. Used by
 * `main.ts` when no database URL is configured, and by tests that need the whole core.
 */
import type { Ports } from "../../application/use_cases.ts";
import {
  DEFAULT_SYNC_OPTIONS,
  syncOnce,
  type SyncPass,
} from "../../application/search/sync_catalog.ts";
import type { InventoryItem } from "../../domain/inventory/stock.ts";
import type { Clock } from "../../ports/clock.ts";
import type { IdGenerator } from "../../ports/ids.ts";
import type { Logger } from "../../ports/logger.ts";
import type { PasswordHasher } from "../../ports/identity/password_hasher.ts";
import type { PaymentGateway } from "../../ports/payments/payment_gateway.ts";
import { MemoryAddressBook } from "./address_book.ts";
import { MemoryCartStore } from "./carts.ts";
import { MemoryCatalog } from "./catalog.ts";
import { MemoryCategories } from "./categories.ts";
import { MemoryChangeLog } from "./change_feed.ts";
import { MemoryIdempotencyStore } from "./idempotency_store.ts";
import { MemoryInventoryStore } from "./inventory_store.ts";
import { MemoryLeaderboards } from "./leaderboards.ts";
import { MemoryJobLog, MemoryLeases } from "./leases.ts";
import { MemoryHousekeeping } from "./housekeeping.ts";
import { MemoryOrderStore } from "./order_store.ts";
import { Outage } from "./outage.ts";
import { MemoryProductCache } from "./product_cache.ts";
import { MemoryRefundedCharges } from "./refunded_charges.ts";
import { MemoryRateLimiter } from "./rate_limiter.ts";
import { MemorySearchIndex } from "./search_index.ts";
import { MemoryVendors } from "./vendors.ts";
import { MemoryVendorIndex } from "./vendor_index.ts";
import { seedVendors } from "./seed_vendors.ts";
import { SEED_EAST_THRESHOLD, SEED_WAREHOUSES, seedCatalog, seedEastStock } from "./seed.ts";
import { placeInTree, seedCategories } from "./seed_categories.ts";
import { MemorySyncStateStore } from "./sync_state_store.ts";
import { MemorySessionStore, MemoryUserStore } from "./users.ts";
import { MemoryShippingRates } from "./shipping_rates.ts";
import { MemoryTaxRates } from "./tax_rates.ts";
import { seedShippingAndTax } from "./seed_checkout.ts";
import { MemoryOrderIndex } from "./order_index.ts";
import { MemoryCustomerDirectory, MemoryOrderRecords } from "./order_records.ts";
import { seedSupportOrders } from "./seed_support.ts";
import { MemoryReviews } from "./reviews.ts";
import { seedReviews } from "./seed_reviews.ts";

/** What memory cannot fake: time, ids, logs, hashing and payments come from the caller. */
export interface MemoryPortsOptions {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  readonly hasher: PasswordHasher;
  readonly gateways: readonly PaymentGateway[];
  /** Load the seed category tree and catalog (64+ products with stock) and index it. */
  readonly seed?: boolean;
  /** With `seed`: also demo customers and orders for the support search (`deno task dev`). */
  readonly seedOrders?: boolean;
  /**
   * With `seed`: the demo reviewers also buy (confirmed orders, so some reviews are verified
   * purchases). `deno task dev` sets it; tests leave it off (their order and stock figures).
   */
  readonly seedPurchases?: boolean;
}

export interface MemoryPorts {
  readonly ports: Ports;
  /** Switches that take the stand-ins for Redis and Elasticsearch down in tests. */
  readonly outages: { readonly redis: Outage; readonly elasticsearch: Outage };
  readonly changes: MemoryChangeLog;
  /** Applies every pending change to the search index (what the sync worker does). */
  syncAll(): Promise<SyncPass>;
}

export async function memoryPorts(options: MemoryPortsOptions): Promise<MemoryPorts> {
  const { clock, logger } = options;
  const outages = { redis: new Outage(), elasticsearch: new Outage() };
  const changes = new MemoryChangeLog("memory");
  const inventory = new MemoryInventoryStore({ log: changes });
  // Order events share the one log: the sync applies them to the support order index.
  const orders = new MemoryOrderStore({ inventory, log: changes });
  const catalog = new MemoryCatalog({ changes, clock });
  const categories = new MemoryCategories({ changes, clock });
  const redis = { outage: outages.redis };
  const users = new MemoryUserStore({
    changes,
    renamed: (id, at) => orders.customerChangedSync(id, at),
  });
  const idempotency = new MemoryIdempotencyStore();
  const sessions = new MemorySessionStore(users);
  const syncState = new MemorySyncStateStore();
  const ports: Ports = {
    clock,
    ids: options.ids,
    logger,
    hasher: options.hasher,
    users,
    sessions,
    inventory,
    warehouses: inventory,
    orders,
    revenue: orders,
    idempotency,
    catalog,
    categories,
    vendors: new MemoryVendors({ changes, clock }),
    vendorIndex: new MemoryVendorIndex({ outage: outages.elasticsearch }),
    cache: new MemoryProductCache(clock, redis),
    carts: new MemoryCartStore(clock, undefined, redis),
    limiter: new MemoryRateLimiter(redis),
    leaderboards: new MemoryLeaderboards(redis),
    index: new MemorySearchIndex({ outage: outages.elasticsearch }),
    syncState,
    housekeeping: new MemoryHousekeeping({ idempotency, sessions, syncState, logs: [changes] }),
    leases: new MemoryLeases(clock),
    jobs: new MemoryJobLog(),
    feeds: [changes],
    gateways: new Map(options.gateways.map((g) => [g.provider, g])),
    refundedCharges: new MemoryRefundedCharges(),
    addresses: new MemoryAddressBook(),
    shipping: new MemoryShippingRates(),
    taxRates: new MemoryTaxRates(),
    orderRecords: new MemoryOrderRecords(orders, users),
    orderIndex: new MemoryOrderIndex({ outage: outages.elasticsearch }),
    customers: new MemoryCustomerDirectory(users),
    reviews: new MemoryReviews({ changes }),
    health: [
      { name: "memory", critical: true, check: () => Promise.resolve() },
      { name: "redis (memory)", critical: false, check: outageCheck(outages.redis, "redis") },
      {
        name: "elasticsearch (memory)",
        critical: false,
        check: outageCheck(outages.elasticsearch, "elasticsearch"),
      },
    ],
  };

  const syncAll = async (): Promise<SyncPass> => {
    const total = { applied: 0, parked: 0, stalled: false };
    const fast = { ...DEFAULT_SYNC_OPTIONS, waitMs: 0, attempts: 1 };
    for (;;) {
      const pass = await syncOnce({ ...ports, state: ports.syncState }, changes, fast);
      total.applied += pass.applied;
      total.parked += pass.parked;
      if (pass.stalled) return { ...total, stalled: true };
      if (
        (await changes.backlog(
          (await ports.syncState.checkpoint(changes.name))?.checkpoint ?? null,
        )).pending === 0
      ) {
        return total;
      }
    }
  };

  if (options.seed) {
    const seed = seedCatalog(clock.now());
    const tree = seedCategories(clock.now());
    for (const category of tree) await categories.create(category);
    const vendored = await seedVendors(ports.vendors, seed.products, clock.now());
    for (const product of placeInTree(vendored, tree)) await catalog.create(product);
    for (const item of seed.inventory) await inventory.create(item);
    await seedWarehouses(inventory, seed.inventory, clock.now());
    await seedShippingAndTax(ports);
    if (options.seedOrders) await seedSupportOrders(ports);
    await seedReviews(ports, seed.products, { purchases: options.seedPurchases });
    await syncAll();
  }
  return { ports, outages, changes, syncAll };
}

/** The seed's second warehouse and the stock split into it (see `seedEastStock`). */
async function seedWarehouses(
  inventory: MemoryInventoryStore,
  items: readonly InventoryItem[],
  at: Date,
): Promise<void> {
  const known = new Set((await inventory.listWarehouses()).map((w) => w.code));
  for (const w of SEED_WAREHOUSES) if (!known.has(w.code)) await inventory.createWarehouse(w, at);
  for (const item of items) {
    const east = seedEastStock(item);
    if (east === 0) continue;
    await inventory.adjust(item.sku, { warehouse: "main", delta: -east }, at);
    await inventory.adjust(
      item.sku,
      { warehouse: "east", stock: east, lowStockThreshold: SEED_EAST_THRESHOLD },
      at,
    );
  }
}

function outageCheck(outage: Outage, name: string): () => Promise<void> {
  return () => {
    outage.check(name);
    return Promise.resolve();
  };
}

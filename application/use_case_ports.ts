/**
 * What `bindUseCases` binds the use cases to: every port (built by `composition/` or a test)
 * and the settings read from the environment by `config.ts`.
 */
import type { Catalog } from "../ports/catalog/catalog.ts";
import type { Categories } from "../ports/catalog/categories.ts";
import type { CartStore } from "../ports/cart/carts.ts";
import type { ChangeFeed, SyncStateStore } from "../ports/search/change_feed.ts";
import type { Clock } from "../ports/clock.ts";
import type { HealthCheck } from "../ports/health.ts";
import type { IdempotencyStore } from "../ports/idempotency.ts";
import type { IdGenerator } from "../ports/ids.ts";
import type { InventoryStore, WarehouseStore } from "../ports/inventory/inventory.ts";
import type { AvailabilityCache } from "../ports/inventory/availability_cache.ts";
import type { Leaderboards } from "../ports/analytics/leaderboards.ts";
import type { Housekeeping } from "../ports/housekeeping.ts";
import type { JobLog, Leases } from "../ports/leases.ts";
import type { Logger } from "../ports/logger.ts";
import type { OrderStore, RevenueReports } from "../ports/ordering/orders.ts";
import type { PasswordHasher } from "../ports/identity/password_hasher.ts";
import type { PaymentGateway } from "../ports/payments/payment_gateway.ts";
import type { PaymentEventSource, ProcessedEvents } from "../ports/payments/payment_events.ts";
import type { RefundedCharges } from "../ports/payments/refunded_charges.ts";
import type { ProductCache } from "../ports/catalog/product_cache.ts";
import type { RateLimiter } from "../ports/rate_limiter.ts";
import type { SearchIndex } from "../ports/search/search_index.ts";
import type { SessionStore, UserStore } from "../ports/identity/users.ts";
import type { AddressBook } from "../ports/identity/address_book.ts";
import type { ShippingRates } from "../ports/shipping/shipping_rates.ts";
import type { TaxCalculator } from "../ports/tax/tax_calculator.ts";
import type { TaxRates } from "../ports/tax/tax_rates.ts";
import type { OrderIndex } from "../ports/support/order_index.ts";
import type { OrderRecords } from "../ports/support/order_records.ts";
import type { CustomerDirectory } from "../ports/support/customer_directory.ts";
import type { Reviews } from "../ports/reviews/reviews.ts";
import type { Vendors } from "../ports/vendors/vendors.ts";
import type { VendorIndex } from "../ports/vendors/vendor_index.ts";
import type { RateLimitPolicy } from "./rate_limit.ts";

export interface Ports {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  readonly hasher: PasswordHasher;
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly inventory: InventoryStore;
  /** Where stock lives; usually the same adapter as `inventory`. */
  readonly warehouses: WarehouseStore;
  readonly orders: OrderStore;
  readonly revenue: RevenueReports;
  readonly idempotency: IdempotencyStore;
  readonly catalog: Catalog;
  /** The category tree (MongoDB beside the catalog). */
  readonly categories: Categories;
  /** Vendor profiles (MongoDB beside the catalog) and their search index (Elasticsearch). */
  readonly vendors: Vendors;
  readonly vendorIndex: VendorIndex;
  readonly cache: ProductCache;
  /**
   * Shopper stock and price from the outbox (Redis). Absent: the product and cart paths read
   * PostgreSQL (the in-memory composition, where the store is already in memory).
   */
  readonly availability?: AvailabilityCache;
  readonly carts: CartStore;
  readonly limiter: RateLimiter;
  readonly leaderboards: Leaderboards;
  readonly index: SearchIndex;
  readonly syncState: SyncStateStore;
  /** One holder per background duty across every process (sweeper, syncs, pruning, rebuild). */
  readonly leases: Leases;
  /** The last run of each background job, shared by every process. */
  readonly jobs: JobLog;
  /** Prunes what would otherwise grow forever (outbox, idempotency keys, sessions, parked). */
  readonly housekeeping: Housekeeping;
  /** The change feeds the search sync consumes (catalog and inventory, or one shared log). */
  readonly feeds: readonly ChangeFeed[];
  readonly gateways: ReadonlyMap<string, PaymentGateway>;
  /** Providers' verified webhooks (Stripe when STRIPE_WEBHOOK_SECRET is set). */
  readonly paymentEvents?: ReadonlyMap<string, PaymentEventSource>;
  /** Provider event ids already handled; webhooks are refused without it. */
  readonly processedEvents?: ProcessedEvents;
  /** Charges given back because they could not pay their order (late, or another amount). */
  readonly refundedCharges?: RefundedCharges;
  readonly health: readonly HealthCheck[];
  /** Each user's addresses (PostgreSQL). */
  readonly addresses: AddressBook;
  /** Shipping zones and their options (PostgreSQL). */
  readonly shipping: ShippingRates;
  /** The tax table (PostgreSQL). */
  readonly taxRates: TaxRates;
  /** The tax rule; absent: the table-driven calculator over `taxRates`. */
  readonly taxCalculator?: TaxCalculator;
  /** Orders with payments, customer and version, as the support index is built (PostgreSQL). */
  readonly orderRecords: OrderRecords;
  /** The support team's order search (Elasticsearch), fed from the outbox's order events. */
  readonly orderIndex: OrderIndex;
  /** Customers by email or name, for support (PostgreSQL). */
  readonly customers: CustomerDirectory;
  /** Customer reviews (MongoDB); their feed recomputes the products' ratings. */
  readonly reviews: Reviews;
}

export interface Settings {
  readonly orderTtlMs: number;
  /** Pending (unexpired) orders one user may hold; placing beyond is refused. */
  readonly maxPendingOrdersPerUser: number;
  readonly sessionTtlMs: number;
  readonly rateLimit: RateLimitPolicy;
  readonly loginRateLimit: RateLimitPolicy;
  /** `REVIEWS_REQUIRE_APPROVAL`: reviews wait for an admin before they show (default off). */
  readonly reviewsRequireApproval?: boolean;
  /**
   * `READ_REUSE_MS`: a browse page or search identical to one answered less than this long ago
   * gets the same answer (absent or 0: only identical reads in flight share one load).
   */
  readonly readReuseMs?: number;
}

/** What several contexts' bindings share, built once by `bindUseCases`. */
export interface Shared {
  /** Shoppers' stock reads (product, cart and quote paths): the availability cache first. */
  readonly shopperInventory: InventoryStore;
}

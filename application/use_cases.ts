/**
 * Binds every use case to one set of ports. `main.ts` and tests build the ports; the HTTP
 * adapter receives the result and never sees an adapter.
 */
import type { ProductQuery } from "../domain/catalog/product.ts";
import type { PublicationStatus } from "../domain/catalog/publication.ts";
import type { RevenueQuery } from "../domain/analytics/revenue.ts";
import type { InventoryChange } from "../domain/inventory/stock.ts";
import type { Warehouse, WarehouseChange } from "../domain/inventory/warehouse.ts";
import type { OrderStatus } from "../domain/ordering/order.ts";
import type { PageRequest } from "../domain/pagination.ts";
import type { SearchQuery } from "../domain/search/search.ts";
import type { Catalog } from "../ports/catalog/catalog.ts";
import type { Categories } from "../ports/catalog/categories.ts";
import type { CartStore, WriteCondition } from "../ports/cart/carts.ts";
import type { ChangeFeed, SyncStateStore } from "../ports/search/change_feed.ts";
import type { Clock } from "../ports/clock.ts";
import type { HealthCheck } from "../ports/health.ts";
import type { IdempotencyScope, IdempotencyStore, StoredResponse } from "../ports/idempotency.ts";
import type { IdGenerator } from "../ports/ids.ts";
import type {
  InventoryStore,
  StockLevelQuery,
  WarehouseStore,
} from "../ports/inventory/inventory.ts";
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
import * as support from "./support/support.ts";
import type { Reviews } from "../ports/reviews/reviews.ts";
import type { ReviewContent, ReviewListQuery, ReviewStatus } from "../domain/reviews/review.ts";
import * as reviews from "./reviews/reviews.ts";
import type { Vendors } from "../ports/vendors/vendors.ts";
import type { VendorIndex } from "../ports/vendors/vendor_index.ts";
import * as vendors from "./vendors/manage_vendors.ts";
import * as addresses from "./identity/addresses.ts";
import * as shipping from "./shipping/manage_shipping.ts";
import * as tax from "./tax/manage_tax.ts";
import { cartQuote, cartShippingOptions, type Destination } from "./checkout/cart_quote.ts";
import { TableTaxCalculator } from "./tax/table_tax_calculator.ts";
import * as auth from "./identity/auth.ts";
import * as cart from "./cart/cart.ts";
import * as guestCarts from "./cart/guest_cart.ts";
import * as manageCatalog from "./catalog/manage_catalog.ts";
import * as categories from "./catalog/categories.ts";
import * as inventory from "./inventory/manage_inventory.ts";
import * as warehouses from "./inventory/warehouses.ts";
import { withAvailabilityCache } from "./inventory/availability.ts";
import * as orders from "./ordering/manage_orders.ts";
import * as leaderboards from "./analytics/leaderboards.ts";
import { payOrder, type PayOrderInput } from "./payments/pay_order.ts";
import { receivePaymentEvent } from "./payments/payment_events.ts";
import { placeOrder } from "./ordering/place_order.ts";
import { getProduct, listAdminProducts, listProducts } from "./catalog/products.ts";
import { checkRateLimit, FailOpenCounter, type RateLimitPolicy } from "./rate_limit.ts";
import { ReindexJobs } from "./search/reindex.ts";
import { revenueReport } from "./analytics/revenue.ts";
import { type IdempotentRun, runIdempotent } from "./idempotency.ts";
import { autocomplete, searchProducts } from "./search/search.ts";
import { syncStatus } from "./search/sync_catalog.ts";
import { dutyHolders } from "./duties.ts";
import { dutyNames } from "./background_duties.ts";

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
}

export function bindUseCases(p: Ports, settings: Settings) {
  const authDeps = { ...p, sessionTtlMs: settings.sessionTtlMs };
  // Shoppers' reads (product and cart paths): the availability cache first, when configured.
  const shopperInventory = p.availability
    ? withAvailabilityCache(p.inventory, p.availability, p.logger)
    : p.inventory;
  const readDeps = {
    catalog: p.catalog,
    inventory: shopperInventory,
    cache: p.cache,
    clock: p.clock,
    logger: p.logger,
  };
  // Catalog writes read and write the store itself, and a SKU whose price or stock they change
  // leaves the availability cache with its product view (the sync then refills both).
  const writeDeps = {
    ...readDeps,
    inventory: p.inventory,
    cache: p.availability ? alsoDropsAvailability(p.cache, p.availability) : p.cache,
    clock: p.clock,
    categories: p.categories,
    vendors: p.vendors,
  };
  const categoryDeps = {
    categories: p.categories,
    catalog: p.catalog,
    clock: p.clock,
    logger: p.logger,
  };
  const cartDeps = {
    carts: p.carts,
    inventory: shopperInventory,
    catalog: p.catalog,
    clock: p.clock,
  };
  const boardDeps = { ...p };
  const quoteDeps = {
    ...cartDeps,
    addresses: p.addresses,
    shipping: p.shipping,
    tax: p.taxCalculator ?? new TableTaxCalculator(p.taxRates),
  };
  const reviewDeps = { ...p, requireApproval: settings.reviewsRequireApproval ?? false };
  const failOpen = new FailOpenCounter();
  const limitDeps = { limiter: p.limiter, clock: p.clock, logger: p.logger, failOpen };
  const reindexJobs = new ReindexJobs({ ...p });

  return {
    settings,
    clock: p.clock,
    logger: p.logger,
    health: p.health,
    rateLimitFailOpen: failOpen,

    register: (input: { email: string; password: string; displayName?: string | null }) =>
      auth.register(authDeps, input),
    login: (input: { email: string; password: string }) => auth.login(authDeps, input),
    authenticate: (token: string) => auth.authenticate(authDeps, token),
    logout: (principal: auth.Principal) => auth.logout(authDeps, principal),
    ensureAdmin: (input: { email: string; password: string }) => auth.ensureAdmin(authDeps, input),

    /** Drafts and scheduled products are `NotFound` unless `includeUnpublished` (admins). */
    getProduct: (key: string, options: { includeUnpublished?: boolean } = {}) =>
      getProduct(readDeps, key, options),
    listProducts: (query: Omit<ProductQuery, "publication">) => listProducts(readDeps, query),
    listAdminProducts: (
      query: Omit<ProductQuery, "publication"> & { status?: PublicationStatus },
    ) => listAdminProducts(readDeps, query),
    createProduct: (input: manageCatalog.NewProductInput) =>
      manageCatalog.createProduct(writeDeps, input),
    updateProduct: (sku: string, input: manageCatalog.ProductUpdateInput) =>
      manageCatalog.updateProduct(writeDeps, sku, input),
    deleteProduct: (sku: string) => manageCatalog.deleteProduct(writeDeps, sku),

    getVendor: (slug: string) => vendors.getVendor(p, slug),
    listVendors: (page: PageRequest) => vendors.listVendors(p, page),
    vendorProducts: (slug: string, page: PageRequest) =>
      vendors.vendorProducts({ ...p, inventory: shopperInventory }, slug, page),
    searchVendors: (q: string, page: PageRequest) => vendors.searchVendors(p, q, page),
    createVendor: (input: vendors.NewVendorInput) => vendors.createVendor(p, input),
    updateVendor: (slug: string, patch: vendors.VendorPatch) =>
      vendors.updateVendor(p, slug, patch),
    deleteVendor: (slug: string) => vendors.deleteVendor(p, slug),

    categoryTree: () => categories.categoryTree(categoryDeps),
    getCategory: (slug: string) => categories.getCategory(categoryDeps, slug),
    createCategory: (input: categories.NewCategoryInput) =>
      categories.createCategory(categoryDeps, input),
    updateCategory: (slug: string, patch: categories.CategoryPatch) =>
      categories.updateCategory(categoryDeps, slug, patch),
    deleteCategory: (slug: string) => categories.deleteCategory(categoryDeps, slug),

    /** A cart by owner (`guestCartOwner(token)` for a guest) or by user id. */
    getCart: (ref: cart.CartRef) => cart.getCart(cartDeps, ref),
    addToCart: (ref: cart.CartRef, input: { sku: string; qty: number }, when?: WriteCondition) =>
      cart.addToCart(cartDeps, ref, input, when),
    setCartItem: (ref: cart.CartRef, input: { sku: string; qty: number }, when?: WriteCondition) =>
      cart.setCartItem(cartDeps, ref, input, when),
    removeCartItem: (ref: cart.CartRef, sku: string, when?: WriteCondition) =>
      cart.removeCartItem(cartDeps, ref, sku, when),
    clearCart: (ref: cart.CartRef, when?: WriteCondition) => cart.clearCart(cartDeps, ref, when),
    guestCartOwner: (token: string) => guestCarts.guestOwner(token),
    createGuestCart: (input: { sku: string; qty: number }) =>
      guestCarts.createGuestCart({ ...cartDeps, ids: p.ids }, input),
    mergeGuestCart: (userId: string, token: string) =>
      guestCarts.mergeGuestCart(cartDeps, userId, token),

    updateProfile: (userId: string, input: { displayName: string | null }) =>
      reviews.updateProfile(reviewDeps, { userId, ...input }),
    writeReview: (userId: string, sku: string, content: ReviewContent) =>
      reviews.writeReview(reviewDeps, { userId, sku, content }),
    editReview: (userId: string, id: string, patch: Partial<ReviewContent>) =>
      reviews.editReview(reviewDeps, { userId, id, patch }),
    deleteReview: (userId: string, id: string) => reviews.deleteReview(reviewDeps, { userId, id }),
    listProductReviews: (sku: string, query: ReviewListQuery) =>
      reviews.listProductReviews(reviewDeps, sku, query),
    markReviewHelpful: (userId: string, id: string) =>
      reviews.markHelpful(reviewDeps, { userId, id }),
    listReviewsByStatus: (status: ReviewStatus, page: PageRequest) =>
      reviews.listReviewsByStatus(reviewDeps, status, page),
    moderateReview: (id: string, status: "published" | "rejected") =>
      reviews.moderateReview(reviewDeps, { id, status }),

    listAddresses: (userId: string) => addresses.listAddresses(p, userId),
    getAddress: (userId: string, id: string) => addresses.getAddress(p, userId, id),
    addAddress: (userId: string, input: addresses.NewAddressInput) =>
      addresses.addAddress(p, userId, input),
    updateAddress: (
      userId: string,
      id: string,
      patch: Parameters<typeof addresses.updateAddress>[3],
    ) => addresses.updateAddress(p, userId, id, patch),
    removeAddress: (userId: string, id: string) => addresses.removeAddress(p, userId, id),

    listShippingZones: () => p.shipping.zones(),
    getShippingZone: (id: string) => shipping.getZone(p, id),
    createShippingZone: (input: shipping.ZoneInput) => shipping.createZone(p, input),
    updateShippingZone: (id: string, patch: Partial<shipping.ZoneInput>) =>
      shipping.updateZone(p, id, patch),
    deleteShippingZone: (id: string) => shipping.deleteZone(p, id),
    listShippingOptions: () => p.shipping.options(),
    getShippingOption: (id: string) => shipping.getOption(p, id),
    createShippingOption: (input: shipping.OptionInput) => shipping.createOption(p, input),
    updateShippingOption: (id: string, patch: Partial<shipping.OptionInput>) =>
      shipping.updateOption(p, id, patch),
    deleteShippingOption: (id: string) => shipping.deleteOption(p, id),

    listTaxRates: () => tax.listTaxRates(p),
    getTaxRate: (id: string) => tax.getTaxRate(p, id),
    createTaxRate: (input: tax.TaxRateInput) => tax.createTaxRate(p, input),
    updateTaxRate: (id: string, patch: Partial<tax.TaxRateInput>) =>
      tax.updateTaxRate(p, id, patch),
    deleteTaxRate: (id: string) => tax.deleteTaxRate(p, id),

    cartShippingOptions: (ref: cart.CartRef, destination: Destination) =>
      cartShippingOptions(quoteDeps, ref, destination),
    cartQuote: (
      ref: cart.CartRef,
      input: { destination: Destination; shippingOptionId?: string | null },
    ) => cartQuote(quoteDeps, ref, input),

    placeOrder: (input: Parameters<typeof placeOrder>[1]) =>
      placeOrder({
        ...p,
        orderTtlMs: settings.orderTtlMs,
        maxPendingOrdersPerUser: settings.maxPendingOrdersPerUser,
      }, input),
    payOrder: (input: PayOrderInput) => payOrder(p, input),
    receivePaymentEvent: (input: { provider: string; rawBody: string; signature: string | null }) =>
      receivePaymentEvent(p, input),
    getOrder: (input: { userId: string; orderId: string }) => orders.getOrderDetail(p, input),
    listOrders: (input: PageRequest & { userId?: string; status?: OrderStatus }) =>
      orders.listOrders(p, input),
    cancelOrder: (input: { userId: string; orderId: string }) => orders.cancelOrder(p, input),
    advanceOrder: (input: { orderId: string; to: "shipped" | "delivered" }) =>
      orders.advanceOrder(p, input),
    refundOrder: (input: { orderId: string; recovered?: boolean }) => orders.refundOrder(p, input),
    expireOrders: (batchSize?: number) => orders.expireOrders(p, batchSize),

    listInventory: (query: StockLevelQuery) => inventory.listInventory(p, query),
    adjustInventory: (sku: string, change: InventoryChange) =>
      inventory.adjustInventory(p, sku, change),
    listWarehouses: () => warehouses.listWarehouses(p),
    createWarehouse: (input: Omit<Warehouse, "active"> & { active?: boolean }) =>
      warehouses.createWarehouse(p, input),
    updateWarehouse: (code: string, change: WarehouseChange) =>
      warehouses.updateWarehouse(p, code, change),

    search: (query: Omit<SearchQuery, "publishedBy">) => searchProducts(p, query),
    autocomplete: (input: { prefix: string; limit: number }) => autocomplete(p, input),

    topProducts: (input: { limit: number; day?: string }) =>
      leaderboards.topProducts(boardDeps, input),
    topCustomers: (input: { limit: number }) => leaderboards.topCustomers(boardDeps, input),
    customerRank: (userId: string) => leaderboards.customerRank(p, userId),

    revenueReport: (query: Omit<RevenueQuery, "from" | "to"> & Partial<RevenueQuery>) =>
      revenueReport(p, query),

    searchOrders: (query: support.OrderSearchInput) => support.searchOrders(p, query),
    supportOrder: (orderId: string) => support.supportOrder(p, orderId),
    findCustomers: (query: support.CustomerSearchInput) => support.findCustomers(p, query),

    startReindex: () => reindexJobs.start(),
    reindexJob: () => reindexJobs.current(),
    reindexIdle: () => reindexJobs.idle(),
    syncStatus: () => syncStatus({ state: p.syncState, clock: p.clock }, p.feeds),
    /** Who holds each background duty's lease, as every instance sees it. */
    duties: () => dutyHolders(p, dutyNames(p.feeds)),

    checkRateLimit: (key: string, policy: RateLimitPolicy) =>
      checkRateLimit(limitDeps, key, policy),
    runIdempotent: (
      scope: IdempotencyScope,
      execute: (run: IdempotentRun) => Promise<StoredResponse>,
    ) => runIdempotent(p, scope, execute),
  };
}

export type UseCases = ReturnType<typeof bindUseCases>;

/** `cache`, whose `invalidate(sku)` also drops the SKU from the availability cache. */
function alsoDropsAvailability(cache: ProductCache, availability: AvailabilityCache): ProductCache {
  return {
    get: (key) => cache.get(key),
    set: (view, ttlMs) => cache.set(view, ttlMs),
    invalidate: async (sku) => {
      await Promise.all([cache.invalidate(sku), availability.invalidate(sku)]);
    },
  };
}

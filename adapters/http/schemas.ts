/**
 * The HTTP API's request and response shapes, one file per area under schemas/ (conventions
 * in schemas/_common.ts). Routes import an area's file; this index serves callers that need
 * every shape at once (the OpenAPI document, bench fixtures).
 */
export * from "./schemas/_common.ts";
export * from "./schemas/identity.ts";
export * from "./schemas/catalog.ts";
export * from "./schemas/categories.ts";
export * from "./schemas/inventory.ts";
export * from "./schemas/cart.ts";
export * from "./schemas/orders.ts";
export * from "./schemas/payments.ts";
export * from "./schemas/checkout.ts";
export * from "./schemas/search.ts";
export * from "./schemas/leaderboards.ts";
export * from "./schemas/admin.ts";
export * from "./schemas/health.ts";
export * from "./schemas/support.ts";
export * from "./schemas/reviews.ts";
export * from "./schemas/vendors.ts";

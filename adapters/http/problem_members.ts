/**
 * What a problem carries beyond the standard members: each failure's extension members (only
 * data a client can act on) and its response headers.
 */
import {
  AlreadyExists,
  CategoryCycle,
  CategoryInUse,
  CurrencyMismatch,
  DependencyUnavailable,
  DuplicateSku,
  InsufficientStock,
  InvalidAttributes,
  InvalidCategory,
  InvalidStockLevel,
  InvalidTransition,
  InvalidVariantPrice,
  InvalidVendor,
  NotFound,
  OrderNotPending,
  PaymentDeclined,
  PaymentGatewayUnavailable,
  PreconditionFailed,
  ReindexInProgress,
  ReviewExists,
  TooManyPendingOrders,
  UnknownCategory,
  UnknownVendor,
  UnsupportedProvider,
  VariantRequired,
  VendorHasProducts,
  WeakPassword,
} from "../../domain/errors.ts";
import type { RateDecision } from "../../ports/rate_limiter.ts";
import { etagOf } from "./_etag.ts";
import {
  MethodNotAllowed,
  NotReady,
  Overloaded,
  PayloadTooLarge,
  RateLimited,
  UnsupportedMediaType,
  ValidationFailed,
} from "./problem_failures.ts";

/** Seconds a client should wait before retrying when a dependency is down. */
export const DEPENDENCY_RETRY_AFTER_S = 5;
/** Seconds a client should wait before retrying a request shed as `overloaded`. */
export const OVERLOAD_RETRY_AFTER_S = 1;

export function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  return {
    "RateLimit-Limit": String(decision.limit),
    "RateLimit-Remaining": String(Math.max(0, decision.remaining)),
    "RateLimit-Reset": String(Math.max(0, Math.ceil(decision.resetMs / 1000))),
  };
}

/** Extension members per error: only data a client can act on, never a cause or a stack. */
export function extensions(error: Error): Record<string, unknown> {
  if (error instanceof InsufficientStock) return { skus: [...error.skus] };
  if (error instanceof DuplicateSku) return { skus: [...error.skus] };
  if (error instanceof VariantRequired) {
    return { sku: error.sku, variantSkus: [...error.variantSkus] };
  }
  if (error instanceof InvalidVariantPrice) return { sku: error.sku, priceCents: error.priceCents };
  if (error instanceof NotFound) return { resource: error.resource, id: error.id };
  // The current state under the resource's name (`cart`), already in its HTTP shape.
  if (error instanceof PreconditionFailed) return { [error.resource]: error.current };
  if (error instanceof AlreadyExists) return { resource: error.resource, field: error.field };
  if (error instanceof InvalidStockLevel) {
    return { sku: error.sku, stock: error.stock, reserved: error.reserved };
  }
  if (error instanceof InvalidTransition) return { from: error.from, to: error.to };
  if (error instanceof OrderNotPending) {
    return { orderId: error.orderId, orderStatus: error.status };
  }
  if (error instanceof CurrencyMismatch) {
    return { sku: error.sku, expected: error.expected, found: error.found };
  }
  if (error instanceof TooManyPendingOrders) return { limit: error.limit };
  if (error instanceof PaymentDeclined) return { orderId: error.orderId, reason: error.reason };
  if (error instanceof PaymentGatewayUnavailable) return { provider: error.provider };
  if (error instanceof UnsupportedProvider) return { provider: error.provider };
  if (error instanceof DependencyUnavailable) return { dependency: error.dependency };
  if (error instanceof WeakPassword) return { minLength: error.minLength };
  if (error instanceof ReindexInProgress) return { jobId: error.jobId };
  if (error instanceof ReviewExists) {
    return { productSku: error.productSku, reviewId: error.reviewId };
  }
  if (error instanceof UnknownCategory) return { category: error.slug, errors: error.errors };
  if (error instanceof InvalidAttributes) {
    return { category: error.category, errors: error.errors };
  }
  if (error instanceof InvalidCategory) return { category: error.slug, errors: error.errors };
  if (error instanceof CategoryInUse) {
    return { category: error.slug, products: error.products, children: error.children };
  }
  if (error instanceof CategoryCycle) return { category: error.slug, parent: error.parent };
  if (error instanceof UnknownVendor) return { vendorId: error.vendorId, errors: error.errors };
  if (error instanceof VendorHasProducts) return { vendor: error.slug, products: error.products };
  if (error instanceof InvalidVendor) return { vendor: error.slug, errors: error.errors };
  if (error instanceof ValidationFailed) return { errors: error.errors };
  if (error instanceof PayloadTooLarge) return { maxBytes: error.maxBytes };
  if (error instanceof UnsupportedMediaType) return { accept: ["application/json"] };
  if (error instanceof MethodNotAllowed) return { allow: error.allow };
  if (error instanceof NotReady) return { checks: error.checks };
  return {};
}

export function headersFor(error: Error, status: number): Record<string, string> {
  if (status === 401) return { "WWW-Authenticate": 'Bearer realm="polycart"' };
  if (error instanceof MethodNotAllowed) return { Allow: error.allow.join(", ") };
  if (error instanceof PreconditionFailed) return { ETag: etagOf(error.version) };
  if (error instanceof RateLimited) {
    return {
      ...rateLimitHeaders(error.decision),
      "Retry-After": String(Math.max(1, Math.ceil(error.decision.resetMs / 1000))),
    };
  }
  if (error instanceof Overloaded) return { "Retry-After": String(OVERLOAD_RETRY_AFTER_S) };
  if (status === 503) return { "Retry-After": String(DEPENDENCY_RETRY_AFTER_S) };
  return {};
}

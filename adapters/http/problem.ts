/**
 * The one place that knows error status codes: maps domain error codes and the HTTP
 * adapter's own failures to RFC 9457 `application/problem+json` responses.
 */
import type { Context, ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import {
  AlreadyExists,
  CategoryCycle,
  CategoryInUse,
  CurrencyMismatch,
  DependencyUnavailable,
  DomainError,
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
import type { Logger } from "../../ports/logger.ts";
import { etagOf } from "./_etag.ts";
import type { RateDecision } from "../../ports/rate_limiter.ts";
import type { StoredResponse } from "../../ports/idempotency.ts";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";
/** Seconds a client should wait before retrying when a dependency is down. */
export const DEPENDENCY_RETRY_AFTER_S = 5;
/** Seconds a client should wait before retrying a request shed as `overloaded`. */
export const OVERLOAD_RETRY_AFTER_S = 1;

/** Every problem this API answers: its status and a short, stable title. */
export const PROBLEMS = {
  validation_failed: { status: 400, title: "Request validation failed" },
  malformed_json: { status: 400, title: "Malformed JSON body" },
  invalid_webhook_signature: { status: 400, title: "Webhook signature does not verify" },
  weak_password: { status: 400, title: "Password too weak" },
  unknown_category: { status: 400, title: "Unknown category" },
  invalid_attributes: { status: 400, title: "Attributes do not fit the category" },
  invalid_category: { status: 400, title: "Invalid category attribute definitions" },
  invalid_vendor: { status: 400, title: "Vendor details break the limits" },
  invalid_credentials: { status: 401, title: "Invalid credentials" },
  unauthenticated: { status: 401, title: "Authentication required" },
  payment_declined: { status: 402, title: "Payment declined" },
  forbidden: { status: 403, title: "Forbidden" },
  not_found: { status: 404, title: "Resource not found" },
  route_not_found: { status: 404, title: "No such route" },
  cart_not_found: { status: 404, title: "No such guest cart" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  already_exists: { status: 409, title: "Resource already exists" },
  email_taken: { status: 409, title: "Email already registered" },
  insufficient_stock: { status: 409, title: "Insufficient stock" },
  invalid_stock_level: { status: 409, title: "Invalid stock level" },
  invalid_transition: { status: 409, title: "Invalid order transition" },
  order_not_pending: { status: 409, title: "Order is not pending" },
  currency_mismatch: { status: 409, title: "Currencies cannot be mixed" },
  too_many_pending_orders: { status: 409, title: "Too many pending orders" },
  idempotency_in_flight: { status: 409, title: "Request with this idempotency key in flight" },
  version_conflict: { status: 409, title: "Changed since it was read; read it again and retry" },
  reindex_in_progress: { status: 409, title: "A search rebuild is already running" },
  category_in_use: { status: 409, title: "Category still has products or children" },
  duplicate_sku: { status: 409, title: "SKU already taken" },
  precondition_failed: { status: 412, title: "Changed since your If-Match version" },
  review_exists: { status: 409, title: "Product already reviewed by this customer" },
  vendor_has_products: { status: 409, title: "Vendor still has products" },
  payload_too_large: { status: 413, title: "Payload too large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  empty_order: { status: 422, title: "Empty order" },
  idempotency_key_mismatch: { status: 422, title: "Idempotency key reused with another request" },
  unsupported_provider: { status: 422, title: "Unsupported payment provider" },
  category_cycle: { status: 422, title: "A category cannot move below itself" },
  variant_required: { status: 422, title: "Choose a variant" },
  invalid_variant_price: { status: 422, title: "Invalid variant price" },
  shipping_unavailable: { status: 422, title: "Shipping option unavailable" },
  unknown_vendor: { status: 422, title: "Unknown vendor" },
  rate_limited: { status: 429, title: "Too many requests" },
  internal_error: { status: 500, title: "Internal server error" },
  payment_gateway_error: { status: 502, title: "Payment gateway error" },
  dependency_unavailable: { status: 503, title: "Dependency unavailable" },
  not_ready: { status: 503, title: "Service not ready" },
  overloaded: { status: 503, title: "Too busy; retry shortly" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(PROBLEMS, code);
}

/** Problem `type` URIs point at the problem's entry in the API reference served at /docs. */
export function problemType(code: ProblemCode): string {
  return `/docs#problem-${code}`;
}

// ---- The HTTP adapter's own failures (the domain knows nothing of these) ----

/** Base of the adapter's own typed failures; like `DomainError`, each has a literal code. */
export abstract class HttpFailure extends Error {
  abstract readonly code: ProblemCode;
}

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/**
 * At most this many entries are listed: a body of a million unknown keys must not be answered
 * with a response several times its size. The detail says how many more there were.
 */
export const MAX_FIELD_ERRORS = 50;

export class ValidationFailed extends HttpFailure {
  readonly code = "validation_failed";
  readonly errors: readonly FieldError[];
  constructor(errors: readonly FieldError[]) {
    const more = errors.length - MAX_FIELD_ERRORS;
    super(
      (errors.slice(0, MAX_FIELD_ERRORS).map((e) => e.message).join("; ") || "invalid input") +
        (more > 0 ? `; and ${more} more` : ""),
    );
    this.errors = errors.slice(0, MAX_FIELD_ERRORS);
  }

  /**
   * Field paths are the names the client sent: `items[0].qty`, `page`, `Idempotency-Key`.
   * One entry per unknown field, and one per path (the first problem found there), so no
   * field is listed twice.
   */
  static fromZod(error: z.ZodError): ValidationFailed {
    const errors = new Map<string, FieldError>();
    for (const issue of error.issues) {
      const found = issue.code === "unrecognized_keys"
        ? issue.keys.map((key) => formatPath([...issue.path, key]))
          .map((path) => ({ path, message: unknownField(path) }))
        : [{ path: formatPath(issue.path), message: issue.message }];
      for (const entry of found) if (!errors.has(entry.path)) errors.set(entry.path, entry);
    }
    return new ValidationFailed([...errors.values()]);
  }
}

/** A body on a JSON route sent as something else (or with no `Content-Type` at all). */
export class UnsupportedMediaType extends HttpFailure {
  readonly code = "unsupported_media_type";
  constructor(readonly contentType: string | null) {
    super(
      `send the request body as application/json (${
        contentType === null ? "no Content-Type was given" : `got ${contentType}`
      })`,
    );
  }
}

export class MalformedJson extends HttpFailure {
  readonly code = "malformed_json";
  constructor() {
    super("the request body is not valid JSON");
  }
}

export class PayloadTooLarge extends HttpFailure {
  readonly code = "payload_too_large";
  constructor(readonly maxBytes: number) {
    super(`the request body exceeds ${maxBytes} bytes`);
  }
}

export class RouteNotFound extends HttpFailure {
  readonly code = "route_not_found";
  constructor(readonly method: string, readonly path: string) {
    super(`no route for ${method} ${path}`);
  }
}

export class MethodNotAllowed extends HttpFailure {
  readonly code = "method_not_allowed";
  constructor(readonly method: string, readonly allow: readonly string[]) {
    super(`${method} is not allowed here; use ${allow.join(", ")}`);
  }
}

export class RateLimited extends HttpFailure {
  readonly code = "rate_limited";
  constructor(readonly decision: RateDecision) {
    super("rate limit exceeded; retry later");
  }
}

/** More requests in flight than the process admits (`MAX_REQUESTS_IN_FLIGHT`): shed at once. */
export class Overloaded extends HttpFailure {
  readonly code = "overloaded";
  constructor(readonly limit: number) {
    super(`the server is handling its limit of ${limit} requests at once; retry shortly`);
  }
}

export interface CheckOutcome {
  readonly name: string;
  readonly critical: boolean;
  readonly status: "ok" | "down";
  readonly latencyMs: number;
}

export class NotReady extends HttpFailure {
  readonly code = "not_ready";
  constructor(readonly checks: readonly CheckOutcome[]) {
    super(
      `critical dependencies down: ${
        checks.filter((c) => c.critical && c.status === "down").map((c) => c.name).join(", ")
      }`,
    );
  }
}

// ---- Mapping ----

export interface Problem {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;
}

/** The message for a member the schema does not know, at its full path. */
export function unknownField(path: string): string {
  return `unknown field: ${path}`;
}

/** A field path as the client wrote it: `items[0].qty`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`)
    .join("");
}

export function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  return {
    "RateLimit-Limit": String(decision.limit),
    "RateLimit-Remaining": String(Math.max(0, decision.remaining)),
    "RateLimit-Reset": String(Math.max(0, Math.ceil(decision.resetMs / 1000))),
  };
}

/** Extension members per error: only data a client can act on, never a cause or a stack. */
function extensions(error: Error): Record<string, unknown> {
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

function headersFor(error: Error, status: number): Record<string, string> {
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

function codeOf(error: Error): ProblemCode | null {
  if (error instanceof z.ZodError) return "validation_failed";
  if (!(error instanceof DomainError || error instanceof HttpFailure)) return null;
  // A domain code this table does not know yet is a bug: it surfaces as a logged 500.
  return isProblemCode(error.code) && error.code !== "internal_error" ? error.code : null;
}

function build(
  code: ProblemCode,
  detail: string,
  instance: string,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  const { status, title } = PROBLEMS[code];
  const standard = { type: problemType(code), title, status, detail, instance };
  // Extensions follow the standard members and never overwrite them.
  const extensions = Object.entries(extra).filter(([key]) => !Object.hasOwn(standard, key));
  return { ...standard, ...Object.fromEntries(extensions) };
}

/**
 * The problem for a known failure, or null for an unexpected one (which must be logged and
 * answered as a generic 500).
 */
export function problemOf(error: unknown, instance: string): Problem | null {
  if (!(error instanceof Error)) return null;
  if (error instanceof z.ZodError) return problemOf(ValidationFailed.fromZod(error), instance);
  const code = codeOf(error);
  if (code === null) {
    if (error instanceof HTTPException && error.status < 500) {
      const mapped: ProblemCode = error.status === 413
        ? "payload_too_large"
        : error.status === 400
        ? "malformed_json"
        : "validation_failed";
      return {
        status: PROBLEMS[mapped].status,
        body: build(mapped, error.message || PROBLEMS[mapped].title, instance, {}),
        headers: {},
      };
    }
    return null;
  }
  const { status } = PROBLEMS[code];
  return {
    status,
    body: build(code, error.message, instance, extensions(error)),
    headers: headersFor(error, status),
  };
}

/**
 * What an idempotent execution stores for a failure: client errors (4xx) become their
 * problem response, so a replay answers the same status and body. Anything else is
 * rethrown, which releases the key (the request failed on our side and may be retried).
 */
export function storedProblem(error: unknown, instance: string): StoredResponse {
  const problem = problemOf(error, instance);
  if (!problem || problem.status >= 500) throw error;
  return { status: problem.status, body: problem.body };
}

export function problemResponse(c: Context, problem: Problem): Response {
  for (const [name, value] of Object.entries(problem.headers)) c.header(name, value);
  c.header("Content-Type", PROBLEM_CONTENT_TYPE);
  // deno-lint-ignore no-explicit-any
  return c.body(JSON.stringify(problem.body), problem.status as any);
}

/** Answers a known failure as its problem; logs anything else and answers a generic 500. */
export function errorHandler(logger: Logger): ErrorHandler {
  return (error, c) => {
    const instance = c.req.path;
    const problem = problemOf(error, instance);
    if (problem) return problemResponse(c, problem);
    const requestId: string | undefined = c.get("requestId");
    logger.error("unhandled error", {
      requestId,
      method: c.req.method,
      path: instance,
      error,
    });
    return problemResponse(c, {
      status: 500,
      body: build(
        "internal_error",
        "An unexpected error occurred. Quote the request id when reporting it.",
        instance,
        { requestId },
      ),
      headers: {},
    });
  };
}

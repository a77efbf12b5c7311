/**
 * Every problem this API answers, by code: its HTTP status and a short, stable title, and the
 * `type` URI that documents it. `problem.ts` maps failures onto these codes.
 */

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

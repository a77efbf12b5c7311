/**
 * Typed domain failures. The core throws these; only the HTTP adapter maps a `code`
 * to a status. Each carries the data a client needs to act on it.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
}

export class NotFound extends DomainError {
  readonly code = "not_found";
  constructor(readonly resource: string, readonly id: string) {
    super(`${resource} ${id} not found`);
  }
}

export class AlreadyExists extends DomainError {
  readonly code = "already_exists";
  constructor(readonly resource: string, readonly field: string, readonly value: string) {
    super(`${resource} with ${field} ${value} already exists`);
  }
}

export class InsufficientStock extends DomainError {
  readonly code = "insufficient_stock";
  constructor(readonly skus: readonly string[]) {
    super(`insufficient stock for ${skus.join(", ")}`);
  }
}

export class InvalidStockLevel extends DomainError {
  readonly code = "invalid_stock_level";
  constructor(readonly sku: string, readonly stock: number, readonly reserved: number) {
    super(`stock ${stock} for ${sku} would fall below 0 or below reserved ${reserved}`);
  }
}

export class InvalidTransition extends DomainError {
  readonly code = "invalid_transition";
  constructor(readonly from: string, readonly to: string) {
    super(`cannot move an order from ${from} to ${to}`);
  }
}

export class OrderNotPending extends DomainError {
  readonly code = "order_not_pending";
  constructor(readonly orderId: string, readonly status: string) {
    super(`order ${orderId} is ${status}, not pending`);
  }
}

export class EmptyOrder extends DomainError {
  readonly code = "empty_order";
  constructor() {
    super("an order needs at least one line");
  }
}

export class EmailTaken extends DomainError {
  readonly code = "email_taken";
  constructor(readonly email: string) {
    super(`email ${email} is already registered`);
  }
}

export class InvalidCredentials extends DomainError {
  readonly code = "invalid_credentials";
  constructor() {
    super("email or password is wrong");
  }
}

export class Unauthenticated extends DomainError {
  readonly code = "unauthenticated";
  constructor(reason = "missing, invalid, expired or revoked token") {
    super(reason);
  }
}

export class Forbidden extends DomainError {
  readonly code = "forbidden";
  constructor(reason = "this action needs the admin role") {
    super(reason);
  }
}

export class PaymentDeclined extends DomainError {
  readonly code = "payment_declined";
  constructor(readonly orderId: string, readonly reason: string) {
    super(`payment for order ${orderId} was declined: ${reason}`);
  }
}

export class PaymentGatewayUnavailable extends DomainError {
  readonly code = "payment_gateway_error";
  constructor(readonly provider: string, cause?: unknown) {
    super(`payment provider ${provider} is unavailable`, { cause });
  }
}

/** A provider's webhook whose signature does not verify: it is ignored, nothing changes. */
export class InvalidWebhookSignature extends DomainError {
  readonly code = "invalid_webhook_signature";
  constructor(readonly provider: string, readonly reason: string) {
    super(`the ${provider} webhook signature does not verify: ${reason}`);
  }
}

export class UnsupportedProvider extends DomainError {
  readonly code = "unsupported_provider";
  constructor(readonly provider: string) {
    super(`payment provider ${provider} is not supported`);
  }
}

export class IdempotencyKeyMismatch extends DomainError {
  readonly code = "idempotency_key_mismatch";
  constructor(readonly key: string) {
    super(`idempotency key ${key} was used with a different request`);
  }
}

export class IdempotencyInFlight extends DomainError {
  readonly code = "idempotency_in_flight";
  constructor(readonly key: string) {
    super(`a request with idempotency key ${key} is still being processed`);
  }
}

/** A store that may be lost (Redis, Elasticsearch) is down; the caller answers 503. */
export class DependencyUnavailable extends DomainError {
  readonly code = "dependency_unavailable";
  constructor(readonly dependency: string, cause?: unknown) {
    super(`${dependency} is unavailable`, { cause });
  }
}

export class WeakPassword extends DomainError {
  readonly code = "weak_password";
  constructor(readonly minLength: number) {
    super(`password needs at least ${minLength} characters`);
  }
}

/** Optimistic concurrency: the record changed since it was read; read again and retry. */
export class VersionConflict extends DomainError {
  readonly code = "version_conflict";
  constructor(readonly resource: string, readonly id: string, readonly expected: number) {
    super(`${resource} ${id} changed since version ${expected} was read`);
  }
}

/** A cart or an order holds one currency; `sku` is priced in `found`, the rest in `expected`. */
export class CurrencyMismatch extends DomainError {
  readonly code = "currency_mismatch";
  constructor(readonly sku: string, readonly expected: string, readonly found: string) {
    super(`${sku} is priced in ${found}, but this holds ${expected}; order currencies apart`);
  }
}

/** The user already holds `limit` pending orders; pay, cancel or let one expire first. */
export class TooManyPendingOrders extends DomainError {
  readonly code = "too_many_pending_orders";
  constructor(readonly limit: number) {
    super(`at most ${limit} pending orders per customer; pay or cancel one first`);
  }
}

/** A search rebuild already runs (in this process or another); `jobId` is the running one. */
export class ReindexInProgress extends DomainError {
  readonly code = "reindex_in_progress";
  constructor(readonly jobId: string) {
    super(`a search rebuild is already running (job ${jobId}); wait for it to finish`);
  }
}

/** One field a catalog rule refused: `category`, `parent` or `attrs.<name>`. */
export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

/** A product or a category named a category that does not exist (`field`: category, parent). */
export class UnknownCategory extends DomainError {
  readonly code = "unknown_category";
  readonly errors: readonly FieldProblem[];
  constructor(readonly slug: string, readonly field: "category" | "parent" = "category") {
    super(`${field} ${slug} is not a known category`);
    this.errors = [{ path: field, message: this.message }];
  }
}

/** Product attributes break their category's effective definitions (missing, wrong type). */
export class InvalidAttributes extends DomainError {
  readonly code = "invalid_attributes";
  constructor(readonly category: string, readonly errors: readonly FieldProblem[]) {
    super(errors.map((e) => e.message).join("; "));
  }
}

/** A category's own attribute definitions are inconsistent (enum without values, ...). */
export class InvalidCategory extends DomainError {
  readonly code = "invalid_category";
  constructor(readonly slug: string, readonly errors: readonly FieldProblem[]) {
    super(errors.map((e) => e.message).join("; "));
  }
}

/** A category with products or children cannot be deleted; move or delete those first. */
export class CategoryInUse extends DomainError {
  readonly code = "category_in_use";
  constructor(
    readonly slug: string,
    readonly products: number,
    readonly children: readonly string[],
  ) {
    const reasons = [
      ...(products > 0 ? [`${products} product${products === 1 ? "" : "s"}`] : []),
      ...(children.length > 0 ? [`children ${children.join(", ")}`] : []),
    ];
    super(`category ${slug} still has ${reasons.join(" and ")}; move or delete them first`);
  }
}

/** Moving a category under itself or one of its descendants would make a cycle. */
export class CategoryCycle extends DomainError {
  readonly code = "category_cycle";
  constructor(readonly slug: string, readonly parent: string) {
    super(`category ${slug} cannot move under ${parent}: ${parent} is ${slug} or lies below it`);
  }
}

/**
 * SKUs are unique across every product and variant: `skus` repeat within the request or are
 * already taken (by a product, a variant, or a retired one, since SKUs are never reused).
 */
export class DuplicateSku extends DomainError {
  readonly code = "duplicate_sku";
  constructor(readonly skus: readonly string[]) {
    super(`SKU already taken or given twice: ${skus.join(", ")}`);
  }
}

/** `sku` is a product sold only through its variants: add one of `variantSkus` instead. */
export class VariantRequired extends DomainError {
  readonly code = "variant_required";
  constructor(readonly sku: string, readonly variantSkus: readonly string[]) {
    super(`${sku} is sold in variants; choose one of ${variantSkus.join(", ")}`);
  }
}

/** A variant's price adjustment would make its price negative. */
export class InvalidVariantPrice extends DomainError {
  readonly code = "invalid_variant_price";
  constructor(readonly sku: string, readonly priceCents: number) {
    super(`variant ${sku} would cost ${priceCents} cents; a price is 0 or more`);
  }
}

/** A shipping option that does not serve the destination country (or the cart's currency). */
export class ShippingUnavailable extends DomainError {
  readonly code = "shipping_unavailable";
  constructor(readonly optionId: string, readonly country: string) {
    super(`shipping option ${optionId} does not ship to ${country} for this cart`);
  }
}

/** A guest cart token that names no live cart: unknown, malformed, expired, or already merged. */
export class CartNotFound extends DomainError {
  readonly code = "cart_not_found";
  constructor() {
    super("no guest cart for this X-Cart-Token: it is unknown, expired or already merged");
  }
}

/**
 * A conditional write (`If-Match`) on a version that is no longer current: nothing changed.
 * `current` is the resource as it is now, in the shape of the layer that threw (each layer
 * above may replace it with its own view of the same state); `version` is its version.
 */
export class PreconditionFailed extends DomainError {
  readonly code = "precondition_failed";
  constructor(readonly resource: string, readonly version: number, readonly current: unknown) {
    super(`the ${resource} changed since it was read (now at version ${version}); read it again`);
  }
}

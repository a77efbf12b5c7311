/**
 * Typed domain failures. The core throws these; only the HTTP adapter maps a `code`
 * to a status. Each carries the data a client needs to act on it.
 */
import { DomainError } from "./domain_error.ts";

export { DomainError, type FieldProblem } from "./domain_error.ts";

// Failures of one context live in its folder; every one stays importable from here.
export { InsufficientStock, InvalidStockLevel } from "./inventory/errors.ts";
export {
  EmptyOrder,
  InvalidTransition,
  OrderNotPending,
  TooManyPendingOrders,
} from "./ordering/errors.ts";
export { EmailTaken, InvalidCredentials, WeakPassword } from "./identity/errors.ts";
export {
  InvalidWebhookSignature,
  PaymentDeclined,
  PaymentGatewayUnavailable,
  UnsupportedProvider,
} from "./payments/errors.ts";
export { ReindexInProgress } from "./search/errors.ts";
export {
  CategoryCycle,
  CategoryInUse,
  DuplicateSku,
  InvalidAttributes,
  InvalidCategory,
  InvalidVariantPrice,
  UnknownCategory,
  VariantRequired,
} from "./catalog/errors.ts";
export { ShippingUnavailable } from "./shipping/errors.ts";
export { CartNotFound } from "./cart/errors.ts";
export { ReviewExists } from "./reviews/errors.ts";
export { InvalidVendor, UnknownVendor, VendorHasProducts } from "./vendors/errors.ts";

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

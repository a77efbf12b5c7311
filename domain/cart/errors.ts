/**
 * Cart failures: a guest cart token that names no live cart.
 * Re-exported from ../errors.ts; only the HTTP adapter maps a `code` to a status.
 */
import { DomainError } from "../domain_error.ts";

/** A guest cart token that names no live cart: unknown, malformed, expired, or already merged. */
export class CartNotFound extends DomainError {
  readonly code = "cart_not_found";
  constructor() {
    super("no guest cart for this X-Cart-Token: it is unknown, expired or already merged");
  }
}

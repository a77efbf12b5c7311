/**
 * Review failures: one review per customer and product.
 * Re-exported from ../errors.ts; only the HTTP adapter maps a `code` to a status.
 */
import { DomainError } from "../domain_error.ts";

/** One review per customer and product: the caller already reviewed `productSku`. */
export class ReviewExists extends DomainError {
  readonly code = "review_exists";
  constructor(readonly productSku: string, readonly reviewId: string | null) {
    super(`you already reviewed ${productSku}; edit or delete that review instead`);
  }
}

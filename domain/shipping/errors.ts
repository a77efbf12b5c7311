/**
 * Shipping failures: an option that does not serve the destination.
 * Re-exported from ../errors.ts; only the HTTP adapter maps a `code` to a status.
 */
import { DomainError } from "../domain_error.ts";

/** A shipping option that does not serve the destination country (or the cart's currency). */
export class ShippingUnavailable extends DomainError {
  readonly code = "shipping_unavailable";
  constructor(readonly optionId: string, readonly country: string) {
    super(`shipping option ${optionId} does not ship to ${country} for this cart`);
  }
}

/**
 * Vendor failures: unknown vendors, vendors still in use, invalid details.
 * Re-exported from ../errors.ts; only the HTTP adapter maps a `code` to a status.
 */
import { DomainError, type FieldProblem } from "../domain_error.ts";

/** A product named a vendor (`vendorId`) that does not exist. */
export class UnknownVendor extends DomainError {
  readonly code = "unknown_vendor";
  readonly errors: readonly FieldProblem[];
  constructor(readonly vendorId: string) {
    super(`vendorId ${vendorId} is not a known vendor`);
    this.errors = [{ path: "vendorId", message: this.message }];
  }
}

/** A vendor that products still name cannot be deleted; reassign or delete them first. */
export class VendorHasProducts extends DomainError {
  readonly code = "vendor_has_products";
  constructor(readonly slug: string, readonly products: number) {
    super(
      `vendor ${slug} still has ${products} product${products === 1 ? "" : "s"}; ` +
        "reassign or delete them first",
    );
  }
}

/** A vendor's `details` break the limits on free-form data (size, depth, keys). */
export class InvalidVendor extends DomainError {
  readonly code = "invalid_vendor";
  constructor(readonly slug: string, readonly errors: readonly FieldProblem[]) {
    super(errors.map((e) => e.message).join("; "));
  }
}

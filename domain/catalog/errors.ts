/**
 * Catalog failures: categories, attributes, SKUs and variants.
 * Re-exported from ../errors.ts; only the HTTP adapter maps a `code` to a status.
 */
import { DomainError, type FieldProblem } from "../domain_error.ts";

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

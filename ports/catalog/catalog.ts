import type { Product, ProductQuery } from "../../domain/catalog/product.ts";
import type { Page } from "../../domain/pagination.ts";

/**
 * Catalog content (MongoDB in production). `create` stores the product as given (version 1);
 * `replace` is optimistic: it stores the product with `version + 1` only while the stored
 * version still equals `product.version`, so two read-modify-writes cannot lose an update.
 */
export interface Catalog {
  get(sku: string): Promise<Product | null>;
  getBySlug(slug: string): Promise<Product | null>;
  /** The product one of whose variants (retired ones included) has this SKU. */
  getByVariantSku(sku: string): Promise<Product | null>;
  getMany(skus: readonly string[]): Promise<Product[]>;
  list(query: ProductQuery): Promise<Page<Product>>;
  /** Throws `AlreadyExists` for a taken SKU or slug. */
  create(product: Product): Promise<Product>;
  /** Throws `NotFound`, `VersionConflict` when the stored version moved on, or `AlreadyExists` for a taken slug. */
  replace(product: Product): Promise<Product>;
  /** Returns the deleted product, or null when there was none. */
  delete(sku: string): Promise<Product | null>;
  /** Every product, in SKU order, for a full reindex. */
  all(): AsyncIterable<Product>;
}

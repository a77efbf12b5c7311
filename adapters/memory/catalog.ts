import { AlreadyExists, NotFound, VersionConflict } from "../../domain/errors.ts";
import type { Product, ProductQuery } from "../../domain/catalog/product.ts";
import { compareProducts, matchesQuery } from "../../domain/catalog/product.ts";
import type { Page } from "../../domain/pagination.ts";
import { pageOf } from "../../domain/pagination.ts";
import type { Catalog } from "../../ports/catalog/catalog.ts";
import type { Clock } from "../../ports/clock.ts";

/**
 * Where catalog writes are reported, standing in for a MongoDB change stream. Structurally
 * the `append` of the in-memory change log; declared here so adapters do not import each other.
 */
export interface CatalogChangeSink {
  append(source: "catalog" | "inventory" | "category", sku: string, at: Date): void;
}

export interface MemoryCatalogOptions {
  /** When given, every create, replace and delete appends a `"catalog"` event. */
  readonly changes?: CatalogChangeSink;
  /** Stamps delete events (a delete carries no `updatedAt`); defaults to the system clock. */
  readonly clock?: Clock;
}

const systemClock: Clock = { now: () => new Date() };

/**
 * Catalog in memory. Version policy (the MongoDB adapter keeps the same):
 * - `create` stores the product exactly as given (the caller sets `version`, usually 1);
 * - `replace` requires the SKU to exist at the caller's `version` (else `NotFound` or
 *   `VersionConflict`) and stores `version + 1` with the caller's `updatedAt`;
 * Products are copied on the way in and out, as a database would.
 */
export class MemoryCatalog implements Catalog {
  readonly #bySku = new Map<string, Product>();
  readonly #skuBySlug = new Map<string, string>();
  readonly #changes?: CatalogChangeSink;
  readonly #clock: Clock;

  constructor(options: MemoryCatalogOptions = {}) {
    this.#changes = options.changes;
    this.#clock = options.clock ?? systemClock;
  }

  get(sku: string): Promise<Product | null> {
    const product = this.#bySku.get(sku);
    return Promise.resolve(product ? structuredClone(product) : null);
  }

  getBySlug(slug: string): Promise<Product | null> {
    const sku = this.#skuBySlug.get(slug);
    return sku === undefined ? Promise.resolve(null) : this.get(sku);
  }

  getByVariantSku(sku: string): Promise<Product | null> {
    for (const product of this.#bySku.values()) {
      if (product.variants.some((v) => v.sku === sku)) return this.get(product.sku);
    }
    return Promise.resolve(null);
  }

  getMany(skus: readonly string[]): Promise<Product[]> {
    const found = [...new Set(skus)].flatMap((sku) => {
      const product = this.#bySku.get(sku);
      return product ? [structuredClone(product)] : [];
    });
    return Promise.resolve(found);
  }

  list(query: ProductQuery): Promise<Page<Product>> {
    const matching = [...this.#bySku.values()].filter((p) => matchesQuery(p, query))
      .sort(compareProducts(query.sort));
    const page = pageOf(matching, { page: query.page, size: query.size });
    return Promise.resolve({ ...page, items: page.items.map((p) => structuredClone(p)) });
  }

  create(product: Product): Promise<Product> {
    if (this.#bySku.has(product.sku)) {
      return Promise.reject(new AlreadyExists("product", "sku", product.sku));
    }
    if (this.#skuBySlug.has(product.slug)) {
      return Promise.reject(new AlreadyExists("product", "slug", product.slug));
    }
    const stored = structuredClone(product);
    this.#bySku.set(stored.sku, stored);
    this.#skuBySlug.set(stored.slug, stored.sku);
    this.#changes?.append("catalog", stored.sku, stored.updatedAt);
    return Promise.resolve(structuredClone(stored));
  }

  replace(product: Product): Promise<Product> {
    const existing = this.#bySku.get(product.sku);
    if (!existing) return Promise.reject(new NotFound("product", product.sku));
    if (existing.version !== product.version) {
      return Promise.reject(new VersionConflict("product", product.sku, product.version));
    }
    const slugOwner = this.#skuBySlug.get(product.slug);
    if (slugOwner !== undefined && slugOwner !== product.sku) {
      return Promise.reject(new AlreadyExists("product", "slug", product.slug));
    }
    const stored: Product = { ...structuredClone(product), version: existing.version + 1 };
    this.#skuBySlug.delete(existing.slug);
    this.#bySku.set(stored.sku, stored);
    this.#skuBySlug.set(stored.slug, stored.sku);
    this.#changes?.append("catalog", stored.sku, stored.updatedAt);
    return Promise.resolve(structuredClone(stored));
  }

  delete(sku: string): Promise<Product | null> {
    const existing = this.#bySku.get(sku);
    if (!existing) return Promise.resolve(null);
    this.#bySku.delete(sku);
    this.#skuBySlug.delete(existing.slug);
    this.#changes?.append("catalog", sku, this.#clock.now());
    return Promise.resolve(existing);
  }

  async *all(): AsyncIterable<Product> {
    const skus = [...this.#bySku.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const sku of skus) {
      const product = this.#bySku.get(sku);
      if (product) yield structuredClone(product);
    }
  }
}

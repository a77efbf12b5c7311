import type { ProductView } from "../../domain/catalog/product_view.ts";
import type { ProductCache } from "../../ports/catalog/product_cache.ts";
import { type LocalCopy, type NearBounds, NearEntries } from "./_near_entries.ts";

export interface NearProductCacheOptions extends NearBounds {
  /** Tells the other processes that a SKU changed (a Redis PUBLISH). */
  readonly publish: (sku: string) => Promise<unknown>;
}

/**
 * A small in-process cache in front of the shared one (Redis): a hot product is answered
 * from memory, with no round trip. Every `invalidate` (an admin edit, the sync worker's
 * pass over a catalog or stock change) drops the SKU here, in the shared cache, and, through
 * one PUBLISH, in every other process that listens (`listenForInvalidations`, _near_entries.ts).
 *
 * Bounded staleness: a view is served locally at most `ttlMs` after it was read from the
 * shared cache, whether or not an invalidation message arrives; while the subscription is
 * down (`listening` false) nothing is served locally, and it comes back empty. Bounded memory:
 * at most `maxEntries` lookup keys. A read that an invalidation overtook (the message arrived
 * while the shared cache's answer was on its way) is answered but not kept.
 */
export class NearProductCache implements ProductCache, LocalCopy {
  readonly #inner: ProductCache;
  readonly #publish: (sku: string) => Promise<unknown>;
  /** By lookup key (SKU, slug, variant SKU), filed under the product's and each variant's SKU. */
  readonly #views: NearEntries<ProductView>;

  constructor(inner: ProductCache, options: NearProductCacheOptions) {
    this.#inner = inner;
    this.#publish = options.publish;
    this.#views = new NearEntries(options, skusOf);
  }

  /** Whether invalidation messages arrive; when they may not, the local copy is not used. */
  get listening(): boolean {
    return this.#views.listening;
  }

  set listening(on: boolean) {
    this.#views.listening = on;
  }

  /** Lookup keys held locally (for tests and the memory bound). */
  get size(): number {
    return this.#views.size;
  }

  get(key: string): Promise<ProductView | null> {
    return this.#views.read(key, () => this.#inner.get(key));
  }

  async set(view: ProductView, ttlMs: number): Promise<void> {
    this.drop(view.sku);
    await this.#inner.set(view, ttlMs);
  }

  async invalidate(sku: string): Promise<void> {
    this.drop(sku);
    await this.#inner.invalidate(sku);
    await this.#publish(sku);
  }

  /** Forgets every local entry holding `sku`'s product (by any of its keys). */
  drop(sku: string): void {
    this.#views.drop(sku, sku);
  }

  clear(): void {
    this.#views.clear();
  }
}

function skusOf(view: ProductView): string[] {
  return [view.sku, ...view.variants.map((v) => v.sku)];
}

/** The channel invalidations travel on: one per key prefix. */
export function invalidationChannel(prefix: string): string {
  return `${prefix}product-invalidations`;
}

import type { ProductView } from "../../domain/catalog/product_view.ts";
import type { Clock } from "../../ports/clock.ts";
import type { ProductCache } from "../../ports/catalog/product_cache.ts";
import type { Outage } from "./outage.ts";

export interface MemoryProductCacheOptions {
  /** While `outage.down`, every call throws `DependencyUnavailable("redis")`. */
  readonly outage?: Outage;
}

interface Entry<T> {
  readonly value: T;
  readonly expiresAtMs: number;
}

/**
 * Product views in memory, laid out like the Redis adapter: the view under its SKU and a
 * slug -> SKU pointer, both with the same expiry. A key is tried as a SKU first, then as a
 * slug. `invalidate` drops the view and the pointer of its current slug; an older slug's
 * pointer may linger and answer a later view of the same SKU, as the port allows.
 */
export class MemoryProductCache implements ProductCache {
  readonly #views = new Map<string, Entry<ProductView>>();
  readonly #slugs = new Map<string, Entry<string>>();
  readonly #outage?: Outage;

  constructor(private readonly clock: Clock, options: MemoryProductCacheOptions = {}) {
    this.#outage = options.outage;
  }

  get(key: string): Promise<ProductView | null> {
    return this.#run(() => {
      const view = this.#live(this.#views, key);
      if (view) return structuredClone(view);
      const sku = this.#live(this.#slugs, key);
      const bySlug = sku === null ? null : this.#live(this.#views, sku);
      return bySlug ? structuredClone(bySlug) : null;
    });
  }

  set(view: ProductView, ttlMs: number): Promise<void> {
    return this.#run(() => {
      const expiresAtMs = this.clock.now().getTime() + ttlMs;
      this.#views.set(view.sku, { value: structuredClone(view), expiresAtMs });
      this.#slugs.set(view.slug, { value: view.sku, expiresAtMs });
    });
  }

  invalidate(sku: string): Promise<void> {
    return this.#run(() => {
      const entry = this.#views.get(sku);
      this.#views.delete(sku);
      if (entry && this.#slugs.get(entry.value.slug)?.value === sku) {
        this.#slugs.delete(entry.value.slug);
      }
    });
  }

  #run<T>(operation: () => T): Promise<T> {
    try {
      this.#outage?.check("redis");
      return Promise.resolve(operation());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #live<T>(map: Map<string, Entry<T>>, key: string): T | null {
    const entry = map.get(key);
    if (!entry) return null;
    if (entry.expiresAtMs <= this.clock.now().getTime()) {
      map.delete(key);
      return null;
    }
    return entry.value;
  }
}

import type { Redis } from "ioredis";
import type { ProductView } from "../../domain/catalog/product_view.ts";
import type { ProductCache } from "../../ports/catalog/product_cache.ts";

export interface NearProductCacheOptions {
  /** The staleness bound: a view read from the shared cache is served locally this long. */
  readonly ttlMs: number;
  /** The memory bound: most lookup keys held (least recently read dropped first). */
  readonly maxEntries: number;
  /** Tells the other processes that a SKU changed (a Redis PUBLISH). */
  readonly publish: (sku: string) => Promise<unknown>;
  /** Milliseconds, monotonic; tests pass their own. */
  readonly now?: () => number;
}

interface Entry {
  readonly view: ProductView;
  readonly expiresAt: number;
}

/**
 * A small in-process cache in front of the shared one (Redis): a hot product is answered
 * from memory, with no round trip. Every `invalidate` (an admin edit, the sync worker's
 * pass over a catalog or stock change) drops the SKU here, in the shared cache, and, through
 * one PUBLISH, in every other process that listens (`listenForInvalidations`).
 *
 * Bounded staleness: a view is served locally at most `ttlMs` after it was read from the
 * shared cache, whether or not an invalidation message arrives; while the subscription is
 * down (`listening` false) nothing is served locally, and it comes back empty. Bounded memory:
 * at most `maxEntries` lookup keys. A read that an invalidation overtook (the message arrived
 * while the shared cache's answer was on its way) is answered but not kept.
 */
export class NearProductCache implements ProductCache, LocalCopy {
  readonly #inner: ProductCache;
  readonly #options: NearProductCacheOptions;
  readonly #now: () => number;
  /** Lookup key (SKU, slug, variant SKU) -> entry; Map order is least recently read first. */
  readonly #entries = new Map<string, Entry>();
  /** SKU (the product's and each variant's) -> the lookup keys whose entry holds it. */
  readonly #keysBySku = new Map<string, Set<string>>();
  /** Bumped by every drop: a read that started before one is not kept. */
  #epoch = 0;
  #listening = false;

  constructor(inner: ProductCache, options: NearProductCacheOptions) {
    this.#inner = inner;
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Whether invalidation messages arrive; when they may not, the local copy is not used. */
  get listening(): boolean {
    return this.#listening;
  }

  set listening(on: boolean) {
    if (on !== this.#listening) this.clear();
    this.#listening = on;
  }

  /** Lookup keys held locally (for tests and the memory bound). */
  get size(): number {
    return this.#entries.size;
  }

  async get(key: string): Promise<ProductView | null> {
    if (this.#listening) {
      const entry = this.#entries.get(key);
      if (entry && entry.expiresAt > this.#now()) {
        this.#entries.delete(key); // most recently read last
        this.#entries.set(key, entry);
        return entry.view;
      }
      if (entry) this.#remove(key);
    }
    const epoch = this.#epoch;
    const view = await this.#inner.get(key);
    if (view && this.#listening && epoch === this.#epoch) this.#keep(key, view);
    return view;
  }

  async set(view: ProductView, ttlMs: number): Promise<void> {
    this.drop(view.sku);
    await this.#inner.set(view, ttlMs);
  }

  async invalidate(sku: string): Promise<void> {
    this.drop(sku);
    await this.#inner.invalidate(sku);
    await this.#options.publish(sku);
  }

  /** Forgets every local entry holding `sku`'s product (by any of its keys). */
  drop(sku: string): void {
    this.#epoch += 1;
    this.#remove(sku);
    for (const key of this.#keysBySku.get(sku) ?? []) this.#remove(key);
  }

  clear(): void {
    this.#epoch += 1;
    this.#entries.clear();
    this.#keysBySku.clear();
  }

  #keep(key: string, view: ProductView): void {
    this.#remove(key);
    this.#entries.set(key, { view, expiresAt: this.#now() + this.#options.ttlMs });
    for (const sku of skusOf(view)) {
      const keys = this.#keysBySku.get(sku) ?? new Set();
      keys.add(key);
      this.#keysBySku.set(sku, keys);
    }
    while (this.#entries.size > this.#options.maxEntries) {
      this.#remove(this.#entries.keys().next().value!);
    }
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    for (const sku of skusOf(entry.view)) {
      const keys = this.#keysBySku.get(sku);
      keys?.delete(key);
      if (keys?.size === 0) this.#keysBySku.delete(sku);
    }
  }
}

function skusOf(view: ProductView): string[] {
  return [view.sku, ...view.variants.map((v) => v.sku)];
}

/** The channel invalidations travel on: one per key prefix. */
export function invalidationChannel(prefix: string): string {
  return `${prefix}product-invalidations`;
}

/** The channel session invalidations (`NearSessionStore`) travel on: one per key prefix. */
export function sessionInvalidationChannel(prefix: string): string {
  return `${prefix}session-invalidations`;
}

/** A copy kept in this process that invalidation messages keep honest. */
export interface LocalCopy {
  /** Forgets what the message names (a SKU; a token hash or a user). */
  drop(message: string): void;
  /** Set false when messages may be missed: the copy is then not used, and starts empty. */
  listening: boolean;
}

/**
 * Feeds `cache` the invalidations published on `channel`, over `subscriber` (a connection of
 * its own: a subscribed connection runs no other command). The cache is used only while the
 * subscription is live: a reconnect starts it empty (messages sent meanwhile are lost).
 * Returns a function that unsubscribes and closes the connection.
 */
export function listenForInvalidations(
  subscriber: Redis,
  channel: string,
  cache: LocalCopy,
): () => Promise<void> {
  const down = () => {
    cache.listening = false;
  };
  subscriber.on("message", (from: string, message: string) => {
    if (from === channel) cache.drop(message);
  });
  subscriber.on("close", down);
  subscriber.on("end", down);
  subscriber.on("reconnecting", down);
  // ioredis subscribes again after a reconnect, then emits "ready".
  subscriber.on("ready", () => {
    cache.listening = true;
  });
  subscriber.subscribe(channel).then(() => {
    cache.listening = true;
  }, down);
  return () => {
    down();
    subscriber.disconnect();
    return Promise.resolve();
  };
}

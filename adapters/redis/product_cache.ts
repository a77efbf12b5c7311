import { z } from "zod";
import type { ProductView } from "../../domain/catalog/product_view.ts";
import type { ProductCache } from "../../ports/catalog/product_cache.ts";
import { attempt, DEFAULT_PREFIX, type RedisClient, tagged } from "./_redis.ts";

export interface RedisProductCacheOptions {
  /** Views live at `<prefix>product:{<sku>}`, slug pointers at `<prefix>product-slug:{<slug>}`. */
  readonly prefix?: string;
}

const isoDate = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const attrValue = z.union([z.string(), z.number(), z.boolean()]);
const attrs = z.record(z.string(), attrValue);

/** The cached JSON, checked on the way out; dates revived. */
const CachedView = z.object({
  sku: z.string(),
  name: z.string(),
  slug: z.string(),
  category: z.string(),
  brand: z.string(),
  description: z.string(),
  images: z.array(z.string()),
  attrs,
  variants: z.array(z.object({
    sku: z.string(),
    label: z.string(),
    attrs,
    priceCents: z.number(),
    availability: z.object({ available: z.number(), inStock: z.boolean() }),
  })),
  priceRange: z.object({ minCents: z.number(), maxCents: z.number() }),
  tags: z.array(z.string()),
  ratings: z.object({
    avg: z.number(),
    count: z.number(),
    distribution: z.object({
      "1": z.number(),
      "2": z.number(),
      "3": z.number(),
      "4": z.number(),
      "5": z.number(),
    }).optional(),
  }),
  priceCents: z.number(),
  currency: z.string(),
  publishedAt: isoDate.nullable(),
  updatedAt: isoDate,
  availability: z.object({ available: z.number(), inStock: z.boolean() }),
  breadcrumbs: z.array(z.object({ slug: z.string(), name: z.string() })).optional(),
  categoryPath: z.string().optional(),
  vendorId: z.string().optional(),
  vendor: z.object({ id: z.string(), slug: z.string(), name: z.string() }).optional(),
});

/**
 * Product views as JSON strings with a TTL, plus a slug -> SKU pointer with the same TTL.
 *
 * Cluster-safe by layout: a key's hash tag is the SKU or slug it is looked up by, so the view
 * `product:{K}` and the pointer `product-slug:{K}` of one lookup key K share a slot and `get(K)`
 * reads both with one MGET, on any Redis. A lookup by SKU is that one round trip; a lookup by
 * slug follows the pointer with a GET of the view (its own slot): two. `set` writes the view and
 * the pointer with two SETs sent together (different slots: no MULTI); a pointer whose view is
 * gone or names another slug is a miss, so `invalidate` only deletes the view, and a
 * half-written `set` can answer nothing but a miss or the product it names.
 *
 * An entry that no longer parses is treated as a miss. Throws `DependencyUnavailable("redis")`
 * when Redis is unreachable (callers then read through to the sources).
 *
 * Stampedes: the port has no loader, so the cache cannot coalesce misses itself; the
 * `getProduct` use case shares one in-flight load per key.
 */
export class RedisProductCache implements ProductCache {
  readonly #prefix: string;

  constructor(private readonly redis: RedisClient, options: RedisProductCacheOptions = {}) {
    this.#prefix = options.prefix ?? DEFAULT_PREFIX;
  }

  get(key: string): Promise<ProductView | null> {
    if (key === "") return Promise.resolve(null);
    return attempt(this.redis, async () => {
      const [view, sku] = await this.redis.mget(this.#view(key), this.#slug(key));
      if (view !== null) return parse(view);
      if (sku === null || sku === "") return null;
      const pointed = parse(await this.redis.get(this.#view(sku)));
      return pointed?.slug === key ? pointed : null;
    });
  }

  set(view: ProductView, ttlMs: number): Promise<void> {
    const ttl = Math.max(1, Math.round(ttlMs));
    return attempt(this.redis, async () => {
      await Promise.all([
        this.redis.set(this.#view(view.sku), JSON.stringify(view), "PX", ttl),
        this.redis.set(this.#slug(view.slug), view.sku, "PX", ttl),
      ]);
    });
  }

  invalidate(sku: string): Promise<void> {
    if (sku === "") return Promise.resolve();
    return attempt(this.redis, async () => {
      await this.redis.del(this.#view(sku));
    });
  }

  #view(sku: string): string {
    return tagged(this.#prefix, "product", sku);
  }

  #slug(slug: string): string {
    return tagged(this.#prefix, "product-slug", slug);
  }
}

/** The cached JSON, or null when absent or no longer a valid view (a miss). */
function parse(raw: string | null): ProductView | null {
  if (raw === null) return null;
  try {
    const parsed = CachedView.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // not JSON: a miss
  }
}

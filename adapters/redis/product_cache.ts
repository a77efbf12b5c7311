import type { Redis } from "ioredis";
import { z } from "zod";
import type { ProductView } from "../../domain/catalog/product_view.ts";
import type { ProductCache } from "../../ports/catalog/product_cache.ts";
import { attempt, DEFAULT_PREFIX, LuaScript, replies } from "./_redis.ts";

export interface RedisProductCacheOptions {
  /** Views live at `<prefix>product:<sku>`, slug pointers at `<prefix>product-slug:<slug>`. */
  readonly prefix?: string;
}

/**
 * GET by SKU, else follow the slug pointer: one round trip whichever the key is.
 * KEYS[1] view key for `key`, KEYS[2] slug key for `key`; ARGV[1] the view key prefix.
 * (The pointed-to key is built in the script: fine on a single Redis, not on a Cluster.)
 */
const GET = new LuaScript(`
local view = redis.call('GET', KEYS[1])
if view then return view end
local sku = redis.call('GET', KEYS[2])
if not sku then return false end
return redis.call('GET', ARGV[1] .. sku)
`);

/**
 * Drops the view and the pointer of its current slug, if that pointer still names this SKU.
 * KEYS[1] view key; ARGV[1] slug key prefix, ARGV[2] the SKU.
 */
const INVALIDATE = new LuaScript(`
local view = redis.call('GET', KEYS[1])
redis.call('DEL', KEYS[1])
if not view then return 0 end
local ok, doc = pcall(cjson.decode, view)
if ok and type(doc) == 'table' and type(doc.slug) == 'string' then
  local pointer = ARGV[1] .. doc.slug
  if redis.call('GET', pointer) == ARGV[2] then redis.call('DEL', pointer) end
end
return 1
`);

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
  ratings: z.object({ avg: z.number(), count: z.number() }),
  priceCents: z.number(),
  currency: z.string(),
  publishedAt: isoDate.nullable(),
  updatedAt: isoDate,
  availability: z.object({ available: z.number(), inStock: z.boolean() }),
});

/**
 * Product views as JSON strings with a TTL, plus a slug -> SKU pointer with the same TTL.
 * `get` costs one EVALSHA whether the key is a SKU or a slug; `set` is one MULTI.
 * An entry that no longer parses is treated as a miss. Throws `DependencyUnavailable("redis")`
 * when Redis is unreachable (callers then read through to the sources).
 *
 * Stampedes: the port has no loader, so the cache cannot coalesce misses itself; the
 * `getProduct` use case shares one in-flight load per key.
 */
export class RedisProductCache implements ProductCache {
  readonly #views: string;
  readonly #slugs: string;

  constructor(private readonly redis: Redis, options: RedisProductCacheOptions = {}) {
    const prefix = options.prefix ?? DEFAULT_PREFIX;
    this.#views = `${prefix}product:`;
    this.#slugs = `${prefix}product-slug:`;
  }

  get(key: string): Promise<ProductView | null> {
    return attempt(this.redis, async () => {
      const raw = await GET.run(
        this.redis,
        [this.#views + key, this.#slugs + key],
        [this.#views],
      );
      if (typeof raw !== "string") return null;
      try {
        const parsed = CachedView.safeParse(JSON.parse(raw));
        return parsed.success ? parsed.data : null;
      } catch {
        return null; // not JSON: a miss
      }
    });
  }

  set(view: ProductView, ttlMs: number): Promise<void> {
    const ttl = Math.max(1, Math.round(ttlMs));
    return attempt(this.redis, async () => {
      replies(
        await this.redis.multi()
          .set(this.#views + view.sku, JSON.stringify(view), "PX", ttl)
          .set(this.#slugs + view.slug, view.sku, "PX", ttl)
          .exec(),
      );
    });
  }

  invalidate(sku: string): Promise<void> {
    return attempt(this.redis, async () => {
      await INVALIDATE.run(this.redis, [this.#views + sku], [this.#slugs, sku]);
    });
  }
}

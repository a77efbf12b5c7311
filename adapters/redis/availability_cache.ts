import type { Redis } from "ioredis";
import { z } from "zod";
import type { InventoryItem } from "../../domain/inventory/stock.ts";
import type { AvailabilityCache } from "../../ports/inventory/availability_cache.ts";
import { attempt, DEFAULT_PREFIX, LuaScript } from "./_redis.ts";

export interface RedisAvailabilityCacheOptions {
  /** Entries live at `<prefix>availability:<sku>`. */
  readonly prefix?: string;
}

/**
 * Stores the entry unless the stored one has a higher version. One key per call, so it is
 * cluster-safe. KEYS[1] the SKU's key; ARGV[1] version, ARGV[2] JSON, ARGV[3] TTL in ms.
 * The entry is a hash {v, item} so the version is compared without decoding JSON.
 */
const PUT = new LuaScript(`
local stored = tonumber(redis.call('HGET', KEYS[1], 'v'))
if stored and stored > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'item', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`);

const isoDate = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

/** The cached JSON, checked on the way out; dates revived. */
const CachedItem = z.object({
  sku: z.string(),
  productSku: z.string(),
  variantLabel: z.string().nullable(),
  name: z.string(),
  unitPriceCents: z.number(),
  currency: z.string(),
  stock: z.number(),
  reserved: z.number(),
  active: z.boolean(),
  publishedAt: isoDate.nullable(),
  version: z.number(),
  updatedAt: isoDate,
});

/**
 * Per SKU one hash with a TTL. `getMany` sends one HGET per SKU in a pipeline (one round
 * trip, single-key commands only); an entry that no longer parses is a miss. Throws
 * `DependencyUnavailable("redis")` when Redis is unreachable.
 */
export class RedisAvailabilityCache implements AvailabilityCache {
  readonly #prefix: string;

  constructor(private readonly redis: Redis, options: RedisAvailabilityCacheOptions = {}) {
    this.#prefix = `${options.prefix ?? DEFAULT_PREFIX}availability:`;
  }

  getMany(skus: readonly string[]): Promise<Map<string, InventoryItem>> {
    const unique = [...new Set(skus)];
    if (unique.length === 0) return Promise.resolve(new Map());
    return attempt(this.redis, async () => {
      const pipeline = this.redis.pipeline();
      for (const sku of unique) pipeline.hget(this.#prefix + sku, "item");
      const results = (await pipeline.exec()) ?? [];
      const found = new Map<string, InventoryItem>();
      results.forEach(([error, raw], i) => {
        if (error) throw error;
        if (typeof raw !== "string") return;
        try {
          const parsed = CachedItem.safeParse(JSON.parse(raw));
          if (parsed.success && parsed.data.sku === unique[i]) found.set(unique[i], parsed.data);
        } catch {
          // not JSON: a miss
        }
      });
      return found;
    });
  }

  put(item: InventoryItem, ttlMs: number): Promise<void> {
    return attempt(this.redis, async () => {
      await PUT.run(this.redis, [this.#prefix + item.sku], [
        item.version,
        JSON.stringify(item),
        Math.max(1, Math.round(ttlMs)),
      ]);
    });
  }

  invalidate(sku: string): Promise<void> {
    return attempt(this.redis, async () => {
      await this.redis.del(this.#prefix + sku);
    });
  }
}

import assert from "node:assert/strict";
import type { ProductView } from "../../domain/catalog/product_view.ts";
import { productCacheContract } from "../../ports/contracts/product_cache_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { tap, testRedis } from "./_testing.ts";
import { RedisProductCache } from "./product_cache.ts";

const url = integrationUrl("REDIS_URL");

productCacheContract("RedisProductCache", async () => {
  const t = await testRedis(url!);
  return { subject: new RedisProductCache(t.redis, { prefix: t.prefix }), close: t.close };
}, { ignore: !url });

function view(sku: string): ProductView {
  return {
    sku,
    name: "Mug",
    slug: `mug-${sku.toLowerCase()}`,
    category: "kitchen",
    brand: "Acme",
    description: "",
    images: [],
    attrs: { volumeMl: 300 },
    variants: [],
    tags: [],
    ratings: { avg: 4, count: 2 },
    priceCents: 1_250,
    currency: "USD",
    publishedAt: new Date("2025-01-01T00:00:00.000Z"),
    updatedAt: new Date("2025-01-02T00:00:00.000Z"),
    availability: { available: 3, inStock: true },
    priceRange: { minCents: 1_250, maxCents: 1_250 },
  };
}

Deno.test({
  name: "RedisProductCache",
  ignore: !url,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async (t) => {
    await t.step("a lookup by SKU or by slug is one EVALSHA", async () => {
      const r = await testRedis(url!);
      const monitor = await tap(url!, r.redis);
      try {
        const cache = new RedisProductCache(r.redis, { prefix: r.prefix });
        const v = view(`SKU-${crypto.randomUUID()}`);
        await cache.set(v, 60_000);
        await cache.get(v.sku); // loads the script once
        await monitor.reset();
        assert.deepEqual(await cache.get(v.sku), v);
        assert.deepEqual(await cache.get(v.slug), v);
        assert.equal(await cache.get("nothing-here"), null);
        assert.deepEqual((await monitor.commands()).map((c) => c[0]), [
          "evalsha",
          "evalsha",
          "evalsha",
        ]);
      } finally {
        await monitor.close();
        await r.close();
      }
    });

    await t.step("an entry that does not parse is a miss, not an error", async () => {
      const r = await testRedis(url!);
      try {
        const cache = new RedisProductCache(r.redis, { prefix: r.prefix });
        await r.redis.set(`${r.prefix}product:BROKEN`, "{not json");
        await r.redis.set(`${r.prefix}product:OLD`, JSON.stringify({ sku: "OLD" }));
        assert.equal(await cache.get("BROKEN"), null);
        assert.equal(await cache.get("OLD"), null);
        await cache.invalidate("BROKEN");
        assert.equal(await r.redis.exists(`${r.prefix}product:BROKEN`), 0);
      } finally {
        await r.close();
      }
    });
  },
});

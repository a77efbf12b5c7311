import assert from "node:assert/strict";
import type { ProductView } from "../../domain/catalog/product_view.ts";
import { productCacheContract } from "../../ports/contracts/product_cache_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { redisTargets } from "./_test_targets.ts";
import { tap, testRedis } from "./_testing.ts";
import { RedisProductCache } from "./product_cache.ts";

const url = integrationUrl("REDIS_URL");

for (const target of redisTargets()) {
  productCacheContract(`RedisProductCache${target.suffix}`, async () => {
    const t = await target.open();
    return { subject: new RedisProductCache(t.redis, { prefix: t.prefix }), close: t.close };
  }, { ignore: !target.available });

  Deno.test({
    name: `RedisProductCache${target.suffix}`,
    ignore: !target.available,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async (t) => {
      await t.step("an entry that does not parse is a miss, not an error", async () => {
        const r = await target.open();
        try {
          const cache = new RedisProductCache(r.redis, { prefix: r.prefix });
          await r.redis.set(`${r.prefix}product:{BROKEN}`, "{not json");
          await r.redis.set(`${r.prefix}product:{OLD}`, JSON.stringify({ sku: "OLD" }));
          assert.equal(await cache.get("BROKEN"), null);
          assert.equal(await cache.get("OLD"), null);
          await cache.invalidate("BROKEN");
          assert.equal(await r.redis.exists(`${r.prefix}product:{BROKEN}`), 0);
        } finally {
          await r.close();
        }
      });

      await t.step("a slug whose pointer outlived its view or its slug is a miss", async () => {
        const r = await target.open();
        try {
          const cache = new RedisProductCache(r.redis, { prefix: r.prefix });
          const first = view(`SKU-${crypto.randomUUID()}`);
          await cache.set(first, 60_000);
          await cache.set({ ...first, slug: `${first.slug}-renamed` }, 60_000);
          assert.equal(await cache.get(first.slug), null, "the old slug names another view");
          await cache.invalidate(first.sku);
          assert.equal(await cache.get(`${first.slug}-renamed`), null, "the view is gone");
          assert.equal(await cache.get(""), null);
        } finally {
          await r.close();
        }
      });
    },
  });
}

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
  name: "RedisProductCache: commands sent",
  ignore: !url,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async (t) => {
    await t.step("a lookup by SKU is one MGET; by slug, MGET then GET of the view", async () => {
      const r = await testRedis(url!);
      const monitor = await tap(url!, r.redis);
      try {
        const cache = new RedisProductCache(r.redis, { prefix: r.prefix });
        const v = view(`SKU-${crypto.randomUUID()}`);
        await cache.set(v, 60_000);
        await monitor.reset();
        assert.deepEqual(await cache.get(v.sku), v);
        assert.deepEqual(await cache.get(v.slug), v);
        assert.equal(await cache.get("nothing-here"), null);
        assert.deepEqual((await monitor.commands()).map((c) => c.slice(0, 3)), [
          ["mget", `${r.prefix}product:{${v.sku}}`, `${r.prefix}product-slug:{${v.sku}}`],
          ["mget", `${r.prefix}product:{${v.slug}}`, `${r.prefix}product-slug:{${v.slug}}`],
          ["get", `${r.prefix}product:{${v.sku}}`],
          ["mget", `${r.prefix}product:{nothing-here}`, `${r.prefix}product-slug:{nothing-here}`],
        ]);
      } finally {
        await monitor.close();
        await r.close();
      }
    });
  },
});

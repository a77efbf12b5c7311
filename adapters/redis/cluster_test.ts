/**
 * Slot safety on a real Redis Cluster (`REDIS_CLUSTER_NODES`): every command, MULTI and script
 * of every adapter, with keys spread over every primary. A command whose keys span slots fails
 * there (CROSSSLOT, or ioredis refusing a cross-slot MULTI), which a single server never shows.
 */
import assert from "node:assert/strict";
import type { Cluster } from "ioredis";
import { parseConfig } from "../../config.ts";
import { buildRuntime } from "../../composition.ts";
import type { ProductView } from "../../domain/catalog/product_view.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { testRedisCluster } from "./_testing.ts";
import { RedisCartStore } from "./carts.ts";
import { guestCart, userCart } from "../../ports/cart/carts.ts";
import { RedisLeaderboards } from "./leaderboards.ts";
import { RedisProductCache } from "./product_cache.ts";
import { RedisRateLimiter } from "./rate_limiter.ts";
import { LocalAllowanceRateLimiter } from "./rate_allowance.ts";

const nodes = integrationUrl("REDIS_CLUSTER_NODES");

/** Each slot range with the `host:port` of its primary. */
async function slotRanges(cluster: Cluster): Promise<[number, number, string][]> {
  const ranges = await cluster.cluster("SLOTS");
  return ranges.map(([from, to, primary]) => [from, to, `${primary[0]}:${primary[1]}`]);
}

/** `host:port` of the primary serving `key`'s slot. */
async function ownerOf(cluster: Cluster, key: string): Promise<string> {
  const slot = Number(await cluster.cluster("KEYSLOT", key));
  const range = (await slotRanges(cluster)).find(([from, to]) => slot >= from && slot <= to);
  assert.ok(range, `no node serves slot ${slot}`);
  return range[2];
}

async function primaries(cluster: Cluster): Promise<number> {
  return new Set((await slotRanges(cluster)).map((r) => r[2])).size;
}

function view(sku: string): ProductView {
  return {
    sku,
    name: `Product ${sku}`,
    slug: `product-${sku.toLowerCase()}`,
    category: "kitchen",
    brand: "Acme",
    description: "",
    images: [],
    attrs: {},
    variants: [],
    tags: [],
    ratings: { avg: 0, count: 0 },
    priceCents: 100,
    currency: "USD",
    publishedAt: null,
    updatedAt: new Date("2025-01-01T00:00:00.000Z"),
    availability: { available: 1, inStock: true },
    priceRange: { minCents: 100, maxCents: 100 },
  };
}

const N = 40;

Deno.test({
  name: "Redis adapters on a cluster: slot safety",
  ignore: !nodes,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async (t) => {
    await t.step(
      "every operation of every adapter succeeds with keys on every primary",
      async () => {
        const r = await testRedisCluster(nodes!);
        try {
          const carts = new RedisCartStore(r.redis, { prefix: r.prefix });
          const cache = new RedisProductCache(r.redis, { prefix: r.prefix });
          const limiter = new RedisRateLimiter(r.redis, { prefix: r.prefix });
          const boards = new RedisLeaderboards(r.redis, { prefix: r.prefix });
          const ids = Array.from({ length: N }, (_, i) => `id-${i}`);
          const days = Array.from({ length: 8 }, (_, i) => `2030-01-0${i + 1}`);

          // The ids really spread: each kind of key lands on every primary.
          const spread = async (key: (id: string) => string, of: string[]) =>
            new Set(await Promise.all(of.map((id) => ownerOf(r.redis, key(id))))).size;
          const all = await primaries(r.redis);
          assert.ok(all >= 3, `${all} primaries`);
          assert.equal(await spread((u) => `${r.prefix}cart:${u}`, ids), all, "carts");
          const guests = (g: string) => `${r.prefix}guest-cart:guest-${g}`;
          assert.equal(await spread(guests, ids), all, "guest carts");
          assert.equal(await spread((s) => `${r.prefix}product:{${s}}`, ids), all, "views");
          assert.equal(await spread((s) => `${r.prefix}product-slug:{${s}}`, ids), all, "slugs");
          assert.equal(await spread((k) => `${r.prefix}rate:${k}`, ids), all, "limiter");
          assert.equal(await spread((d) => `${r.prefix}board:products:${d}`, days), all, "boards");

          await Promise.all(ids.map(async (id, i) => {
            const skus = [`SKU-${id}`, `SKU-${ids[(i + 1) % N]}`, `SKU-${ids[(i + 2) % N]}`];
            // Carts: the WRITE script (add, set, remove, clear), SUBTRACT, guest carts
            // (CREATE, CLAIM, DEL) and MERGE, each on its one key.
            const user = userCart(id);
            const lines = async (cart: Promise<{ lines: unknown }>) => (await cart).lines;
            assert.deepEqual(await lines(carts.add(user, skus[0], 2)), { [skus[0]]: 2 });
            await carts.set(user, skus[1], 3);
            await carts.add(user, skus[2], 1);
            assert.deepEqual(await lines(carts.add(user, skus[2], -1)), {
              [skus[0]]: 2,
              [skus[1]]: 3,
            });
            await carts.remove(user, skus[0]);
            assert.deepEqual(await lines(carts.subtract(user, [{ sku: skus[1], qty: 1 }])), {
              [skus[1]]: 2,
            });
            const { version } = await carts.get(user);
            await carts.clear(user, { ifVersion: version });
            assert.deepEqual(await lines(carts.get(user)), {});
            const guest = `guest-${ids[(i + 7) % N]}`;
            await carts.createGuest(guest, skus[2], 1);
            await carts.set(guestCart(guest), skus[0], 1);
            const taken = await carts.claimGuest(guest, id);
            assert.deepEqual(taken, { [skus[0]]: 1, [skus[2]]: 1 });
            const merged = await carts.mergeInto(id, guest, [{ sku: skus[2], qty: 1, max: 5 }]);
            assert.deepEqual(merged.cart.lines, { [skus[2]]: 1 });
            await carts.discardGuest(guest);

            // Product cache: view and pointer in different slots; MGET of one lookup key.
            const v = view(skus[0]);
            await cache.set(v, 60_000);
            assert.deepEqual(await cache.get(v.sku), v);
            assert.deepEqual(await cache.get(v.slug), v);
            await cache.invalidate(v.sku);
            assert.equal(await cache.get(v.slug), null);

            // Limiter: its scripts (a hit; a claim returning an earlier claim's rest) on one key.
            const decision = await limiter.hit(id, 2, 60_000, new Date());
            assert.equal(decision.allowed, true);
            const batch = await limiter.claim(`batch-${id}`, 10, 60_000, new Date(), 4);
            const next = await limiter.claim(`batch-${id}`, 10, 60_000, new Date(), 2, {
              claimId: batch.claimId,
              unspent: 3,
            });
            assert.deepEqual([batch.granted, next.granted, next.count], [4, 2, 3]);

            // Leaderboards: MULTI on one day's board; single-key commands elsewhere.
            await boards.addProductUnits(days[i % days.length], [
              { sku: skus[0], units: 1 },
              { sku: skus[1], units: 2 },
            ]);
            await boards.addCustomerPoints(id, i);
            assert.ok((await boards.customerRank(id))?.score === i);
          }));
          for (const day of days) assert.ok((await boards.topProducts(day, 3)).length > 0);
          assert.equal((await boards.topCustomers(N)).length, N);
        } finally {
          await r.close();
        }
      },
    );

    await t.step("a script missing on the slot's primary is sent there as EVAL", async () => {
      const r = await testRedisCluster(nodes!);
      try {
        const limiter = new RedisRateLimiter(r.redis, { prefix: r.prefix });
        const carts = new RedisCartStore(r.redis, { prefix: r.prefix });
        await Promise.all(r.redis.nodes("all").map((n) => n.script("FLUSH")));
        const ids = Array.from({ length: N }, (_, i) => `flushed-${i}`);
        await Promise.all(ids.map(async (id) => {
          assert.equal((await limiter.hit(id, 5, 60_000, new Date())).remaining, 4);
          assert.equal((await limiter.claim(id, 5, 60_000, new Date(), 2)).granted, 2);
          await carts.add(userCart(id), "A", 2);
          assert.deepEqual((await carts.add(userCart(id), "A", -1)).lines, { A: 1 });
        }));
        // Every primary now caches the two scripts it ran (the limiter's claim, which hit() also
        // runs, and the cart's WRITE): loaded where they run.
        for (const primary of r.redis.nodes("master")) {
          const info = String(await primary.info("memory"));
          const cached = Number(/number_of_cached_scripts:(\d+)/.exec(info)?.[1]);
          assert.equal(cached, 2, `scripts cached on ${primary.options.port}`);
        }
      } finally {
        await r.close();
      }
    });

    await t.step(
      "the composition root picks the cluster client for REDIS_CLUSTER_NODES",
      async () => {
        const r = await testRedisCluster(nodes!);
        const runtime = await buildRuntime(
          parseConfig({ REDIS_CLUSTER_NODES: nodes, REDIS_PREFIX: r.prefix, SEED: "false" }),
        );
        try {
          assert.match(runtime.adapters.redis, /\(cluster\)$/);
          assert.ok(runtime.ports.limiter instanceof LocalAllowanceRateLimiter);
          assert.equal((await runtime.ports.limiter.hit("c", 1, 60_000, new Date())).allowed, true);
          assert.equal(await r.redis.zcard(`${r.prefix}rate:c`), 1);
          const users = Array.from({ length: N }, (_, i) => `composed-${i}`);
          await Promise.all(users.map((u) => runtime.ports.carts.add(userCart(u), "A", 1)));
          for (const u of users) assert.equal(await r.redis.hget(`${r.prefix}cart:${u}`, "A"), "1");
        } finally {
          await runtime.close();
          await r.close();
        }
      },
    );
  },
});

import assert from "node:assert/strict";
import type { ProductView } from "../../domain/catalog/product_view.ts";
import type { ProductCache } from "../../ports/catalog/product_cache.ts";
import { productCacheContract } from "../../ports/contracts/product_cache_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { MemoryProductCache } from "../memory/product_cache.ts";
import { connectRedis } from "./connect.ts";
import { listenForInvalidations } from "./_near_entries.ts";
import { invalidationChannel, NearProductCache } from "./near_product_cache.ts";
import { RedisProductCache } from "./product_cache.ts";
import { readGate, testRedis } from "./_testing.ts";
import { eventually } from "../../testing/eventually.ts";

const url = integrationUrl("REDIS_URL");
const HOUR = 3_600_000;

/** A shared cache that counts its reads and can hold a read until released. */
function counting(inner: ProductCache) {
  let gets = 0;
  const gate = readGate();
  const cache: ProductCache = {
    get: async (key) => {
      gets += 1;
      const view = await inner.get(key);
      await gate.pass();
      return view;
    },
    set: (view, ttl) => inner.set(view, ttl),
    invalidate: (sku) => inner.invalidate(sku),
  };
  return { cache, gets: () => gets, holdReads: () => gate.hold() };
}

function local(options: { ttlMs?: number; maxEntries?: number } = {}) {
  let now = 0;
  const published: string[] = [];
  const shared = new MemoryProductCache({ now: () => new Date(1_700_000_000_000) });
  const inner = counting(shared);
  const near = new NearProductCache(inner.cache, {
    ttlMs: options.ttlMs ?? 1_000,
    maxEntries: options.maxEntries ?? 100,
    publish: (sku) => Promise.resolve(published.push(sku)),
    now: () => now,
  });
  near.listening = true;
  return { near, shared, inner, published, advance: (ms: number) => (now += ms) };
}

Deno.test("NearProductCache", async (t) => {
  await t.step("a hot product is answered from memory until ttlMs, then read again", async () => {
    const { near, shared, inner, advance } = local({ ttlMs: 1_000 });
    const v = view();
    await shared.set(v, HOUR);
    assert.deepEqual(await near.get(v.sku), v);
    assert.deepEqual(await near.get(v.sku), v);
    assert.equal(inner.gets(), 1, "the second read is local");
    advance(999);
    await near.get(v.sku);
    assert.equal(inner.gets(), 1);
    advance(1);
    await near.get(v.sku);
    assert.equal(inner.gets(), 2, "no local answer older than ttlMs");
  });

  await t.step("invalidate drops it here and in the shared cache, and publishes it", async () => {
    const { near, published } = local();
    const v = view();
    await near.set(v, HOUR);
    assert.deepEqual(await near.get(v.slug), v);
    await near.invalidate(v.sku);
    assert.equal(await near.get(v.slug), null);
    assert.equal(await near.get(v.sku), null);
    assert.deepEqual(published, [v.sku]);
  });

  await t.step("a message from another process drops every key of the product", async () => {
    const { near, shared, inner } = local();
    const variant = `V-${uid()}`;
    const v = view({
      variants: [{
        sku: variant,
        label: "Blue",
        attrs: {},
        priceCents: 100,
        availability: { available: 1, inStock: true },
      }],
    });
    await shared.set(v, HOUR);
    await near.get(v.sku);
    await near.get(v.slug);
    assert.equal(near.size, 2);
    await shared.set({ ...v, name: "Renamed" }, HOUR); // another process wrote the shared cache
    near.drop(variant);
    assert.equal(near.size, 0);
    assert.equal((await near.get(v.slug))?.name, "Renamed");
    assert.equal(inner.gets(), 3);
  });

  await t.step(
    "while not listening nothing is served locally; listening again starts empty",
    async () => {
      const { near, shared, inner } = local();
      const v = view();
      await shared.set(v, HOUR);
      await near.get(v.sku);
      near.listening = false;
      assert.equal(near.size, 0);
      await near.get(v.sku);
      await near.get(v.sku);
      assert.equal(inner.gets(), 3, "every read went to the shared cache");
      near.listening = true;
      await near.get(v.sku);
      await near.get(v.sku);
      assert.equal(inner.gets(), 4);
    },
  );

  await t.step("memory: at most maxEntries keys, the least recently read dropped", async () => {
    const { near, shared, inner } = local({ maxEntries: 2 });
    const [a, b, c] = [view(), view(), view()];
    for (const v of [a, b, c]) await shared.set(v, HOUR);
    await near.get(a.sku);
    await near.get(b.sku);
    await near.get(a.sku); // a is now the most recent
    await near.get(c.sku); // b goes
    assert.equal(near.size, 2);
    const before = inner.gets();
    await near.get(a.sku);
    await near.get(c.sku);
    assert.equal(inner.gets(), before, "a and c are local");
    await near.get(b.sku);
    assert.equal(inner.gets(), before + 1, "b was dropped");
  });

  await t.step("a read overtaken by an invalidation is answered but not kept", async () => {
    const { near, shared, inner } = local();
    const v = view();
    await shared.set(v, HOUR);
    const release = inner.holdReads();
    const reading = near.get(v.sku);
    near.drop(v.sku); // the message arrives while the shared cache's answer is on its way
    release();
    assert.deepEqual(await reading, v);
    assert.equal(near.size, 0);
  });
});

function near(r: Awaited<ReturnType<typeof testRedis>>, ttlMs: number) {
  const shared = new RedisProductCache(r.redis, { prefix: r.prefix });
  const channel = invalidationChannel(r.prefix);
  const cache = new NearProductCache(shared, {
    ttlMs,
    maxEntries: 1_000,
    publish: (sku) => r.redis.publish(channel, sku),
  });
  const subscriber = connectRedis(url!);
  const stop = listenForInvalidations(subscriber, channel, cache);
  return { cache, shared, subscriber, stop };
}

productCacheContract("NearProductCache over RedisProductCache", async () => {
  const r = await testRedis(url!);
  const n = near(r, 200);
  await eventually("subscribed", () => Promise.resolve(n.cache.listening));
  return {
    subject: n.cache,
    close: async () => {
      await n.stop();
      await r.close();
    },
  };
}, { ignore: !url });

Deno.test({
  name: "NearProductCache on a real Redis",
  ignore: !url,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await t.step("an invalidation in one process reaches the others", async () => {
      const r = await testRedis(url!);
      const a = near(r, HOUR);
      const b = near(r, HOUR);
      try {
        await eventually("up", () => Promise.resolve(a.cache.listening && b.cache.listening));
        const v = view();
        await a.cache.set(v, HOUR);
        assert.deepEqual(await a.cache.get(v.sku), v);
        assert.equal(a.cache.size, 1, "held locally for an hour");
        await b.cache.invalidate(v.sku);
        await eventually("message arrived", async () => (await a.cache.get(v.sku)) === null);
      } finally {
        await a.stop();
        await b.stop();
        await r.close();
      }
    });

    await t.step("a lost message: the stale view is served at most ttlMs", async () => {
      const r = await testRedis(url!);
      const a = near(r, 300);
      try {
        await eventually("up", () => Promise.resolve(a.cache.listening));
        const v = view();
        await a.shared.set(v, HOUR);
        const kept = performance.now();
        assert.deepEqual(await a.cache.get(v.sku), v);
        await a.shared.set({ ...v, name: "Renamed" }, HOUR); // no PUBLISH: the message is lost
        const stale = await a.cache.get(v.sku);
        if (performance.now() - kept < 300) assert.equal(stale?.name, v.name, "local meanwhile");
        await eventually(
          "the new view once the bound has passed",
          async () => (await a.cache.get(v.sku))?.name === "Renamed",
        );
      } finally {
        await a.stop();
        await r.close();
      }
    });

    await t.step("a dropped subscription empties the local cache", async () => {
      const r = await testRedis(url!);
      const a = near(r, HOUR);
      try {
        await eventually("up", () => Promise.resolve(a.cache.listening));
        const v = view();
        await a.shared.set(v, HOUR);
        await a.cache.get(v.sku);
        await a.shared.set({ ...v, name: "Renamed" }, HOUR); // unannounced
        a.subscriber.disconnect(true); // ioredis reconnects and subscribes again
        await eventually("emptied", async () => (await a.cache.get(v.sku))?.name === "Renamed");
        await eventually("listening again", () => Promise.resolve(a.cache.listening));
      } finally {
        await a.stop();
        await r.close();
      }
    });
  },
});

function uid(): string {
  return crypto.randomUUID().replaceAll("-", "").slice(0, 12);
}

function view(overrides: Partial<ProductView> = {}): ProductView {
  const sku = overrides.sku ?? `SKU-${uid()}`;
  return {
    sku,
    name: `Product ${sku}`,
    slug: `product-${sku.toLowerCase()}`,
    category: "laptops",
    brand: "Acme",
    description: "A product for the near cache tests.",
    images: [],
    attrs: {},
    variants: [],
    tags: [],
    ratings: { avg: 4, count: 1 },
    priceCents: 1_000,
    currency: "USD",
    publishedAt: new Date("2025-01-01T00:00:00.000Z"),
    updatedAt: new Date("2025-01-02T00:00:00.000Z"),
    availability: { available: 1, inStock: true },
    priceRange: { minCents: 1_000, maxCents: 1_000 },
    ...overrides,
  };
}

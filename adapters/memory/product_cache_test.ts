import assert from "node:assert/strict";
import type { ProductView } from "../../domain/catalog/product_view.ts";
import { DependencyUnavailable } from "../../domain/errors.ts";
import { productCacheContract } from "../../ports/contracts/product_cache_contract.ts";
import { Outage } from "./outage.ts";
import { MemoryProductCache } from "./product_cache.ts";

class StepClock {
  constructor(public ms = Date.UTC(2025, 0, 1)) {}
  now(): Date {
    return new Date(this.ms);
  }
}

productCacheContract("MemoryProductCache", () =>
  Promise.resolve({
    subject: new MemoryProductCache({ now: () => new Date() }),
    close: () => Promise.resolve(),
  }));

function view(sku: string, slug: string): ProductView {
  return {
    sku,
    name: sku,
    slug,
    category: "c",
    brand: "b",
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

Deno.test("MemoryProductCache", async (t) => {
  await t.step("expires entries on the injected clock", async () => {
    const clock = new StepClock();
    const cache = new MemoryProductCache(clock);
    await cache.set(view("A", "a"), 1_000);
    clock.ms += 999;
    assert.equal((await cache.get("a"))?.sku, "A");
    clock.ms += 1;
    assert.equal(await cache.get("A"), null);
    assert.equal(await cache.get("a"), null);
  });

  await t.step("a key is a SKU before it is a slug", async () => {
    const cache = new MemoryProductCache(new StepClock());
    await cache.set(view("A", "b"), 1_000);
    await cache.set(view("b", "other"), 1_000);
    assert.equal((await cache.get("b"))?.sku, "b");
  });

  await t.step("invalidate keeps a slug pointer that another SKU took over", async () => {
    const cache = new MemoryProductCache(new StepClock());
    await cache.set(view("A", "shared"), 1_000);
    await cache.set(view("B", "shared"), 1_000);
    await cache.invalidate("A");
    assert.equal((await cache.get("shared"))?.sku, "B");
  });

  await t.step("throws DependencyUnavailable while the outage switch is down", async () => {
    const outage = new Outage(true);
    const cache = new MemoryProductCache(new StepClock(), { outage });
    const isRedisDown = (e: unknown) =>
      e instanceof DependencyUnavailable && e.dependency === "redis";
    await assert.rejects(cache.get("A"), isRedisDown);
    await assert.rejects(cache.set(view("A", "a"), 1_000), isRedisDown);
    await assert.rejects(cache.invalidate("A"), isRedisDown);
  });
});

import assert from "node:assert/strict";
import type { ProductView } from "../../domain/catalog/product_view.ts";
import type { ProductCache } from "../catalog/product_cache.ts";
import { type ContractOptions, defineContract, type MakeFixture } from "./_fixture.ts";

/**
 * The behaviour every `ProductCache` keeps. Expiry is checked in real time (a 300 ms TTL,
 * polled for up to 3 s), so the subject must run on the system clock. Each step uses its own
 * SKUs and slugs.
 */
export function productCacheContract(
  label: string,
  make: MakeFixture<ProductCache>,
  options: ContractOptions = {},
): void {
  defineContract("ProductCache", label, make, options, async (step) => {
    await step("a view is read back by SKU and by slug, intact", async (cache) => {
      const v = view({
        attrs: { ramGb: 16, touch: true, color: "black" },
        variants: [{
          sku: `V-${uid()}`,
          label: "16 GB",
          attrs: { ramGb: 16 },
          priceCents: 139_900,
          availability: { available: 3, inStock: true },
        }],
        priceRange: { minCents: 139_900, maxCents: 139_900 },
        tags: ["laptop"],
        publishedAt: null,
      });
      await cache.set(v, HOUR);
      assert.deepEqual(await cache.get(v.sku), v);
      assert.deepEqual(await cache.get(v.slug), v);
      const dated = view();
      await cache.set(dated, HOUR);
      const back = await cache.get(dated.sku);
      assert.ok(back?.updatedAt instanceof Date, "dates come back as Date");
      assert.deepEqual(back, dated);
    });

    await step("unknown keys miss", async (cache) => {
      assert.equal(await cache.get(`SKU-${uid()}`), null);
      assert.equal(await cache.get(`slug-${uid()}`), null);
    });

    await step("invalidate removes the SKU and the slug entry", async (cache) => {
      const v = view();
      const other = view();
      await cache.set(v, HOUR);
      await cache.set(other, HOUR);
      await cache.invalidate(v.sku);
      assert.equal(await cache.get(v.sku), null);
      assert.equal(await cache.get(v.slug), null);
      assert.deepEqual(await cache.get(other.sku), other, "others stay");
      await cache.invalidate(v.sku);
      await cache.invalidate(`SKU-${uid()}`);
    });

    await step(
      "set replaces the view; a stale slug answers the new view or nothing",
      async (cache) => {
        const first = view();
        const second = { ...first, name: "Renamed", slug: `${first.slug}-renamed` };
        await cache.set(first, HOUR);
        await cache.set(second, HOUR);
        assert.deepEqual(await cache.get(first.sku), second);
        assert.deepEqual(await cache.get(second.slug), second);
        const stale = await cache.get(first.slug);
        assert.ok(stale === null || stale.sku === first.sku, "never another product");
        if (stale) assert.deepEqual(stale, second);
      },
    );

    await step("an entry expires after its TTL", async (cache) => {
      const short = view();
      const long = view();
      await cache.set(short, 300);
      await cache.set(long, HOUR);
      assert.deepEqual(await cache.get(short.sku), short);
      const deadline = Date.now() + 3_000;
      while ((await cache.get(short.sku)) !== null || (await cache.get(short.slug)) !== null) {
        assert.ok(Date.now() < deadline, "still cached 3 s after a 300 ms TTL");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.deepEqual(await cache.get(long.sku), long);
      assert.deepEqual(await cache.get(long.slug), long);
    });
  });
}

const HOUR = 60 * 60 * 1000;

function uid(): string {
  return crypto.randomUUID().replaceAll("-", "").slice(0, 16);
}

function view(overrides: Partial<ProductView> = {}): ProductView {
  const sku = overrides.sku ?? `SKU-${uid()}`;
  return {
    sku,
    name: `Product ${sku}`,
    slug: `product-${sku.toLowerCase()}`,
    category: "laptops",
    brand: "Acme",
    description: "A product made for the contract suite.",
    images: ["https://img.example/1.jpg"],
    attrs: {},
    variants: [],
    tags: [],
    ratings: { avg: 4.5, count: 12 },
    priceCents: 129_900,
    currency: "USD",
    publishedAt: new Date("2025-01-01T00:00:00.000Z"),
    updatedAt: new Date("2025-01-02T03:04:05.678Z"),
    availability: { available: 7, inStock: true },
    breadcrumbs: [{ slug: "computers", name: "Computers" }, { slug: "laptops", name: "Laptops" }],
    categoryPath: "computers/laptops",
    priceRange: { minCents: 129_900, maxCents: 129_900 },
    ...overrides,
  };
}

import assert from "node:assert/strict";
import { NO_RATINGS } from "../../domain/reviews/review.ts";
import { slugify } from "../../domain/catalog/product.ts";
import { isValidLevel } from "../../domain/inventory/stock.ts";
import { publicationStatus } from "../../domain/catalog/publication.ts";
import { CATEGORY_ATTRS, seedCatalog, UNPUBLISHED } from "./seed.ts";

const NOW = new Date("2025-06-01T12:00:00.000Z");
const DAY_MS = 86_400_000;

Deno.test("seedCatalog()", async (t) => {
  const { products, inventory } = seedCatalog(NOW);

  await t.step("is deterministic for the same clock", () => {
    assert.deepEqual(seedCatalog(NOW), { products, inventory });
  });

  await t.step("has at least 64 products over at least 6 categories", () => {
    assert.ok(products.length >= 64, `${products.length} products`);
    const categories = new Set(products.map((p) => p.category));
    assert.ok(categories.size >= 6);
    assert.deepEqual([...categories].sort(), Object.keys(CATEGORY_ATTRS).sort());
  });

  await t.step("gives unique SKUs, slugs from the name and unique slugs", () => {
    assert.equal(new Set(products.map((p) => p.sku)).size, products.length);
    assert.equal(new Set(products.map((p) => p.slug)).size, products.length);
    for (const p of products) {
      assert.match(p.sku, /^[A-Z]{3}-\d{3}$/);
      assert.equal(p.slug, slugify(p.name));
    }
  });

  await t.step("gives each category its own attribute set", () => {
    for (const p of products) {
      for (const name of CATEGORY_ATTRS[p.category]) {
        assert.ok(name in p.attrs, `${p.sku} lacks ${name}`);
      }
    }
    const types = (category: string, name: string) =>
      new Set(products.filter((p) => p.category === category).map((p) => typeof p.attrs[name]));
    assert.deepEqual(types("laptops", "ram_gb"), new Set(["number"]));
    assert.deepEqual(types("phones", "5g"), new Set(["boolean"]));
    assert.deepEqual(types("headphones", "anc"), new Set(["boolean"]));
    assert.deepEqual(types("monitors", "refresh_hz"), new Set(["number"]));
    assert.ok(products.some((p) => p.brand === "Lenovo" && p.name.includes("ThinkPad X1 Carbon")));
  });

  await t.step("fills every product's content within the documented ranges", () => {
    for (const p of products) {
      const sold = p.category === "laptops" || p.category === "t-shirts";
      assert.equal(p.variants.length > 0, sold, p.sku);
      assert.ok(p.images.length >= 2 && p.images.length <= 4, p.sku);
      p.images.forEach((url, i) =>
        assert.equal(url, `https://img.polycart.example/${p.sku}/${i + 1}.jpg`)
      );
      assert.ok(p.tags.length > 0);
      // Ratings are never seeded by hand: the reviews feed derives them (seed_reviews_test.ts).
      assert.deepEqual(p.ratings, NO_RATINGS);
      // Two sentences: a sentence ends in a lowercase letter or digit and a full stop.
      assert.equal(p.description.split(/(?<=[a-z0-9]\.) (?=[A-Z0-9])/).length, 2, p.description);
      assert.ok(p.description.endsWith("."), p.description);
      assert.ok(Number.isSafeInteger(p.priceCents) && p.priceCents > 0);
      assert.equal(p.currency, "USD");
      assert.equal(p.version, 1);
      if (UNPUBLISHED[p.name]) continue;
      const age = NOW.getTime() - p.publishedAt!.getTime();
      assert.ok(age > 0 && age < 180 * DAY_MS, `${p.sku} published ${age}ms ago`);
    }
    const ages = products.filter((p) => !UNPUBLISHED[p.name])
      .map((p) => NOW.getTime() - p.publishedAt!.getTime());
    assert.ok(Math.max(...ages) > 150 * DAY_MS && Math.min(...ages) < 10 * DAY_MS);
  });

  await t.step("holds one draft and one scheduled product, inventory copying both", () => {
    const status = (p: { publishedAt: Date | null }) => publicationStatus(p.publishedAt, NOW);
    const hidden = products.filter((p) => status(p) !== "published");
    assert.deepEqual(hidden.map(status).sort(), ["draft", "scheduled"]);
    assert.deepEqual(hidden.map((p) => UNPUBLISHED[p.name]).sort(), ["draft", "scheduled"]);
    const rows = new Map(inventory.map((i) => [i.sku, i]));
    for (const p of products) {
      for (const sku of [p.sku, ...p.variants.map((v) => v.sku)]) {
        assert.deepEqual(rows.get(sku)?.publishedAt, p.publishedAt, sku);
      }
    }
  });

  await t.step("covers all four price buckets", () => {
    const bucket = (c: number) => c < 5000 ? 0 : c < 20000 ? 1 : c <= 50000 ? 2 : 3;
    assert.deepEqual(new Set(products.map((p) => bucket(p.priceCents))), new Set([0, 1, 2, 3]));
  });

  await t.step("sells apparel in sizes and colours and laptops in memory options", () => {
    const tees = products.filter((p) => p.category === "t-shirts");
    assert.ok(tees.length >= 3);
    for (const p of tees) {
      assert.ok(p.variants.length >= 4, p.sku);
      for (const v of p.variants) assert.ok(typeof v.attrs.size === "string" && v.attrs.color);
    }
    const laptops = products.filter((p) => p.category === "laptops");
    assert.ok(laptops.some((p) => new Set(p.variants.map((v) => v.attrs.ram_gb)).size > 1));
    const all = products.flatMap((p) => [p.sku, ...p.variants.map((v) => v.sku)]);
    assert.equal(new Set(all).size, all.length, "SKUs are unique across products and variants");
  });

  await t.step("has one row per SKU: a product's own inactive when it has variants", () => {
    const rows = new Map(inventory.map((i) => [i.sku, i]));
    assert.equal(inventory.length, rows.size);
    for (const p of products) {
      const own = rows.get(p.sku)!;
      assert.deepEqual(
        { sku: own.sku, name: own.name, price: own.unitPriceCents, currency: own.currency },
        { sku: p.sku, name: p.name, price: p.priceCents, currency: "USD" },
      );
      assert.equal(own.active, p.variants.length === 0, p.sku);
      for (const v of p.variants) {
        const row = rows.get(v.sku)!;
        assert.equal(row.active, true);
        assert.equal(row.name, p.name);
        assert.ok(row.unitPriceCents > 0);
      }
    }
    for (const item of inventory) {
      assert.ok(isValidLevel(item.stock, item.reserved) && item.stock <= 200);
      assert.equal(item.reserved, 0);
      assert.equal(item.version, 1);
    }
    const sold = inventory.filter((i) => i.active);
    const outOfStock = sold.filter((i) => i.stock === 0).length;
    const low = sold.filter((i) => i.stock > 0 && i.stock < 5).length;
    assert.ok(outOfStock >= 2 && outOfStock <= 16, `${outOfStock} at 0`);
    assert.ok(low >= 2 && low <= 16, `${low} low`);
  });
});
